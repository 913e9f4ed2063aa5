import pytest

from departments.errors import DomainError, Forbidden
from departments.models import AuditEntry
from departments.tests.factories import PersonFactory
from techleads.errors import AssignmentAlreadyEnded, LeadAlreadyAssigned, NoActiveLead, NotEligible
from techleads.models import TechLeadAssignment
from techleads.selectors import current_assignment, succession_risks
from techleads.services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    successor_nominate,
)

pytestmark = pytest.mark.django_db


def test_assign_records_who_when_why_and_audits(org):
    lead = assignment_create(
        department=org.data, person=org.dana, assigned_by=org.hr, reason="Owns the pipelines"
    )
    assert lead.assigned_by == org.hr
    assert lead.started_at is not None and lead.ended_at is None
    entry = AuditEntry.objects.get(verb="techlead.assign", target_id=str(lead.pk))
    assert entry.actor == org.hr
    assert entry.before is None
    assert entry.after["person"] == org.dana.pk
    assert entry.department == org.data


def test_second_active_lead_is_a_conflict(org):
    with pytest.raises(LeadAlreadyAssigned):
        assignment_create(department=org.platform, person=org.ian, assigned_by=org.hr, reason="x")
    assert TechLeadAssignment.objects.filter(department=org.platform).count() == 1


def test_ineligible_person_is_refused_with_the_reason(org):
    assignment_end(assignment=org.lead, ended_by=org.hr)
    with pytest.raises(NotEligible) as exc:
        assignment_create(department=org.platform, person=org.jo, assigned_by=org.hr, reason="x")
    assert "below Level 3" in exc.value.message
    assert exc.value.field == "person"
    assert current_assignment(department=org.platform) is None


def test_hr_override_assigns_an_ineligible_person_and_records_why(org):
    assignment_end(assignment=org.lead, ended_by=org.hr, reason="Moved teams")
    lead = assignment_create(
        department=org.platform,
        person=org.jo,
        assigned_by=org.hr,
        reason="Interim",
        override_reason="Only person who knows the billing system",
    )
    assert lead.override_reason == "Only person who knows the billing system"


def test_person_outside_the_department_is_refused(org):
    with pytest.raises(DomainError, match="not an active member"):
        assignment_create(department=org.data, person=org.ian, assigned_by=org.hr, reason="x")


def test_only_hr_assigns(org):
    with pytest.raises(Forbidden):
        assignment_create(
            department=org.data, person=org.dana, assigned_by=org.max.user, reason="x"
        )


def test_end_keeps_history_and_cannot_end_twice(org):
    ended = assignment_end(assignment=org.lead, ended_by=org.hr, reason="Parental leave")
    assert ended.ended_at is not None and ended.end_reason == "Parental leave"
    with pytest.raises(AssignmentAlreadyEnded):
        assignment_end(assignment=org.lead, ended_by=org.hr)
    assert TechLeadAssignment.objects.filter(pk=org.lead.pk).exists()
    assert AuditEntry.objects.filter(verb="techlead.end").count() == 1


def test_hand_over_ends_and_starts_at_the_same_moment(org):
    new = assignment_hand_over(
        department=org.platform, successor=org.ian, actor=org.hr, reason="Ian is ready"
    )
    old = TechLeadAssignment.objects.get(pk=org.lead.pk)
    assert old.ended_at == new.started_at
    assert "Handed over to Ian Engineer" in old.end_reason
    assert current_assignment(department=org.platform) == new
    entry = AuditEntry.objects.get(verb="techlead.hand_over")
    assert entry.before["person"] == org.lea.pk and entry.after["person"] == org.ian.pk


def test_refused_hand_over_changes_nothing(org):
    with pytest.raises(NotEligible):
        assignment_hand_over(department=org.platform, successor=org.jo, actor=org.hr, reason="x")
    assert current_assignment(department=org.platform) == org.lead
    assert not AuditEntry.objects.filter(verb="techlead.hand_over").exists()


def test_hand_over_without_a_lead_is_a_conflict(org):
    with pytest.raises(NoActiveLead):
        assignment_hand_over(department=org.data, successor=org.dana, actor=org.hr, reason="x")


def test_transition_lead_without_ready_successor_is_a_succession_risk(org):
    org.lea.track, org.lea.level, org.lea.step = "manager", 2, 3
    org.lea.save()
    assert list(succession_risks()) == [org.lead]
    successor_nominate(
        department=org.platform, person=org.ian, actor=org.maya.user, readiness="ready_now"
    )
    assert list(succession_risks()) == []


def test_manager_nominates_only_in_their_department(org):
    other = PersonFactory(department=org.data)
    with pytest.raises(Forbidden):
        successor_nominate(
            department=org.data, person=other, actor=org.maya.user, readiness="ready_now"
        )
