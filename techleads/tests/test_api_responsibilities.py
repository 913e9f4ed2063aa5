"""The rest of the role in API v1: tech sessions, improvement projects and tasks, capacity
allocations, incidents and the escalation sheet.

Every write answers with the record and leaves an audit entry; bad input is a 400 naming
the field and writes nothing; every list costs the same number of queries whatever its
length. The clock is frozen on 15 May 2030, so "this month" is May 2030.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from departments.models import AuditEntry
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import (
    Allocation,
    ImprovementProject,
    ImprovementTask,
    Incident,
    TechSession,
    TechSessionInvite,
)
from techleads.services import (
    allocation_set,
    assignment_create,
    improvement_project_create,
    improvement_task_create,
    incident_record,
    successor_nominate,
    tech_session_schedule,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 5, 15, 9, 30, tzinfo=UTC)
SESSIONS = "/api/v1/tech-sessions/"
PROJECTS = "/api/v1/improvement-projects/"
TASKS = "/api/v1/improvement-tasks/"
ALLOCATIONS = "/api/v1/allocations/"
INCIDENTS = "/api/v1/incidents/"


@pytest.fixture(autouse=True)
def may_2030():
    with time_machine.travel(NOW, tick=True):
        yield


def last_audit() -> tuple[str, str, int]:
    """(verb, actor's username, target id) of the newest audit entry."""
    entry = AuditEntry.objects.select_related("actor").order_by("-id").first()
    return entry.verb, entry.actor.username, int(entry.target_id)


def capacity(api, org, role="lea", query=""):
    response = api(role).get(f"/api/v1/departments/{org.platform.pk}/capacity/{query}")
    assert response.status_code == 200, response.content
    return {row.pop("full_name"): row for row in response.json()["results"]}


# Tech sessions ------------------------------------------------------------------------


def session_body(org, **changes):
    return {
        "department": org.platform.pk,
        "topic": "How deploys work",
        "presenter": org.lea.pk,
        "scheduled_for": "2030-05-20T14:00:00+02:00",
        "invitees": [org.jo.pk],
        "mandatory": [org.ian.pk],
        "link": "",
        **changes,
    }


@pytest.fixture
def session(api, org):
    response = api("lea").post(SESSIONS, session_body(org), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_scheduling_a_session_answers_with_its_invites(session, org):
    assert session["status"] == "scheduled"
    assert session["scheduled_for"] == "2030-05-20T12:00:00Z"
    assert (session["department"], session["presenter"]) == (org.platform.pk, org.lea.pk)
    assert session["invites"] == [
        {
            "person": org.ian.pk,
            "full_name": "Ian Engineer",
            "mandatory": True,
            "attendance": "invited",
        },
        {
            "person": org.jo.pk,
            "full_name": "Jo Junior",
            "mandatory": False,
            "attendance": "invited",
        },
    ]
    assert not {"invitees", "mandatory"} & set(session)
    assert last_audit() == ("session.schedule", "lea", session["id"])


def test_an_invitee_sees_the_session_and_filters_by_person(api, session, org):
    mine = api("ian").get(f"{SESSIONS}?person={org.ian.pk}").json()
    assert [s["id"] for s in mine["results"]] == [session["id"]]
    assert api("ian").get(f"{SESSIONS}?person={org.maya.pk}").json()["count"] == 0
    assert api("max").get(SESSIONS).json()["count"] == 0


def test_recording_it_completed_marks_the_others_absent_and_twice_is_a_409(api, session, org):
    url = f"{SESSIONS}{session['id']}/record/"
    body = {"status": "completed", "present": [org.ian.pk], "link": "https://wiki.example.com/d"}
    with time_machine.travel(datetime(2030, 5, 20, 13, 0, tzinfo=UTC), tick=True):  # held
        done = api("lea").post(url, body, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["link"]) == ("completed", body["link"])
    attendance = {i["full_name"]: i["attendance"] for i in done.json()["invites"]}
    assert attendance == {"Ian Engineer": "present", "Jo Junior": "absent"}
    assert last_audit() == ("session.completed", "lea", session["id"])

    again = api("lea").post(url, {"status": "cancelled"}, format="json")
    assert again.status_code == 409
    assert "already completed" in again.json()["detail"]
    assert TechSession.objects.get().status == "completed"
    assert last_audit()[0] == "session.completed"


def test_cancelling_a_session(api, session, org):
    url = f"{SESSIONS}{session['id']}/record/"
    cancelled = api("hr").post(url, {"status": "cancelled"}, format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert {i["attendance"] for i in cancelled.json()["invites"]} == {"invited"}
    assert last_audit() == ("session.cancelled", "hr", session["id"])
    assert api("lea").get(f"{SESSIONS}?status=cancelled").json()["count"] == 1
    assert api("lea").get(f"{SESSIONS}?status=scheduled").json()["count"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda org: {"topic": "   "}, "topic"),
        (lambda org: {"topic": "x" * 301}, "topic"),
        (lambda org: {"presenter": 999999}, "presenter"),
        (
            lambda org: {"presenter": PersonFactory(department=org.platform, is_active=False).pk},
            "presenter",
        ),
        (lambda org: {"scheduled_for": "next Tuesday"}, "scheduled_for"),
        (lambda org: {"scheduled_for": None}, "scheduled_for"),
        (lambda org: {"link": "slides on the wiki"}, "link"),
        (lambda org: {"invitees": [999999]}, "invitees"),
        (lambda org: {"department": None}, "department"),
    ],
    ids=[
        "blank topic",
        "long topic",
        "unknown presenter",
        "inactive presenter",
        "invalid datetime",
        "no datetime",
        "link not a URL",
        "unknown invitee",
        "no department",
    ],
)
def test_a_bad_session_is_a_400_naming_the_field_and_writes_nothing(api, org, change, field):
    audited = AuditEntry.objects.count()
    response = api("lea").post(SESSIONS, session_body(org, **change(org)), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not TechSession.objects.exists() and not TechSessionInvite.objects.exists()
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "scheduled"}, "status"),
        ({"status": "done"}, "status"),
        ({}, "status"),
        ({"status": "completed", "present": [999999]}, "present"),
        ({"status": "completed", "link": "slides"}, "link"),
    ],
)
def test_a_bad_record_is_a_400_and_the_session_stays_scheduled(api, session, body, field):
    audited = AuditEntry.objects.count()
    response = api("lea").post(f"{SESSIONS}{session['id']}/record/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert TechSession.objects.get().status == "scheduled"
    assert set(TechSessionInvite.objects.values_list("attendance", flat=True)) == {"invited"}
    assert AuditEntry.objects.count() == audited


# Improvement projects and tasks -------------------------------------------------------


@pytest.fixture
def project(org):
    return improvement_project_create(
        actor=org.lea.user, department=org.platform, name="Release automation", jira_key="PLAT"
    )


def test_a_project_is_owned_by_the_acting_lead_unless_told_otherwise(api, org):
    mine = api("lea").post(
        PROJECTS,
        {"department": org.platform.pk, "name": "Faster CI", "jira_key": "ci "},
        format="json",
    )
    assert mine.status_code == 201, mine.content
    body = mine.json()
    assert (body["owner"], body["jira_key"], body["is_active"]) == (org.lea.pk, "CI", True)
    assert (body["open_tasks"], body["overdue_tasks"], body["done_tasks"]) == (0, 0, 0)
    assert last_audit() == ("project.create", "lea", body["id"])
    theirs = api("lea").post(
        PROJECTS,
        {"department": org.platform.pk, "name": "On-call", "owner": org.ian.pk},
        format="json",
    )
    assert theirs.json()["owner"] == org.ian.pk


def test_a_jira_key_in_use_is_a_400_on_create_and_on_update(api, org, project):
    taken = api("lea").post(
        PROJECTS, {"department": org.platform.pk, "name": "Twin", "jira_key": "plat"}, format="json"
    )
    assert taken.status_code == 400
    assert "jira_key" in taken.json()
    assert ImprovementProject.objects.count() == 1
    other = api("lea").post(PROJECTS, {"department": org.platform.pk, "name": "Ops"}, format="json")
    blank_too = api("lea").post(
        PROJECTS, {"department": org.platform.pk, "name": "Misc"}, format="json"
    )
    assert (other.status_code, blank_too.status_code) == (201, 201)  # blank keys never collide
    url = f"{PROJECTS}{other.json()['id']}/"
    assert api("lea").patch(url, {"jira_key": "PLAT"}, format="json").status_code == 400
    assert ImprovementProject.objects.get(pk=other.json()["id"]).jira_key == ""


def test_a_project_change_is_audited_once_and_stays_in_its_department(api, org, project):
    url = f"{PROJECTS}{project.pk}/"
    renamed = api("lea").patch(url, {"name": "Release train", "is_active": False}, format="json")
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["is_active"]) == ("Release train", False)
    assert last_audit() == ("project.update", "lea", project.pk)
    audited = AuditEntry.objects.count()
    assert api("lea").patch(url, {"name": "Release train"}, format="json").status_code == 200
    assert AuditEntry.objects.count() == audited  # nothing changed, nothing to audit
    moved = api("hr").patch(url, {"department": org.data.pk}, format="json")
    assert moved.status_code == 400 and "department" in moved.json()
    assert api("hr").get(f"{PROJECTS}?active=false").json()["count"] == 1


