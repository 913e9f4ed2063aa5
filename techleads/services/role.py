"""The role itself: assign, end and hand over a department's Tech Lead."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.errors import DomainError
from departments.events import department_data, person_data
from departments.models import Department, Person
from departments.services import audit_entry_create, snapshot
from integrations.events import TECHLEAD_ASSIGNED, TECHLEAD_ENDED, TECHLEAD_HANDED_OVER
from integrations.services import event_publish

from ..errors import AssignmentAlreadyEnded, LeadAlreadyAssigned, NoActiveLead, NotEligible
from ..models import TechLeadAssignment
from ..selectors import person_eligibility
from .access import lock_departments, require_hr
from .succession import successor_withdraw_new_lead

ASSIGNMENT_FIELDS = (
    "department",
    "person",
    "started_at",
    "ended_at",
    "reason",
    "override_reason",
    "end_reason",
)


def _validate_new_lead(
    *, department: Department, person: Person, reason: str, override_reason: str
):
    if not reason.strip():
        raise DomainError("Say why this person is assigned.", field="reason")
    if person.department_id != department.pk or not person.is_active:
        raise DomainError(f"{person} is not an active member of {department}.", field="person")
    verdict = person_eligibility(person=person)
    if not verdict.can_be_assigned and not override_reason.strip():
        raise NotEligible(verdict.reason)
    return verdict


def _create_assignment(*, department, person, actor, reason, override_reason, started_at):
    try:
        with transaction.atomic():  # savepoint: the partial unique index has the last word
            return TechLeadAssignment.objects.create(
                department=department,
                person=person,
                # The system (an import, a data migration) is no login: recorded as none.
                assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
                reason=reason.strip(),
                override_reason=override_reason.strip(),
                started_at=started_at,
            )
    except IntegrityError as exc:
        raise LeadAlreadyAssigned(department) from exc


def _close(assignment: TechLeadAssignment, *, actor, reason: str, at) -> dict:
    """End `assignment` at `at`; returns its picture before, for the audit entry."""
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.ended_at = at
    assignment.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    assignment.end_reason = reason.strip()
    assignment.save(update_fields=["ended_at", "ended_by", "end_reason"])
    return before


def _publish(event: str, assignment: TechLeadAssignment, previous: Person | None = None):
    """The webhook event of an assignment that started or ended (DESIGN.md, Outbound
    webhooks), in the service's transaction."""

    def data():
        body = {
            "department": department_data(assignment.department),
            "person": person_data(assignment.person),
            "assignment": assignment.pk,
        }
        if event == TECHLEAD_HANDED_OVER:
            body["previous"] = person_data(previous)
        return body

    event_publish(event, data)


def _start(*, verb: str, verdict, before: dict | None = None, note: str = "", **assignment):
    """Start an assignment and audit it with the verdict it was made under; the new lead
    stops being a successor candidate of the department they now lead."""
    started = _create_assignment(**assignment)
    successor_withdraw_new_lead(
        department=assignment["department"], person=assignment["person"], actor=assignment["actor"]
    )
    audit_entry_create(
        actor=assignment["actor"],
        verb=verb,
        target=started,
        before=before,
        after=snapshot(started, ASSIGNMENT_FIELDS),
        department=assignment["department"],
        note=f"{note}Verdict: {verdict.verdict}. {verdict.reason}",
    )
    return started


@transaction.atomic
def assignment_create(
    *,
    department: Department,
    person: Person,
    assigned_by,
    reason: str,
    override_reason: str = "",
) -> TechLeadAssignment:
    """Make `person` the department's Tech Lead from now on.

    Refused when the department already has an active lead (409), the person is not an
    active member, or their verdict does not allow it and no override reason is given.
    """
    require_hr(assigned_by)
    lock_departments(department.pk)
    if TechLeadAssignment.objects.filter(department=department, ended_at__isnull=True).exists():
        raise LeadAlreadyAssigned(department)
    verdict = _validate_new_lead(
        department=department, person=person, reason=reason, override_reason=override_reason
    )
    started = _start(
        verb="techlead.assign",
        verdict=verdict,
        department=department,
        person=person,
        actor=assigned_by,
        reason=reason,
        override_reason=override_reason,
        started_at=timezone.now(),
    )
    _publish(TECHLEAD_ASSIGNED, started)
    return started


@transaction.atomic
def assignment_end(
    *, assignment: TechLeadAssignment, ended_by, reason: str = ""
) -> TechLeadAssignment:
    """End an active assignment; ending an ended one is a conflict (409)."""
    require_hr(ended_by)
    assignment = TechLeadAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        raise AssignmentAlreadyEnded(assignment)
    before = _close(assignment, actor=ended_by, reason=reason, at=timezone.now())
    audit_entry_create(
        actor=ended_by,
        verb="techlead.end",
        target=assignment,
        before=before,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
        department=assignment.department,
    )
    _publish(TECHLEAD_ENDED, assignment)
    return assignment


@transaction.atomic
def assignment_hand_over(
    *,
    department: Department,
    successor: Person,
    actor,
    reason: str,
    override_reason: str = "",
) -> TechLeadAssignment:
    """End the current lead and start the successor's assignment, in one transaction."""
    require_hr(actor)
    lock_departments(department.pk)
    current = (
        TechLeadAssignment.objects.select_for_update()
        .filter(department=department, ended_at__isnull=True)
        .select_related("person")
        .first()
    )
    if current is None:
        raise NoActiveLead(department)
    if current.person_id == successor.pk:
        raise DomainError(f"{successor} is already the Tech Lead of {department}.", field="person")
    verdict = _validate_new_lead(
        department=department, person=successor, reason=reason, override_reason=override_reason
    )
    now = timezone.now()
    before = _close(current, actor=actor, reason=f"Handed over to {successor}. {reason}", at=now)
    started = _start(
        verb="techlead.hand_over",
        verdict=verdict,
        before=before,
        note=f"From {current.person} to {successor}. ",
        department=department,
        person=successor,
        actor=actor,
        reason=reason,
        override_reason=override_reason,
        started_at=now,
    )
    _publish(TECHLEAD_HANDED_OVER, started, previous=current.person)
    return started
