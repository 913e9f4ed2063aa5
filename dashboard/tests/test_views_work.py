"""The pages of the role's work (sessions, improvement, capacity, incidents, processes):
who sees what, who may act, what a refusal looks like, and what a page costs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sops.models import ProcessAcknowledgement
from sops.services import document_create, document_review_record
from techleads.models import Allocation, ImprovementTask, Incident, TechSession
from techleads.services import (
    allocation_set,
    improvement_project_create,
    improvement_task_create,
    incident_record,
    tech_session_schedule,
)

pytestmark = pytest.mark.django_db

PAGES = ["sessions", "improvement", "capacity", "incidents", "processes"]


def login(client, user):
    client.force_login(user)
    return client


def post_new(client, name, data, **kwargs):
    """POST a page's "new ..." form (its fields are prefixed `new-`)."""
    return client.post(
        reverse(f"dashboard:{name}"), {f"new-{k}": v for k, v in data.items()}, **kwargs
    )


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def work(org):
    """A session, a project with an overdue task for Ian, an allocation and an open incident
    in Platform; the same in Data (out of Platform people's scope); a process for both."""
    now = timezone.now()
    document_create(
        actor=org.hr,
        title="Release train",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    made = {}
    for department, lead_actor, who in (
        (org.platform, org.lea.user, org.ian),
        (org.data, org.hr, org.dana),
    ):
        name = department.name
        made[name] = {
            "session": tech_session_schedule(
                actor=lead_actor,
                department=department,
                topic=f"{name} deploys",
                scheduled_for=now + timedelta(days=2),
                invitees=[who],
            ),
            "task": improvement_task_create(
                actor=lead_actor,
                project=improvement_project_create(
                    actor=lead_actor, department=department, name=f"{name} toil"
                ),
                title=f"{name} flaky tests",
                assignee=who,
                due_date=timezone.localdate() - timedelta(days=1),
            ),
            "allocation": allocation_set(
                actor=lead_actor,
                person=who,
                percent=70,
                period_start=timezone.localdate(),
                period_end=timezone.localdate(),
                duty=f"{name} on-call",
            ),
            "incident": incident_record(
                actor=lead_actor,
                department=department,
                title=f"{name} outage",
                severity="sev2",
                started_at=now - timedelta(hours=1),
            ),
        }
    return made


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"dashboard:{name}"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_a_malformed_filter_is_shown_not_a_500(client, org, name):
    login(client, org.hr)
    response = client.get(reverse(f"dashboard:{name}"), {"department": "abc", "status": "zzz"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_lists_follow_the_viewer_s_scope(client, org, work):
    login(client, org.ian.user)
    for page, mine, theirs in (
        ("sessions", "Platform deploys", "Data deploys"),
        ("improvement", "Platform flaky tests", "Data flaky tests"),
        ("incidents", "Platform outage", "Data outage"),
    ):
        body = client.get(reverse(f"dashboard:{page}")).content.decode()
        assert mine in body and theirs not in body, page
    data_session = work["Data"]["session"]
    assert client.get(reverse("dashboard:session", args=[data_session.pk])).status_code == 404
    login(client, org.hr)
    body = client.get(reverse("dashboard:incidents")).content.decode()
    assert "Platform outage" in body and "Data outage" in body


def test_forms_are_offered_only_to_roles_that_may_use_them(client, org, work):
    forms = {
        "sessions": "Schedule a tech session",
        "improvement": "Delegate a task",
        "capacity": "Allocate capacity",
        "incidents": "Log an incident",
    }
    can = {
        "lea": {"sessions", "improvement", "capacity", "incidents"},
        "maya": {"incidents"},  # a manager logs incidents, but does not run the lead's work
        "ian": set(),
    }
    for who, allowed in can.items():
        login(client, getattr(org, who).user)
        for page, heading in forms.items():
            body = client.get(reverse(f"dashboard:{page}")).content.decode()
            assert (heading in body) == (page in allowed), (who, page)


def test_posting_a_form_the_role_lacks_is_a_403_and_writes_nothing(client, org):
    login(client, org.ian.user)
    before = TechSession.objects.count(), Incident.objects.count()
    data = {"department": org.platform.pk, "topic": "Sneaky", "title": "Sneaky"}
    for name in ("session_schedule", "incident_create", "task_create", "allocation_create"):
        assert client.post(reverse(f"dashboard:{name}"), data).status_code == 403, name
    assert (TechSession.objects.count(), Incident.objects.count()) == before


def test_posts_need_the_csrf_token(org, work):
    client = login(Client(enforce_csrf_checks=True), org.lea.user)
    incident = work["Platform"]["incident"]
    assert client.post(reverse("dashboard:incident_resolve", args=[incident.pk])).status_code == 403
    incident.refresh_from_db()
    assert incident.resolved_at is None


def test_the_lead_schedules_then_records_a_session(client, org):
    login(client, org.lea.user)
    response = post_new(
        client,
        "session_schedule",
        {
            "department": org.platform.pk,
            "topic": "Reading the dashboards",
            "scheduled_for": local(timezone.now() + timedelta(days=1)),
            "presenter": org.lea.pk,
            "invitees": [org.ian.pk],
            "mandatory": [org.jo.pk],
        },
        follow=True,
    )
    assert "Scheduled “Reading the dashboards”" in response.content.decode()
    session = TechSession.objects.get(topic="Reading the dashboards")
    assert dict(session.invites.values_list("person_id", "mandatory")) == {
        org.ian.pk: False,
        org.jo.pk: True,
    }
    record = reverse("dashboard:session_record", args=[session.pk])
    page = client.post(record, {"status": "completed", "present": [org.ian.pk]}, follow=True)
    body = page.content.decode()
    assert "Recorded as completed" in body and "Present" in body and "Absent" in body
    assert "Record the session" not in body  # recorded once
    again = client.post(record, {"status": "cancelled"})
    assert again.status_code == 200 and "already completed" in again.content.decode()


def test_a_bad_session_shows_field_errors_and_creates_nothing(client, org):
    login(client, org.lea.user)
    response = post_new(
        client,
        "session_schedule",
        {"department": org.platform.pk, "topic": "", "scheduled_for": "soon", "link": "nope"},
    )
    assert response.status_code == 200
    assert response.content.decode().count('role="alert"') >= 3
    assert not TechSession.objects.exists()


def test_delegating_a_task_and_moving_its_status(client, org, work):
    login(client, org.lea.user)
    project = work["Platform"]["task"].project
    post_new(
        client,
        "task_create",
        {"project": project.pk, "title": "Write the runbook", "assignee": org.ian.pk},
        follow=True,
    )
    task = ImprovementTask.objects.get(title="Write the runbook")
    assert task.owner == org.lea
    overdue = client.get(reverse("dashboard:improvement"), {"overdue": "on"}).content.decode()
    assert "Platform flaky tests" in overdue and "Write the runbook" not in overdue

    login(client, org.ian.user)  # the assignee moves it
    client.post(reverse("dashboard:task_status", args=[task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at is not None

    login(client, org.maya.user)  # the manager is neither lead nor assignee
    response = client.post(reverse("dashboard:task_status", args=[task.pk]), {"status": "todo"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"


def test_capacity_flags_over_allocation_and_removal_clears_it(client, org, work):
    login(client, org.lea.user)
    today = timezone.localdate().isoformat()
    post_new(
        client,
        "allocation_create",
        {
            "person": org.ian.pk,
            "duty": "Release captain",
            "percent": 50,
            "period_start": today,
            "period_end": today,
        },
    )
    page = client.get(reverse("dashboard:capacity"), {"period_start": today, "period_end": today})
    assert "Over-allocated" in page.content.decode()
    extra = Allocation.objects.get(duty="Release captain")
    client.post(reverse("dashboard:allocation_delete", args=[extra.pk]))
    page = client.get(reverse("dashboard:capacity"), {"period_start": today, "period_end": today})
    assert "Over-allocated" not in page.content.decode()
    assert "30% unallocated" in page.content.decode()


@pytest.mark.parametrize("percent", [0, 101])
def test_an_allocation_out_of_range_is_refused(client, org, percent):
    login(client, org.lea.user)
    today = timezone.localdate().isoformat()
    response = post_new(
        client,
        "allocation_create",
        {
            "person": org.ian.pk,
            "duty": "x",
            "percent": percent,
            "period_start": today,
            "period_end": today,
        },
    )
    assert response.status_code == 200 and not Allocation.objects.exists()


def test_a_period_that_ends_before_it_starts_is_a_field_error(client, org):
    login(client, org.hr)
    response = client.get(
        reverse("dashboard:capacity"), {"period_start": "2026-03-01", "period_end": "2026-02-01"}
    )
    assert response.status_code == 200
    assert "The period cannot end before it starts." in response.content.decode()


def test_the_manager_logs_and_resolves_an_incident(client, org):
    login(client, org.maya.user)
    started = timezone.now() - timedelta(hours=3)
    refused = post_new(
        client,
        "incident_create",
        {
            "department": org.platform.pk,
            "title": "Queue backlog",
            "severity": "sev3",
            "started_at": local(started),
            "postmortem_url": "not a url",
        },
    )
    assert refused.status_code == 200 and not Incident.objects.exists()
    post_new(
        client,
        "incident_create",
        {
            "department": org.platform.pk,
            "title": "Queue backlog",
            "severity": "sev3",
            "started_at": local(started),
        },
    )
    incident = Incident.objects.get(title="Queue backlog")
    assert "Open" in client.get(reverse("dashboard:incidents"), {"open": "on"}).content.decode()
    client.post(reverse("dashboard:incident_resolve", args=[incident.pk]), follow=True)
    incident.refresh_from_db()
    assert incident.resolved_at is not None
    page = client.get(reverse("dashboard:incidents"), {"open": "on"}).content.decode()
    assert "Queue backlog" not in page


def test_incidents_page_says_who_to_call(client, org, work):
    login(client, org.hr)
    body = client.get(reverse("dashboard:incidents")).content.decode()
    assert "Who to call now" in body and "Lea Lead" in body and "Max Manager" in body


def test_acknowledging_a_process_updates_pending_and_coverage(client, org):
    process = document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.platform],
    )
    login(client, org.ian.user)
    page = client.get(reverse("dashboard:processes")).content.decode()
    assert "Waiting for your acknowledgement" in page and "0 of 4" in page
    client.post(reverse("dashboard:process_ack", args=[process.pk]))
    page = client.get(reverse("dashboard:processes")).content.decode()
    assert "Waiting for your acknowledgement" not in page and "1 of 4" in page

    document_review_record(document=process, actor=org.hr, outcome="updated", material=True)
    page = client.get(reverse("dashboard:processes")).content.decode()
    assert "Waiting for your acknowledgement" in page and "version 2" in page
    assert ProcessAcknowledgement.objects.filter(person=org.ian).count() == 1


def test_a_login_without_a_person_cannot_acknowledge(client, org):
    process = document_create(
        actor=org.hr,
        title="Access reviews",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.data],
    )
    login(client, org.nobody)
    assert client.post(reverse("dashboard:process_ack", args=[process.pk])).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_each_page_costs_the_same_queries_at_any_size(
    client, org, work, grow, name, django_assert_num_queries
):
    login(client, org.lea.user)
    url = reverse(f"dashboard:{name}")
    client.get(url)  # warm the session

    def more(n):
        grow(n)
        for i in range(n):
            tech_session_schedule(
                actor=org.hr,
                department=org.platform,
                topic=f"S{i}",
                scheduled_for=timezone.now(),
                invitees=[org.ian],
            )
            incident_record(
                actor=org.hr,
                department=org.platform,
                title=f"I{i}",
                severity="sev4",
                started_at=timezone.now(),
            )
            document_create(
                actor=org.hr,
                title=f"P{i}",
                kind="cross_department_process",
                department=org.platform,
                involved_departments=[org.platform, org.data],
            )

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    more(12)
    with django_assert_num_queries(len(small)):
        assert client.get(url).status_code == 200
