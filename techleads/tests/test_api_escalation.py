"""The escalation sheet in API v1: whom to call in each department in the viewer's scope,
a malformed moment, and its cost for any number of departments.

The clock is frozen on 15 May 2030 (the `may_2030` fixture).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.services import (
    assignment_create,
    improvement_project_create,
    improvement_task_create,
    successor_nominate,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_2030")]


def test_the_escalation_sheet_has_one_row_per_department_in_scope(api, org):
    rows = api("hr").get("/api/v1/departments/escalation/").json()["results"]
    assert [(r["department"], r["role"], r["person"]["full_name"]) for r in rows] == [
        (org.data.pk, "manager", "Max Manager"),
        (org.platform.pk, "tech_lead", "Lea Lead"),
    ]
    assert rows[1]["person"]["id"] == org.lea.pk and rows[1]["at"]
    successor_nominate(department=org.data, person=org.dana, actor=org.hr, readiness="ready_now")
    mine = api("max").get("/api/v1/departments/escalation/").json()["results"]
    assert [(r["role"], r["person"]["id"]) for r in mine] == [("successor", org.dana.pk)]
    assert api("nobody").get("/api/v1/departments/escalation/").json()["count"] == 0


# Query counts -------------------------------------------------------------------------


def grow_departments(org, n):
    """n more departments, every other one with a Tech Lead, each with a manager, a ready
    successor and an overdue task."""
    for i in range(n):
        manager = PersonFactory(track="manager", level=1, department=None)
        department = DepartmentFactory(manager=manager)
        lead, successor = PersonFactory.create_batch(2, department=department, level=4)
        if i % 2:
            assignment_create(department=department, person=lead, assigned_by=org.hr, reason="x")
        successor_nominate(
            department=department, person=successor, actor=org.hr, readiness="ready_now"
        )
        project = improvement_project_create(actor=org.hr, department=department, name="P")
        improvement_task_create(
            actor=org.hr,
            project=project,
            title="T",
            due_date=timezone.localdate() - timedelta(days=1),
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # token with its user, HR role and person, the page with its total and every
        # score input as a subquery, + the escalation people of the page (one IN query)
        ("/api/v1/departments/escalation/", 3),
    ],
)
def test_department_sheets_cost_the_same_for_3_and_30_departments(
    api, org, url, queries, django_assert_num_queries
):
    client = api("hr")
    for grown, total in ((1, 3), (27, 30)):
        grow_departments(org, grown)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert len(response.json()["results"]) == total
