"""A tech session is recorded as held only once it has started: attendance of a session
that has not happened yet would be invented. Cancelling it beforehand stays allowed.

The refusal lives in the service, so every face (API, dashboard, a script) gets it; the
dashboard's own checks are in dashboard/tests/test_views_sessions.py."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from departments.errors import DomainError
from departments.models import AuditEntry
from techleads.models import TechSession, TechSessionInvite
from techleads.services import tech_session_record, tech_session_schedule

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 5, 15, 9, 30, tzinfo=UTC)
STARTS = NOW + timedelta(days=5)


@pytest.fixture(autouse=True)
def may_2030():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(org):
    return tech_session_schedule(
        actor=org.lea.user,
        department=org.platform,
        topic="How deploys work",
        scheduled_for=STARTS,
        invitees=[org.ian, org.jo],
    )


def unchanged(session, audited: int) -> bool:
    session.refresh_from_db()
    attendance = set(TechSessionInvite.objects.values_list("attendance", flat=True))
    return (
        session.status == "scheduled"
        and attendance == {"invited"}
        and AuditEntry.objects.count() == audited
    )


# The service ----------------------------------------------------------------------------


@pytest.mark.parametrize("present", [[], ["ian"]])
def test_a_session_that_has_not_started_is_not_recorded_as_held(org, session, present):
    audited = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="has not started yet") as refused:
        tech_session_record(
            actor=org.lea.user,
            session=session,
            status="completed",
            present=[getattr(org, name) for name in present],
        )
    assert refused.value.field == "status"
    assert refused.value.status_code == 400
    assert "2030-05-20" in refused.value.message  # says when it can be recorded
    assert unchanged(session, audited)


def test_hr_is_refused_too(org, session):
    with pytest.raises(DomainError, match="has not started yet"):
        tech_session_record(actor=org.hr, session=session, status="completed")


def test_one_second_before_the_start_is_still_too_early(org, session):
    with time_machine.travel(STARTS - timedelta(seconds=1), tick=False):
        with pytest.raises(DomainError, match="has not started yet"):
            tech_session_record(actor=org.lea.user, session=session, status="completed")


def test_from_its_start_it_is_recorded_as_held(org, session):
    with time_machine.travel(STARTS, tick=False):
        tech_session_record(
            actor=org.lea.user, session=session, status="completed", present=[org.ian]
        )
    session.refresh_from_db()
    assert session.status == "completed"
    attendance = dict(session.invites.values_list("person__full_name", "attendance"))
    assert attendance == {"Ian Engineer": "present", "Jo Junior": "absent"}


def test_a_future_session_can_still_be_cancelled(org, session):
    tech_session_record(actor=org.lea.user, session=session, status="cancelled")
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert set(session.invites.values_list("attendance", flat=True)) == {"invited"}
    assert AuditEntry.objects.filter(verb="session.cancelled").count() == 1


def test_a_future_session_s_other_refusals_are_unchanged(org, session):
    """Already recorded comes first: a cancelled session is a 409, not 'too early'."""
    from departments.errors import Conflict

    tech_session_record(actor=org.lea.user, session=session, status="cancelled")
    with pytest.raises(Conflict, match="already cancelled"):
        tech_session_record(actor=org.lea.user, session=session, status="completed")


# The API ----------------------------------------------------------------------------------


def record_url(session) -> str:
    return f"/api/v1/tech-sessions/{session.pk}/record/"


@pytest.mark.parametrize("role", ["lea", "hr"])
def test_the_api_refuses_to_record_a_future_session_as_held_with_a_400(api, org, session, role):
    audited = AuditEntry.objects.count()
    response = api(role).post(
        record_url(session), {"status": "completed", "present": [org.ian.pk]}, format="json"
    )
    assert response.status_code == 400, response.content
    (message,) = response.json()["status"]
    assert "has not started yet" in message and "2030-05-20" in message
    assert unchanged(session, audited)


def test_the_api_records_it_once_it_has_started(api, org, session):
    with time_machine.travel(STARTS + timedelta(hours=1), tick=False):
        response = api("lea").post(
            record_url(session), {"status": "completed", "present": [org.ian.pk]}, format="json"
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    assert TechSession.objects.get().status == "completed"


def test_the_api_cancels_a_future_session(api, org, session):
    response = api("lea").post(record_url(session), {"status": "cancelled"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"


def test_the_api_still_answers_403_and_404_before_the_time_check(api, org, session):
    body = {"status": "completed"}
    assert api("ian").post(record_url(session), body, format="json").status_code == 403
    assert api("max").post(record_url(session), body, format="json").status_code == 404
