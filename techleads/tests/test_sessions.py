"""Tech sessions through their services: who schedules, attendance when a session is
recorded, and only invitees recorded present."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from departments.errors import Conflict, DomainError, Forbidden
from techleads.services import tech_session_record, tech_session_schedule

pytestmark = pytest.mark.django_db


def test_only_the_lead_or_hr_schedules_sessions(org):
    with pytest.raises(Forbidden):
        tech_session_schedule(
            actor=org.ian.user, department=org.platform, topic="x", scheduled_for=timezone.now()
        )


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
