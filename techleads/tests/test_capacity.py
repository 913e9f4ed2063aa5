"""Capacity: a person is over-allocated when more than 100% of them is committed on some
day of the period, and every face shows that busiest day's sum (the peak).

One table of cases feeds the pure rule (rules.capacity_peak) and its SQL twin
(selectors.people_with_capacity); the API and the dashboard page read the SQL twin.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from departments.models import Person
from departments.tests.factories import PersonFactory
from techleads.models import Allocation
from techleads.rules import capacity_peak
from techleads.selectors import (
    OverAllocatedFirst,
    allocations_overlapping,
    capacity_period,
    month_bounds,
    people_with_capacity,
)
from techleads.selectors import capacity as capacity_selectors
from techleads.services import allocation_set

MAY = (date(2030, 5, 1), date(2030, 5, 31))


def d(month: int, day: int) -> date:
    return date(2030, month, day)


# (allocations as (start, end, percent), period, peak, over-allocated, unallocated)
CASES = {
    "nothing allocated": ([], MAY, 0, False, 100),
    "one allocation": ([(d(5, 1), d(5, 31), 30)], MAY, 30, False, 70),
    "two halves that never overlap": (
        [(d(5, 1), d(5, 15), 60), (d(5, 16), d(5, 31), 50)],
        MAY,
        60,
        False,
        40,
    ),
    "overlapping": ([(d(5, 1), d(5, 31), 60), (d(5, 10), d(5, 20), 50)], MAY, 110, True, 0),
    "exactly full on the days they overlap": (
        [(d(5, 1), d(5, 31), 60), (d(5, 10), d(5, 12), 40)],
        MAY,
        100,
        False,
        0,
    ),
    "touching: one ends the 15th, the next starts the 15th": (
        [(d(5, 1), d(5, 15), 60), (d(5, 15), d(5, 31), 50)],
        MAY,
        110,
        True,
        0,
    ),
    "the day after: one ends the 15th, the next starts the 16th": (
        [(d(5, 1), d(5, 15), 60), (d(5, 16), d(5, 31), 50)],
        MAY,
        60,
        False,
        40,
    ),
    "partly outside the period, not overlapping": (
        [(d(4, 20), d(5, 5), 70), (d(5, 6), d(6, 10), 40)],
        MAY,
        70,
        False,
        30,
    ),
    "overlapping from before the period: the peak is its first day": (
        [(d(4, 1), d(6, 30), 70), (d(4, 15), d(5, 3), 50)],
        MAY,
        120,
        True,
        0,
    ),
    "overlapping only before the period": (
        [(d(4, 1), d(5, 1), 50), (d(4, 20), d(4, 30), 60)],
        MAY,
        50,
        False,
        50,
    ),
    "overlapping only after the period": (
        [(d(5, 25), d(6, 30), 50), (d(6, 1), d(6, 2), 60)],
        MAY,
        50,
        False,
        50,
    ),
    "entirely outside the period": (
        [(d(4, 1), d(4, 30), 80), (d(6, 1), d(6, 30), 80)],
        MAY,
        0,
        False,
        100,
    ),
    "three staggered, never all at once": (
        [(d(5, 1), d(5, 10), 40), (d(5, 5), d(5, 20), 40), (d(5, 15), d(5, 31), 40)],
        MAY,
        80,
        False,
        20,
    ),
    "three at once on one day": (
        [(d(5, 1), d(5, 10), 40), (d(5, 5), d(5, 20), 40), (d(5, 10), d(5, 31), 40)],
        MAY,
        120,
        True,
        0,
    ),
    "a one-day period on the touching day": (
        [(d(5, 1), d(5, 15), 60), (d(5, 15), d(5, 31), 50)],
        (d(5, 15), d(5, 15)),
        110,
        True,
        0,
    ),
}


def span(start, end, percent):
    return SimpleNamespace(period_start=start, period_end=end, percent=percent)


@pytest.mark.parametrize(
    ("allocations", "period", "peak", "over", "free"), CASES.values(), ids=CASES.keys()
)
def test_capacity_peak_rule(allocations, period, peak, over, free):
    flag = capacity_peak(
        allocations=[span(*a) for a in allocations], period_start=period[0], period_end=period[1]
    )
    assert (flag.allocated_percent, flag.over_allocated, flag.unallocated_percent) == (
        peak,
        over,
        free,
    )
    # What the capacity list relies on: the peak never exceeds the sum of the allocations
    # overlapping the period, so nobody with a sum of 100 or less is over-allocated.
    start, end = period
    assert peak <= sum(p for s, e, p in allocations if s <= end and e >= start)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("allocations", "period", "peak", "over", "free"), CASES.values(), ids=CASES.keys()
)
def test_capacity_peak_in_sql(org, allocations, period, peak, over, free):
    for start, end, percent in allocations:
        allocation_set(
            actor=org.hr,
            person=org.ian,
            percent=percent,
            period_start=start,
            period_end=end,
            duty="On-call",
        )
    # Someone else's allocations never count towards Ian's.
    allocation_set(
        actor=org.hr,
        person=org.jo,
        percent=100,
        period_start=d(4, 1),
        period_end=d(6, 30),
        duty="Support",
    )
    people = people_with_capacity(
        Person.objects.filter(pk=org.ian.pk), period_start=period[0], period_end=period[1]
    )
    ian = people.get()
    assert (ian.allocated_percent, ian.over_allocated, ian.unallocated_percent) == (
        peak,
        over,
        free,
    )
    assert ian.under_allocated is (peak < 100)
    # The pure rule, fed the rows themselves, agrees.
    rule = capacity_peak(
        allocations=Allocation.objects.filter(person=org.ian),
        period_start=period[0],
        period_end=period[1],
    )
    assert rule.allocated_percent == ian.allocated_percent


@pytest.mark.django_db
def test_capacity_of_a_whole_team_is_one_query(org, django_assert_num_queries):
    for person in [org.ian, org.jo, org.lea, *PersonFactory.create_batch(5)]:
        allocation_set(
            actor=org.hr,
            person=person,
            percent=60,
            duty="On-call",
            period_start=d(5, 1),
            period_end=d(5, 15),
        )
        allocation_set(
            actor=org.hr,
            person=person,
            percent=50,
            duty="Migration",
            period_start=d(5, 16),
            period_end=d(5, 31),
        )
    with django_assert_num_queries(1):  # the people, with their peak in a subquery
        people = list(
            people_with_capacity(Person.objects.all(), period_start=MAY[0], period_end=MAY[1])
        )
    peaks = {p.full_name: p.allocated_percent for p in people}
    assert peaks["Ian Engineer"] == 60 and peaks["Maya Manager"] == 0
    assert not any(p.over_allocated for p in people)


# The capacity list: the over-allocated first -------------------------------------------

MAY_CASES = {name: case for name, case in CASES.items() if case[1] == MAY}


@pytest.fixture
def one_person_a_case(org):
    """A person named after each case of May, alternately in Platform and Data, holding its
    allocations; Ian, over-allocated in May, has left (inactive)."""
    for i, (name, (allocations, *_)) in enumerate(MAY_CASES.items()):
        person = PersonFactory(full_name=name, department=org.data if i % 2 else org.platform)
        for start, end, percent in allocations:
            Allocation.objects.create(
                person=person, percent=percent, duty="On-call", period_start=start, period_end=end
            )
    for percent in (60, 50):
        Allocation.objects.create(
            person=org.ian, percent=percent, duty="Support", period_start=MAY[0], period_end=MAY[1]
        )
    Person.objects.filter(pk=org.ian.pk).update(is_active=False)
    return org


@pytest.mark.django_db
@pytest.mark.parametrize("scoped", [True, False], ids=["own allocations", "period's allocations"])
def test_the_capacity_list_puts_the_over_allocated_first(one_person_a_case, monkeypatch, scoped):
    """Page by page, the rows and order of ordering every person by their flag: the
    over-allocated first, then by department and name. Allocations adding up to more than
    100% on no one day (two halves, staggered) are not over-allocation; someone outside the
    list (Ian, inactive) is never in it, whether the candidates are found among the list's
    own allocations or among all of the period's (a large list)."""
    if not scoped:
        monkeypatch.setattr(capacity_selectors, "CAPACITY_SCOPED_SUMS", 0)
    people = Person.objects.filter(is_active=True).order_by("department__name", "full_name", "id")
    listed = OverAllocatedFirst(people, period_start=MAY[0], period_end=MAY[1])
    paginator = Paginator(listed, 2)  # pages that cut through the over-allocated
    rows = [p for number in paginator.page_range for p in paginator.page(number).object_list]

    ordered_by_flag = people_with_capacity(people, period_start=MAY[0], period_end=MAY[1]).order_by(
        "-over_allocated", "department__name", "full_name", "id"
    )

    def shown(p):
        return (p.full_name, p.allocated_percent, p.over_allocated, p.unallocated_percent)

    assert [shown(p) for p in rows] == [shown(p) for p in ordered_by_flag]
    over = {name for name, (_, _, _, is_over, _) in MAY_CASES.items() if is_over}
    assert {p.full_name for p in rows[: len(over)]} == over
    assert not any(p.over_allocated for p in rows[len(over) :])
    assert paginator.count == len(rows) == people.count()
    assert "Ian Engineer" not in {p.full_name for p in rows}


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (d(5, 1), d(5, 31), True),
        (d(4, 1), d(5, 1), True),  # ends on the period's first day
        (d(5, 31), d(6, 30), True),  # starts on its last day
        (d(4, 1), d(4, 30), False),
        (d(6, 1), d(6, 30), False),
        (d(4, 1), d(6, 30), True),  # covers it
    ],
)
@pytest.mark.django_db
def test_allocations_overlapping_a_period(org, start, end, overlaps):
    Allocation.objects.create(
        person=org.ian, percent=10, duty="On-call", period_start=start, period_end=end
    )
    found = allocations_overlapping(Allocation.objects.all(), start=MAY[0], end=MAY[1])
    assert found.exists() is overlaps


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (None, None, MAY),  # this month
        (d(5, 10), None, (d(5, 10), d(5, 31))),  # to the end of this month
        (None, d(6, 30), (d(5, 1), d(6, 30))),
        (d(7, 1), None, (d(7, 1), d(7, 1))),  # an open end never precedes the start
        (d(3, 1), d(3, 31), (d(3, 1), d(3, 31))),
    ],
)
def test_capacity_period_defaults_to_this_month(start, end, period):
    assert month_bounds(d(5, 20)) == MAY
    assert capacity_period(d(5, 20), start=start, end=end) == period