def test_a_task_delegated_by_the_lead_is_owned_by_the_lead(api, org, project):
    response = api("lea").post(
        TASKS,
        {"project": project.pk, "title": "Automate the checklist", "assignee": org.ian.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert (task["owner"], task["assignee"], task["department"]) == (
        org.lea.pk,
        org.ian.pk,
        org.platform.pk,
    )
    assert (task["status"], task["overdue"], task["completed_at"]) == ("todo", False, None)
    assert last_audit() == ("task.create", "lea", task["id"])


def test_overdue_lists_only_open_tasks_past_their_due_date(api, org, project):
    def task(title, due, status="todo"):
        improvement_task_create(
            actor=org.lea.user, project=project, title=title, due_date=due, status=status
        )

    day = NOW.date()
    task("Late", day - timedelta(days=14))
    task("Started late", day - timedelta(days=1), status="in_progress")
    task("Done late", day - timedelta(days=14), status="done")
    task("Cancelled late", day - timedelta(days=14), status="cancelled")
    task("Due today", day)
    task("Undated", None)

    late = api("ian").get(f"{TASKS}?overdue=true").json()["results"]
    assert [(t["title"], t["overdue"]) for t in late] == [("Late", True), ("Started late", True)]
    rest = api("ian").get(f"{TASKS}?overdue=false").json()["results"]
    assert {t["title"] for t in rest} == {"Done late", "Cancelled late", "Due today", "Undated"}
    assert {t["overdue"] for t in rest} == {False}
    counts = api("ian").get(f"{PROJECTS}{project.pk}/").json()
    assert (counts["open_tasks"], counts["overdue_tasks"], counts["done_tasks"]) == (4, 2, 1)


def test_the_assignee_moves_the_status_but_cannot_retitle(api, org, project):
    task = improvement_task_create(
        actor=org.lea.user, project=project, title="Cache the wheels", assignee=org.ian
    )
    url = f"{TASKS}{task.pk}/"
    done = api("ian").patch(url, {"status": "done"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["completed_at"]
    assert last_audit() == ("task.update", "ian", task.pk)
    reopened = api("ian").patch(url, {"status": "in_progress"}, format="json")
    assert (reopened.json()["status"], reopened.json()["completed_at"]) == ("in_progress", None)

    for body in ({"title": "Mine now"}, {"status": "done", "title": "Mine now"}):
        assert api("ian").patch(url, body, format="json").status_code == 403
    task.refresh_from_db()
    assert (task.title, task.status, task.completed_at) == ("Cache the wheels", "in_progress", None)
    assert api("ian").patch(url, {"status": "finished"}, format="json").status_code == 400


def test_a_task_stays_with_projects_of_its_department(api, org, project):
    task = improvement_task_create(actor=org.lea.user, project=project, title="Cache")
    data_project = improvement_project_create(actor=org.hr, department=org.data, name="Quality")
    moved = api("hr").patch(f"{TASKS}{task.pk}/", {"project": data_project.pk}, format="json")
    assert moved.status_code == 400
    assert "project" in moved.json()
    assert ImprovementTask.objects.get().project == project
    sibling = improvement_project_create(actor=org.hr, department=org.platform, name="CI")
    ok = api("lea").patch(f"{TASKS}{task.pk}/", {"project": sibling.pk}, format="json")
    assert ok.status_code == 200 and ok.json()["project"] == sibling.pk
    assert (
        api("lea")
        .post(TASKS, {"project": data_project.pk, "title": "Not mine"}, format="json")
        .status_code
        == 403
    )


def test_an_inactive_assignee_is_a_400(api, org, project):
    gone = PersonFactory(department=org.platform, is_active=False)
    response = api("lea").post(
        TASKS, {"project": project.pk, "title": "Cache", "assignee": gone.pk}, format="json"
    )
    assert response.status_code == 400 and "assignee" in response.json()
    assert not ImprovementTask.objects.exists()


# Allocations and capacity -------------------------------------------------------------


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
        period_start=NOW.date(),
        period_end=NOW.date(),
    )
    assert capacity(api, org)["Ian Engineer"]["allocated_percent"] == 60
    assert api("lea").delete(f"{ALLOCATIONS}{allocation.pk}/").status_code == 204
    assert last_audit() == ("allocation.remove", "lea", allocation.pk)
    assert capacity(api, org)["Ian Engineer"]["allocated_percent"] == 0
    assert api("lea").delete(f"{ALLOCATIONS}{allocation.pk}/").status_code == 404


# Incidents ----------------------------------------------------------------------------


@pytest.fixture
def incident(api, org):
    response = api("maya").post(
        INCIDENTS,
        {
            "department": org.platform.pk,
            "title": "Registry down",
            "severity": "sev1",
            "started_at": "2030-05-15T08:00:00Z",
            "handled_by": org.ian.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_manager_logs_an_incident_and_the_lead_resolves_it(api, org, incident):
    assert (incident["is_open"], incident["resolved_at"]) == (True, None)
    assert last_audit() == ("incident.record", "maya", incident["id"])
    assert [i["id"] for i in api("lea").get(f"{INCIDENTS}?open=true").json()["results"]] == [
        incident["id"]
    ]
    resolved = api("lea").patch(
        f"{INCIDENTS}{incident['id']}/",
        {"resolved_at": "2030-05-15T09:15:00Z", "postmortem_url": "https://wiki.example.com/pm"},
        format="json",
    )
    assert resolved.status_code == 200, resolved.content
    assert (resolved.json()["is_open"], resolved.json()["resolved_at"]) == (
        False,
        "2030-05-15T09:15:00Z",
    )
    assert last_audit() == ("incident.update", "lea", incident["id"])
    assert api("lea").get(f"{INCIDENTS}?open=true").json()["count"] == 0
    assert api("lea").get(f"{INCIDENTS}?open=false").json()["count"] == 1
    assert api("lea").get(f"{INCIDENTS}?severity=sev1").json()["count"] == 1


def test_an_incident_cannot_be_resolved_before_it_started(api, org, incident):
    audited = AuditEntry.objects.count()
    early = api("lea").patch(
        f"{INCIDENTS}{incident['id']}/", {"resolved_at": "2030-05-15T07:00:00Z"}, format="json"
    )
    assert early.status_code == 400
    assert "resolved_at" in early.json()
    backwards = api("lea").post(
        INCIDENTS,
        {
            "department": org.platform.pk,
            "title": "Disk full",
            "severity": "sev3",
            "started_at": "2030-05-15T08:00:00Z",
            "resolved_at": "2030-05-14T08:00:00Z",
        },
        format="json",
    )
    assert backwards.status_code == 400
    assert "resolved_at" in backwards.json()
    assert Incident.objects.get().resolved_at is None
    assert AuditEntry.objects.count() == audited


def test_an_incident_stays_in_its_department(api, org, incident):
    moved = api("hr").patch(
        f"{INCIDENTS}{incident['id']}/", {"department": org.data.pk}, format="json"
    )
    assert moved.status_code == 400 and "department" in moved.json()
    assert Incident.objects.get().department == org.platform


def test_an_inactive_handler_is_a_400(api, org, incident):
    org.jo.is_active = False
    org.jo.save()
    url = f"{INCIDENTS}{incident['id']}/"
    response = api("lea").patch(url, {"handled_by": org.jo.pk}, format="json")
    assert response.status_code == 400 and "handled_by" in response.json()
    assert Incident.objects.get().handled_by == org.ian


# Escalation sheet ---------------------------------------------------------------------


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


# Malformed filters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/improvement-tasks/?overdue=maybe", "overdue"),
        ("/api/v1/improvement-tasks/?status=blocked", "status"),
        ("/api/v1/improvement-projects/?active=perhaps", "active"),
        ("/api/v1/incidents/?open=x", "open"),
        ("/api/v1/incidents/?severity=sev9", "severity"),
        ("/api/v1/allocations/?on=notadate", "on"),
        ("/api/v1/allocations/?department=platform", "department"),
        ("/api/v1/allocations/?department=100000000000000000000", "department"),
        ("/api/v1/improvement-tasks/?department=1.5", "department"),
        ("/api/v1/improvement-tasks/?department=100000000000000000000", "department"),
        ("/api/v1/tech-sessions/?person=100000000000000000000", "person"),
        ("/api/v1/tech-sessions/?status=done", "status"),
        ("/api/v1/tech-sessions/?scheduled_after=soon", "scheduled_after"),
        ("/api/v1/departments/escalation/?at=noon", "at"),
        ("/api/v1/departments/{platform}/capacity/?period_start=May", "period_start"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(api, org, path, field):
    response = api("hr").get(path.format(platform=org.platform.pk))
    assert response.status_code == 400
    assert field in response.json()


# Query counts -------------------------------------------------------------------------


def sixty_sessions(org):
    for i in range(60):
        tech_session_schedule(
            actor=org.hr,
            department=org.platform,
            topic=f"Session {i}",
            scheduled_for=NOW + timedelta(days=i),
            presenter=org.lea,
            invitees=[org.jo],
            mandatory=[org.ian],
        )


def sixty_projects(org):
    for i in range(60):
        project = improvement_project_create(
            actor=org.hr, department=org.platform, name=f"Project {i}", owner=org.lea
        )
        improvement_task_create(actor=org.hr, project=project, title="First step")


def sixty_tasks(org):
    project = improvement_project_create(actor=org.hr, department=org.platform, name="Big one")
    for i in range(60):
        improvement_task_create(
            actor=org.hr,
            project=project,
            title=f"Task {i}",
            assignee=org.ian,
            due_date=NOW.date() + timedelta(days=i - 30),
        )


def sixty_allocations(org):
    for i in range(60):
        allocation_set(
            actor=org.hr,
            person=[org.ian, org.jo, org.lea][i % 3],
            percent=5,
            duty=f"Duty {i}",
            period_start=NOW.date(),
            period_end=NOW.date() + timedelta(days=i),
        )


def sixty_incidents(org):
    for i in range(60):
        incident_record(
            actor=org.hr,
            department=org.platform,
            title=f"Incident {i}",
            severity="sev3",
            started_at=NOW - timedelta(hours=i),
            handled_by=org.ian,
        )


def sixty_people(org):
    for person in PersonFactory.create_batch(60, department=org.platform):
        allocation_set(
            actor=org.hr,
            person=person,
            percent=50,
            duty="On-call",
            period_start=NOW.date(),
            period_end=NOW.date(),
        )


# name: (path, rows, queries as HR, as the Tech Lead). Every list costs the token with its
# user, the HR group check, COUNT and the page; scoping by person adds the viewer's person.
LISTS = {
    # + the page's invites; the Tech Lead also their person (sessions they are invited to)
    "tech-sessions": (SESSIONS, sixty_sessions, 5, 6),
    # task counts are subqueries of the page's query
    "improvement-projects": (PROJECTS, sixty_projects, 4, 5),
    "improvement-tasks": (TASKS, sixty_tasks, 4, 5),
    "allocations": (ALLOCATIONS, sixty_allocations, 4, 5),
    "incidents": (INCIDENTS, sixty_incidents, 4, 5),
    # + the department (get_object) and its active lead (prefetched)
    "capacity": ("/api/v1/departments/{platform}/capacity/", sixty_people, 6, 7),
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


def grow_departments(org, n):
    """n more departments, every other one with a Tech Lead, each with a manager, a ready
    successor, a document, a task and a completed session."""
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
            actor=org.hr, project=project, title="T", due_date=NOW.date() - timedelta(days=1)
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # token and user, HR group check, COUNT, the page with every score input as a subquery
        ("/api/v1/departments/health/", 4),
        # the same, + the escalation people of the page (one IN query)
        ("/api/v1/departments/escalation/", 5),
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
