"""Tech sessions in API v1: scheduling with invites, recording attendance or a
cancellation, who sees which session, bad input, malformed filters, bounded queries.

Every write answers with the record and leaves an audit entry; bad input is a 400 naming
the field and writes nothing; the list costs the same number of queries whatever its
length. The clock is frozen on 15 May 2030 (the `may_2030` fixture).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from departments.models import AuditEntry
from departments.tests.api import last_audit
from departments.tests.factories import PersonFactory
from techleads.models import TechSession, TechSessionInvite
from techleads.services import tech_session_schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_2030")]

SESSIONS = "/api/v1/tech-sessions/"


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


# Query counts -------------------------------------------------------------------------


def sixty_sessions(org):
    for i in range(60):
        tech_session_schedule(
            actor=org.hr,
            department=org.platform,
            topic=f"Session {i}",
            scheduled_for=timezone.now() + timedelta(days=i),
            presenter=org.lea,
            invitees=[org.jo],
            mandatory=[org.ian],
        )


# name: (path, rows, queries as HR, as the Tech Lead). Every list costs the token with its
# user, their HR role and person (one query) and the page with the total (one query).
LISTS = {
    # + the page's invites; the Tech Lead also their person (sessions they are invited to)
    "tech-sessions": (SESSIONS, sixty_sessions, 3, 3),
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
