"""Capacity allocations in API v1, and a department's capacity for a period: recording and
removing allocations, over- and under-allocation, the default period (this month), bad
input, malformed filters, bounded queries.

Every write answers with the record and leaves an audit entry; bad input is a 400 naming
the field and writes nothing; the list costs the same number of queries whatever its
length. The clock is frozen on 15 May 2030 (the `may_2030` fixture).
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from departments.models import AuditEntry
from departments.tests.api import last_audit
from departments.tests.factories import PersonFactory
from techleads.models import Allocation
from techleads.services import allocation_set, improvement_project_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_2030")]

ALLOCATIONS = "/api/v1/allocations/"


def capacity(api, org, role="lea", query=""):
    response = api(role).get(f"/api/v1/departments/{org.platform.pk}/capacity/{query}")
    assert response.status_code == 200, response.content
    return {row.pop("full_name"): row for row in response.json()["results"]}


def allocation_body(org, **changes):
    return {
        "person": org.ian.pk,
        "duty": "On-call",
        "percent": 40,
        "period_start": "2030-05-01",
        "period_end": "2030-05-31",
        **changes,
    }


def test_over_allocation_is_recorded_and_flagged_by_capacity(api, org, project):
    lea = api("lea")
    on_project = lea.post(
        ALLOCATIONS, allocation_body(org, duty="", project=project.pk, percent=70), format="json"
    )
    assert on_project.status_code == 201, on_project.content
    assert on_project.json()["department"] == org.platform.pk
    assert last_audit() == ("allocation.set", "lea", on_project.json()["id"])
    assert lea.post(ALLOCATIONS, allocation_body(org), format="json").status_code == 201
    lea.post(ALLOCATIONS, allocation_body(org, person=org.jo.pk, percent=30), format="json")
    lea.post(ALLOCATIONS, allocation_body(org, person=org.lea.pk, percent=100), format="json")

    rows = capacity(api, org)
    assert rows["Ian Engineer"] == {
        "person": org.ian.pk,
        "allocated_percent": 110,
        "unallocated_percent": 0,
        "over_allocated": True,
        "under_allocated": False,
    }
    jo, lea_row, maya = rows["Jo Junior"], rows["Lea Lead"], rows["Maya Manager"]
    assert (jo["allocated_percent"], jo["unallocated_percent"]) == (30, 70)
    assert (jo["over_allocated"], jo["under_allocated"]) == (False, True)
    assert (lea_row["over_allocated"], lea_row["under_allocated"]) == (False, False)
    assert (maya["allocated_percent"], maya["under_allocated"]) == (0, True)
    assert list(rows) == ["Ian Engineer", "Jo Junior", "Lea Lead", "Maya Manager"]
    assert list(capacity(api, org, role="maya")) == list(rows)  # the manager reads it too


def test_capacity_defaults_to_the_current_month(api, org):
    allocation_set(
        actor=org.hr,
        person=org.ian,
        percent=50,
        duty="Migration",
        period_start=datetime(2030, 6, 1).date(),
        period_end=datetime(2030, 6, 30).date(),
    )
    allocation_set(
        actor=org.hr,
        person=org.jo,
        percent=20,
        duty="Support",
        period_start=datetime(2030, 4, 20).date(),
        period_end=datetime(2030, 5, 2).date(),
    )
    may = capacity(api, org)
    assert (may["Ian Engineer"]["allocated_percent"], may["Jo Junior"]["allocated_percent"]) == (
        0,
        20,
    )
    june = capacity(api, org, query="?period_start=2030-06-01&period_end=2030-06-30")
    assert (june["Ian Engineer"]["allocated_percent"], june["Jo Junior"]["allocated_percent"]) == (
        50,
        0,
    )
    from_mid_june = capacity(api, org, query="?period_start=2030-06-15")
    assert from_mid_june["Ian Engineer"]["allocated_percent"] == 50
    covering = api("lea").get(f"{ALLOCATIONS}?on=2030-05-01").json()["results"]
    assert [a["person"] for a in covering] == [org.jo.pk]


def test_a_capacity_period_ending_before_it_starts_is_a_400(api, org):
    url = f"/api/v1/departments/{org.platform.pk}/capacity/"
    response = api("lea").get(f"{url}?period_start=2030-05-31&period_end=2030-05-01")
    assert response.status_code == 400 and "period_end" in response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percent": 0}, "percent"),
        ({"percent": 101}, "percent"),
        ({"percent": None}, "percent"),
        ({"period_start": "2030-05-31", "period_end": "2030-05-01"}, "period_end"),
        ({"period_start": "May"}, "period_start"),
        ({"person": None}, "person"),
        ({"duty": "", "project": "data"}, "project"),
        ({"duty": "  "}, "non_field_errors"),  # neither a project nor a duty
    ],
)
def test_a_bad_allocation_is_a_400_and_writes_nothing(api, org, change, field):
    if change.get("project") == "data":
        change["project"] = improvement_project_create(
            actor=org.hr, department=org.data, name="Data quality"
        ).pk
    audited = AuditEntry.objects.count()
    response = api("lea").post(ALLOCATIONS, allocation_body(org, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Allocation.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_removing_an_allocation_frees_the_capacity_and_is_audited(api, org):
    allocation = allocation_set(
        actor=org.lea.user,
        person=org.ian,
        percent=60,
        duty="On-call",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
    )
    assert capacity(api, org)["Ian Engineer"]["allocated_percent"] == 60
    assert api("lea").delete(f"{ALLOCATIONS}{allocation.pk}/").status_code == 204
    assert last_audit() == ("allocation.remove", "lea", allocation.pk)
    assert capacity(api, org)["Ian Engineer"]["allocated_percent"] == 0
    assert api("lea").delete(f"{ALLOCATIONS}{allocation.pk}/").status_code == 404


# Query counts -------------------------------------------------------------------------


def sixty_allocations(org):
    for i in range(60):
        allocation_set(
            actor=org.hr,
            person=[org.ian, org.jo, org.lea][i % 3],
            percent=5,
            duty=f"Duty {i}",
            period_start=timezone.localdate(),
            period_end=timezone.localdate() + timedelta(days=i),
        )


def sixty_people(org):
    for person in PersonFactory.create_batch(60, department=org.platform):
        allocation_set(
            actor=org.hr,
            person=person,
            percent=50,
            duty="On-call",
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
        )


# name: (path, rows, queries as HR, as the Tech Lead). Every list costs the token with its
# user, their HR role and person (one query) and the page with the total (one query).
LISTS = {
    "allocations": (ALLOCATIONS, sixty_allocations, 2, 2),
    # + the department with its active lead in its row (get_object)
    "capacity": ("/api/v1/departments/{platform}/capacity/", sixty_people, 3, 3),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_at_page_size_5_and_50(api, org, name, django_assert_num_queries):
    path, grow, as_hr, as_lead = LISTS[name]
    grow(org)
    url = path.format(platform=org.platform.pk)
    for role, queries in (("hr", as_hr), ("lea", as_lead)):
        client = api(role)
        for page_size in (5, 50):
            with django_assert_num_queries(queries):
                response = client.get(f"{url}?page_size={page_size}")
            assert len(response.json()["results"]) == page_size
