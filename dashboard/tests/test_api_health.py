"""Department health in API v1: a score that explains itself, component by component, each
with its weight from settings and a link to the list behind it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.services import document_create, process_acknowledge
from techleads.services import (
    assignment_create,
    improvement_project_create,
    improvement_task_create,
    successor_nominate,
    tech_session_record,
    tech_session_schedule,
)

pytestmark = pytest.mark.django_db

KEYS = [
    "tech_lead",
    "succession",
    "documentation",
    "tooling",
    "acknowledgements",
    "improvement_tasks",
    "tech_sessions",
]
ONLY = dict.fromkeys(KEYS, 0)


def department_work(org, department, lead, successor):
    """A document, a stale one, a tool, a successor, an overdue and an on-time task and a
    completed session, so each component of `department` has rows behind it."""
    now = timezone.now()
    document_create(actor=org.hr, title=f"{department} runbook", kind="sop", department=department)
    document_create(
        actor=org.hr,
        title=f"{department} old guide",
        kind="best_practice",
        department=department,
        last_reviewed_at=now - timedelta(days=400),
    )
    document_create(
        actor=org.hr,
        title=f"{department} Grafana",
        kind="tool",
        department=department,
        description="Dashboards",
        url="https://grafana.example.com",
    )
    successor_nominate(
        department=department, person=successor, actor=org.hr, readiness="ready_soon"
    )
    project = improvement_project_create(
        actor=org.hr, department=department, name=f"{department} CI", owner=lead
    )
    for days in (-1, 9):
        improvement_task_create(
            actor=org.hr, project=project, title="Step", due_date=now.date() + timedelta(days)
        )
    session = tech_session_schedule(
        actor=org.hr, department=department, topic="Deploys", scheduled_for=now - timedelta(3)
    )
    tech_session_record(actor=org.hr, session=session, status="completed")


@pytest.fixture
def busy(org):
    """Both departments busy; Platform: an eligible lead, a developing successor, half its
    documents stale, 1 of 4 people acknowledged the process, half its tasks overdue and one
    session of the three a quarter."""
    assignment_create(department=org.data, person=org.dana, assigned_by=org.hr, reason="Expert")
    department_work(org, org.platform, lead=org.lea, successor=org.ian)
    department_work(org, org.data, lead=org.dana, successor=org.max)
    shared = document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    document_create(
        actor=org.hr,
        title="Data requests",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.data],
    )
    process_acknowledge(document=shared, person=org.ian)
    process_acknowledge(document=shared, person=org.dana)
    return org


def health(api, department, role="hr"):
    response = api(role).get(f"/api/v1/departments/{department.pk}/health/")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_score_is_explained_by_seven_components(api, busy):
    body = health(api, busy.platform)
    assert (body["department"], body["name"]) == (busy.platform.pk, "Platform")
    components = body["components"]
    assert [c["key"] for c in components] == KEYS
    assert all(set(c) == {"key", "label", "value", "weight", "link", "page"} for c in components)
    values = {c["key"]: c["value"] for c in components}
    assert values == {
        "tech_lead": 1.0,
        "succession": 0.5,
        "documentation": 0.5,
        "tooling": 1.0,
        "acknowledgements": 0.25,
        "improvement_tasks": 0.5,
        "tech_sessions": 0.3333,
    }
    weights = {c["key"]: c["weight"] for c in components}
    assert weights == {
        "tech_lead": 3,
        "succession": 2,
        "documentation": 2,
        "tooling": 1,
        "acknowledgements": 1,
        "improvement_tasks": 1,
        "tech_sessions": 1,
    }
    # (3*1 + 2*.5 + 2*.5 + 1 + .25 + .5 + 1/3) / 11 weights = 64%
    assert body["score"] == 64
    assert components[0]["label"] == "Tech Lead coverage"
    assert all(c["label"] and str(busy.platform.pk) in c["page"] for c in components)


def test_the_weights_come_from_settings(api, busy, settings):
    settings.HEALTH_SCORE_WEIGHTS = {**ONLY, "tech_lead": 1}
    body = health(api, busy.platform)
    assert body["score"] == 100
    assert {c["key"]: c["weight"] for c in body["components"]} == {**ONLY, "tech_lead": 1}

    settings.HEALTH_SCORE_WEIGHTS = {**ONLY, "documentation": 1, "acknowledgements": 3}
    assert health(api, busy.platform)["score"] == 31  # (0.5 + 3 * 0.25) / 4

    settings.HEALTH_SCORE_WEIGHTS = {**ONLY, "acknowledgements": 1}
    # Data: two processes, two people, one acknowledgement (Dana's)
    assert health(api, busy.data)["score"] == 25


def test_a_score_with_nothing_to_weigh_is_null(api, org, settings):
    settings.HEALTH_SCORE_WEIGHTS = {**ONLY, "documentation": 1}
    body = health(api, org.data)
    documentation = body["components"][KEYS.index("documentation")]
    assert (documentation["value"], body["score"]) == (None, None)


def rows_of(client, link):
    response = client.get(link)
    assert response.status_code == 200, (link, response.content)
    return response.json()["results"]


def belongs_to(key, row, department_id):
    if key == "acknowledgements":
        return department_id in row["involved_departments"]
    return row["department"] == department_id


def test_each_link_lists_the_rows_of_its_department(api, busy, hr_client):
    """Both departments have rows behind every component: each link keeps its own."""
    for department in (busy.platform, busy.data):
        for component in health(api, department)["components"]:
            key = component["key"]
            rows = rows_of(hr_client, component["link"])
            assert rows, key
            assert all(belongs_to(key, row, department.pk) for row in rows), key


def test_the_overdue_tasks_link_lists_only_the_overdue_ones(api, busy, hr_client):
    link = health(api, busy.platform)["components"][KEYS.index("improvement_tasks")]["link"]
    rows = rows_of(hr_client, link)
    assert [(r["department"], r["overdue"]) for r in rows] == [(busy.platform.pk, True)]


def test_a_manager_sees_the_health_of_their_departments_only(api, busy):
    hr = api("hr").get("/api/v1/departments/health/").json()
    assert [row["name"] for row in hr["results"]] == ["Data", "Platform"]
    assert hr["results"][1] == health(api, busy.platform)
    mine = api("maya").get("/api/v1/departments/health/").json()
    assert [row["department"] for row in mine["results"]] == [busy.platform.pk]
    assert health(api, busy.platform, role="maya")["score"] == hr["results"][1]["score"]
    assert api("maya").get(f"/api/v1/departments/{busy.data.pk}/health/").status_code == 404
    theirs = api("max").get("/api/v1/departments/health/").json()
    assert [row["department"] for row in theirs["results"]] == [busy.data.pk]
    assert api("nobody").get("/api/v1/departments/health/").json()["count"] == 0
    assert api("hr").get("/api/v1/departments/999999/health/").status_code == 404


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # token with its user and HR role, the page with the total and every score input
        # as a subquery, the page's acknowledgements grouped
        ("/api/v1/departments/health/", 3),
    ],
)
def test_department_sheets_cost_the_same_for_3_and_30_departments(
    api, org, url, queries, django_assert_num_queries
):
    """Each department added has rows behind every component; every other one a Tech Lead."""
    client = api("hr")
    for grown, total in ((1, 3), (27, 30)):
        for i in range(grown):
            manager = PersonFactory(track="manager", level=1, department=None)
            department = DepartmentFactory(manager=manager)
            lead, successor = PersonFactory.create_batch(2, department=department, level=4)
            if i % 2:
                assignment_create(
                    department=department, person=lead, assigned_by=org.hr, reason="x"
                )
            department_work(org, department, lead=lead, successor=successor)
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert len(response.json()["results"]) == total
