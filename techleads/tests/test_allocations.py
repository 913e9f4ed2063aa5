"""Allocations: the capacity flags of one day's allocations, one table of cases fed to the
pure rule (rules.capacity_flag) and to its SQL twin (selectors.people_with_capacity), and
what allocation_set refuses. The peak over a longer period is test_capacity.py's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.errors import DomainError, Forbidden
from departments.models import Person
from techleads.models import Allocation
from techleads.rules import capacity_flag
from techleads.selectors import people_with_capacity
from techleads.services import allocation_set

# one day's allocations (percent) -> allocated, over-allocated, unallocated
FLAG_TABLE = {
    "nothing allocated": ([], 0, False, 100),
    "exactly full": ([60, 40], 100, False, 0),
    "one percent over": ([60, 41], 101, True, 0),
    "partly allocated": ([30], 30, False, 70),
}
COLUMNS = ("percents", "allocated", "over", "free")


@pytest.mark.parametrize(COLUMNS, FLAG_TABLE.values(), ids=FLAG_TABLE.keys())
def test_capacity_flags_over_and_unallocated(percents, allocated, over, free):
    flag = capacity_flag(percents=percents)
    assert (flag.allocated_percent, flag.over_allocated, flag.unallocated_percent) == (
        allocated,
        over,
        free,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(COLUMNS, FLAG_TABLE.values(), ids=FLAG_TABLE.keys())
def test_capacity_flags_over_allocation_in_sql(org, project, percents, allocated, over, free):
    """people_with_capacity's own annotations, for Ian's allocations of the day (the first on
    a project, the others duties); his allocation of the next day is outside the period."""
    today = timezone.localdate()
    for i, percent in enumerate(percents):
        allocation_set(
            actor=org.lea.user,
            person=org.ian,
            percent=percent,
            period_start=today,
            period_end=today,
            project=None if i else project,
            duty=f"Duty {i}" if i else "",
        )
    tomorrow = today + timedelta(days=1)
    allocation_set(
        actor=org.lea.user,
        person=org.ian,
        percent=90,
        period_start=tomorrow,
        period_end=tomorrow,
        duty="Support rotation",
    )
    people = people_with_capacity(
        Person.objects.filter(department=org.platform), period_start=today, period_end=today
    )
    ian = people.get(pk=org.ian.pk)
    assert (ian.allocated_percent, ian.over_allocated, ian.unallocated_percent) == (
        allocated,
        over,
        free,
    )
    assert ian.under_allocated is (allocated < 100)
    jo = people.get(pk=org.jo.pk)  # nothing allocated
    assert (jo.allocated_percent, jo.over_allocated, jo.unallocated_percent) == (0, False, 100)


@pytest.mark.django_db
def test_an_allocation_names_a_project_or_a_duty_and_only_hr_or_the_lead_allocates(org):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="names a project or a duty"):
        allocation_set(
            actor=org.hr, person=org.jo, percent=10, period_start=today, period_end=today
        )
    with pytest.raises(Forbidden):
        allocation_set(
            actor=org.ian.user,
            person=org.jo,
            percent=10,
            period_start=today,
            period_end=today,
            duty="x",
        )
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_an_inactive_person_gets_no_allocation(org):
    org.jo.is_active = False
    org.jo.save()
    today = timezone.localdate()
    with pytest.raises(DomainError, match="no longer active") as refused:
        allocation_set(
            actor=org.lea.user,
            person=org.jo,
            percent=50,
            period_start=today,
            period_end=today,
            duty="On-call",
        )
    assert refused.value.field == "person"
