"""Tech sessions, Jira-synced improvement tasks, incidents and the escalation chain."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from departments.constants import INTEGRATION_GROUP
from departments.errors import Conflict, DomainError, Forbidden
from departments.models import Person
from departments.tests.factories import PersonFactory, UserFactory
from techleads.models import ImprovementProject, ImprovementTask, TechLeadAssignment
from techleads.rules import capacity_flag, escalation_chain, jira_issue_fields
from techleads.selectors import escalation_annotated, people_with_capacity
from techleads.services import (
    allocation_set,
    assignment_end,
    improvement_project_create,
    improvement_task_create,
    improvement_task_upsert_from_jira,
    incident_record,
    successor_nominate,
    tech_session_record,
    tech_session_schedule,
)


def ref(pk, active=True):
    return SimpleNamespace(id=pk, is_active=active)


# Pure rules ---------------------------------------------------------------------------


def test_escalation_prefers_lead_then_ready_successor_then_manager():
    chain = escalation_chain(lead=ref(1), ready_successors=[ref(2)], manager=ref(3))
    assert [(c.role, c.person_id) for c in chain] == [
        ("tech_lead", 1),
        ("successor", 2),
        ("manager", 3),
    ]


def test_escalation_skips_inactive_people_and_duplicates():
    chain = escalation_chain(lead=ref(1, active=False), ready_successors=[ref(3)], manager=ref(3))
    assert [(c.role, c.person_id) for c in chain] == [("successor", 3)]
    assert escalation_chain(lead=None, ready_successors=[], manager=None) == []


@pytest.mark.parametrize(
    ("percents", "allocated", "over", "free"),
    [
        ([], 0, False, 100),
        ([60, 40], 100, False, 0),
        ([60, 41], 101, True, 0),
        ([30], 30, False, 70),
    ],
)
def test_capacity_flags_over_and_unallocated(percents, allocated, over, free):
    flag = capacity_flag(percents=percents)
    assert (flag.allocated_percent, flag.over_allocated, flag.unallocated_percent) == (
        allocated,
        over,
        free,
    )


def jira_payload(**overrides):
    fields = {
        "summary": "Automate the release checklist",
        "project": {"key": "PLAT"},
        "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
        "duedate": "2026-12-15",
        "assignee": {"emailAddress": "ian@example.com"},
    }
    fields.update(overrides)
    return {"webhookEvent": "jira:issue_updated", "issue": {"key": "PLAT-7", "fields": fields}}


def test_jira_payload_maps_status_categories_and_fields():
    data = jira_issue_fields(jira_payload())
    assert data["status"] == "in_progress"
    assert (data["issue_key"], data["project_key"], data["due_date"]) == (
        "PLAT-7",
        "PLAT",
        "2026-12-15",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([], "issue"),
        ({"issue": {"key": "PLAT-7"}}, "issue.fields"),
        (jira_payload(duedate="15/12/2026"), "issue.fields.duedate"),
        (jira_payload(status={"name": "Sleeping"}), "issue.fields.status"),
        (jira_payload(summary=""), "issue.fields.summary"),
    ],
)
def test_bad_jira_payloads_name_the_field(payload, field):
    with pytest.raises(ValueError, match=field.split(".")[-1]) as exc:
        jira_issue_fields(payload)
    assert field in exc.value.errors


# Services -----------------------------------------------------------------------------


@pytest.fixture
def project(org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    return ImprovementProject.objects.create(
        department=org.platform, name="Release automation", owner=org.lea, jira_key="PLAT"
    )


@pytest.mark.django_db
def test_jira_upsert_is_idempotent_and_applies_changes(org, project):
    first = improvement_task_upsert_from_jira(actor=org.hr, payload=jira_payload())
    assert first.outcome == "created"
    stamp = first.task.updated_at
    again = improvement_task_upsert_from_jira(actor=org.hr, payload=jira_payload())
    assert again.outcome == "unchanged"
    assert ImprovementTask.objects.get().updated_at == stamp
    done = jira_payload(status={"name": "Done", "statusCategory": {"key": "done"}})
    changed = improvement_task_upsert_from_jira(actor=org.hr, payload=done)
    assert changed.outcome == "updated"
    task = ImprovementTask.objects.get()
    assert (task.status, task.assignee, task.owner) == ("done", org.ian, org.lea)
    assert task.completed_at is not None


@pytest.mark.django_db
def test_jira_upsert_refuses_unknown_project_and_assignee(org, project):
    with pytest.raises(DomainError) as exc:
        improvement_task_upsert_from_jira(
            actor=org.hr, payload=jira_payload(project={"key": "NOPE"})
        )
    assert exc.value.field == "issue.fields.project.key"
    with pytest.raises(DomainError) as exc:
        improvement_task_upsert_from_jira(
            actor=org.hr, payload=jira_payload(assignee={"emailAddress": "ghost@example.com"})
        )
    assert exc.value.field == "issue.fields.assignee"
    assert not ImprovementTask.objects.exists()


@pytest.mark.django_db
def test_jira_upsert_needs_an_integration_login(org, project):
    with pytest.raises(Forbidden):
        improvement_task_upsert_from_jira(actor=org.lea.user, payload=jira_payload())
    bot = UserFactory(username="jira-bot")
    bot.groups.add(Group.objects.get(name=INTEGRATION_GROUP))
    assert improvement_task_upsert_from_jira(actor=bot, payload=jira_payload()).outcome == "created"


@pytest.mark.django_db
def test_session_completion_marks_absentees(org):
    session = tech_session_schedule(
        actor=org.lea.user,
        department=org.platform,
        topic="How deploys work",
        scheduled_for=timezone.now() + timedelta(days=2),
        presenter=org.lea,
        invitees=[org.jo],
        mandatory=[org.ian],
    )
    with time_machine.travel(session.scheduled_for + timedelta(hours=1)):  # held
        tech_session_record(
            actor=org.lea.user, session=session, status="completed", present=[org.ian]
        )
    attendance = dict(session.invites.values_list("person__full_name", "attendance"))
    assert attendance == {"Ian Engineer": "present", "Jo Junior": "absent"}
    assert session.invites.get(person=org.ian).mandatory
    with pytest.raises(Conflict):
        tech_session_record(actor=org.lea.user, session=session, status="cancelled")


@pytest.mark.django_db
def test_only_the_lead_or_hr_schedules_sessions_and_logs_incidents(org):
    with pytest.raises(Forbidden):
        tech_session_schedule(
            actor=org.ian.user, department=org.platform, topic="x", scheduled_for=timezone.now()
        )
    now = timezone.now()
    with pytest.raises(DomainError, match="resolved before it starts"):
        incident_record(
            actor=org.lea.user,
            department=org.platform,
            title="DB down",
            severity="sev1",
            started_at=now,
            resolved_at=now - timedelta(hours=1),
        )


@pytest.mark.django_db
def test_escalation_in_sql_follows_the_chain_for_every_department(org, django_assert_num_queries):
    successor_nominate(department=org.data, person=org.dana, actor=org.hr, readiness="ready_now")
    gone = PersonFactory(department=org.data)
    successor_nominate(department=org.data, person=gone, actor=None, readiness="ready_now")
    gone.is_active = False
    gone.save()
    with django_assert_num_queries(1):  # one SELECT, three correlated subqueries
        rows = {d.slug: (d.escalation_role, d.escalation_person_id) for d in escalation_annotated()}
    assert rows == {"platform": ("tech_lead", org.lea.pk), "data": ("successor", org.dana.pk)}

    before_handover = timezone.now()
    assignment_end(assignment=org.lead, ended_by=org.hr)
    org.maya.is_active = False
    org.maya.save()
    now = {d.slug: d.escalation_role for d in escalation_annotated()}
    assert now["platform"] is None  # no lead, no successor, manager inactive
    then = {d.slug: d.escalation_person_id for d in escalation_annotated(at=before_handover)}
    assert then["platform"] == org.lea.pk
    assert TechLeadAssignment.objects.filter(department=org.platform).count() == 1


@pytest.mark.django_db
def test_capacity_flags_over_allocation_in_sql(org, project):
    start, end = timezone.now().date(), timezone.now().date() + timedelta(days=90)
    allocation_set(
        actor=org.lea.user,
        person=org.ian,
        percent=70,
        period_start=start,
        period_end=end,
        project=project,
    )
    allocation_set(
        actor=org.lea.user,
        person=org.ian,
        percent=40,
        period_start=start,
        period_end=end,
        duty="On-call",
    )
    later = end + timedelta(days=1)
    allocation_set(
        actor=org.hr,
        person=org.jo,
        percent=50,
        period_start=later,
        period_end=later,
        duty="Support rotation",
    )
    people = people_with_capacity(
        Person.objects.filter(department=org.platform), period_start=start, period_end=end
    )
    flags = {p.full_name: capacity_flag(percents=[p.allocated_percent]) for p in people}
    assert flags["Ian Engineer"].over_allocated and flags["Ian Engineer"].allocated_percent == 110
    assert flags["Jo Junior"].unallocated_percent == 100  # outside the period
    with pytest.raises(DomainError, match="names a project or a duty"):
        allocation_set(actor=org.hr, person=org.jo, percent=10, period_start=start, period_end=end)
    with pytest.raises(Forbidden):
        allocation_set(
            actor=org.ian.user,
            person=org.jo,
            percent=10,
            period_start=start,
            period_end=end,
            duty="x",
        )


@pytest.mark.parametrize(
    "status",
    [{"statusCategory": {"key": ["done"]}}, {"name": ["Done"]}, {"statusCategory": "done"}, 7],
)
def test_odd_status_shapes_are_a_field_error_not_a_crash(status):
    with pytest.raises(ValueError, match="status"):
        jira_issue_fields(jira_payload(status=status))


@pytest.mark.django_db
def test_only_invitees_can_be_recorded_present(org):
    session = tech_session_schedule(
        actor=org.lea.user,
        department=org.platform,
        topic="Incident drills",
        scheduled_for=timezone.now(),
        invitees=[org.jo],
    )
    with pytest.raises(DomainError, match="Not invited to this session: Dana Data") as refused:
        tech_session_record(
            actor=org.lea.user, session=session, status="completed", present=[org.dana]
        )
    assert refused.value.field == "present"
    session.refresh_from_db()
    assert session.status == "scheduled"  # nothing recorded


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


@pytest.mark.django_db
def test_a_project_hr_starts_is_owned_by_the_department_s_lead(org):
    project = improvement_project_create(actor=org.hr, department=org.platform, name="Less toil")
    assert project.owner == org.lea
    leadless = improvement_project_create(actor=org.hr, department=org.data, name="Data toil")
    assert leadless.owner is None


@pytest.mark.django_db
def test_an_assignee_from_another_department_sees_and_moves_their_task(org, api):
    dana = org.dana
    dana.user = UserFactory(username="dana")
    dana.save()
    project = improvement_project_create(actor=org.lea.user, department=org.platform, name="CI")
    task = improvement_task_create(
        actor=org.lea.user, project=project, title="Share the data fixtures", assignee=dana
    )
    client = APIClient()
    client.force_authenticate(dana.user)
    listed = client.get("/api/v1/improvement-tasks/").json()["results"]
    assert [row["id"] for row in listed] == [task.pk]
    moved = client.patch(f"/api/v1/improvement-tasks/{task.pk}/", {"status": "done"}, format="json")
    assert moved.status_code == 200 and moved.json()["completed_at"] is not None
