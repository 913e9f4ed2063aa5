"""Every service checks its actor itself; the system acts explicitly, and no actor is no
authority (a caller that forgets the actor used to get the system's)."""

import pytest

from departments.actors import SYSTEM
from departments.errors import Forbidden
from departments.models import AuditEntry
from departments.services import department_update, person_create, person_update
from sops.services import document_create
from techleads.selectors import can_lead_department
from techleads.services import assignment_end, successor_nominate


def test_no_actor_has_no_authority(org):
    assert not can_lead_department(None, org.platform)
    with pytest.raises(Forbidden):
        assignment_end(assignment=org.lead, ended_by=None)
    with pytest.raises(Forbidden):
        successor_nominate(
            department=org.platform, person=org.ian, actor=None, readiness="ready_now"
        )
    with pytest.raises(Forbidden):
        document_create(actor=None, title="Runbook", kind="sop", department=org.platform)


def test_the_system_acts_explicitly_and_is_audited(org):
    assert can_lead_department(SYSTEM, org.platform)
    ended = assignment_end(assignment=org.lead, ended_by=SYSTEM, reason="Left the company")
    assert ended.ended_at is not None and ended.ended_by is None
    entry = AuditEntry.objects.get(verb="techlead.end")
    assert entry.actor is None  # the system, not a login


@pytest.mark.parametrize("role", ["maya", "lea", "ian"])
def test_department_and_person_services_are_hr_only(org, role):
    """The API and the admin check the role before calling; the services check it too."""
    actor = {"maya": org.maya.user, "lea": org.lea.user, "ian": org.ian.user}[role]
    with pytest.raises(Forbidden):
        department_update(actor=actor, department=org.data, name="Data Science")
    with pytest.raises(Forbidden):
        person_update(actor=actor, person=org.jo, level=3)
    with pytest.raises(Forbidden):
        person_create(
            actor=actor, employee_id="E-9", full_name="New Hire", department=org.data, level=1
        )
    org.data.refresh_from_db()
    assert org.data.name == "Data"


def test_an_update_that_changes_nothing_writes_nothing(org):
    before = AuditEntry.objects.count()
    department_update(actor=org.hr, department=org.data, name="Data")
    person_update(actor=org.hr, person=org.jo, level=org.jo.level)
    assert AuditEntry.objects.count() == before
    person_update(actor=org.hr, person=org.jo, level=3)
    assert AuditEntry.objects.filter(verb="person.update").count() == 1