# Every face shows the peak -------------------------------------------------------------


@pytest.fixture
def halves(org):
    """Ian: 60% for the first half of May 2030, 50% for the second: never above 60%."""
    for percent, start, end in ((60, d(5, 1), d(5, 15)), (50, d(5, 16), d(5, 31))):
        allocation_set(
            actor=org.hr,
            person=org.ian,
            percent=percent,
            period_start=start,
            period_end=end,
            duty="On-call",
        )
    return org


@pytest.mark.django_db
def test_the_api_answers_the_peak(api, halves):
    url = f"/api/v1/departments/{halves.platform.pk}/capacity/"
    response = api("lea").get(f"{url}?period_start=2030-05-01&period_end=2030-05-31")
    assert response.status_code == 200, response.content
    ian = next(r for r in response.json()["results"] if r["person"] == halves.ian.pk)
    assert (ian["allocated_percent"], ian["over_allocated"], ian["unallocated_percent"]) == (
        60,
        False,
        40,
    )


@pytest.mark.django_db
def test_the_capacity_page_shows_the_peak(client, halves):
    client.force_login(halves.hr)
    page = client.get(
        reverse("dashboard:capacity"), {"period_start": "2030-05-01", "period_end": "2030-05-31"}
    ).content.decode()
    assert "Peak" in page
    row = next(line for line in page.splitlines() if "Ian Engineer</a></th>" in line)
    assert '<td data-label="Peak allocated">60%</td>' in row and "Over-allocated" not in page
    assert "40% unallocated" in page
