"""Successor candidates: who could take the role over, in which order, and who steps in
if the lead leaves tomorrow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments.errors import DomainError, Forbidden
from departments.models import Department, Person
from departments.services import audit_entry_create, domain_error_from, snapshot

from ..models import SuccessorCandidate
from ..selectors import active_assignments, can_manage_department
from .access import lock_departments

SUCCESSOR_FIELDS = ("department", "person", "readiness", "rank", "emergency", "notes")


def _refuse_new_candidate(*, department: Department, person: Person) -> None:
    """Candidates may come from any department; an inactive person or a current Tech Lead
    is refused (`inactive` and `leads_elsewhere` flag later changes, not nominations)."""
    if not person.is_active:
        raise DomainError(f"{person} is no longer active.", field="person")
    led = active_assignments().filter(person=person).select_related("department").first()
    if led is not None:
        where = "this department" if led.department_id == department.pk else led.department
        raise DomainError(f"{person} is already the Tech Lead of {where}.", field="person")


def _move_emergency_mark(*, candidate: SuccessorCandidate, actor) -> None:
    """Unmark the department's other emergency candidate (audited), before `candidate` is
    saved with the mark: the partial unique index allows one per department."""
    others = SuccessorCandidate.objects.select_for_update().filter(
        department_id=candidate.department_id, emergency=True
    )
    for other in others.exclude(pk=candidate.pk).select_related("person", "department"):
        before = snapshot(other, SUCCESSOR_FIELDS)
        other.emergency = False
        other.save(update_fields=["emergency", "updated_at"])
        audit_entry_create(
            actor=actor,
            verb="successor.update",
            target=other,
            before=before,
            after=snapshot(other, SUCCESSOR_FIELDS),
            department=other.department,
            note=f"Emergency successor is now {candidate.person}.",
        )


@transaction.atomic
def successor_nominate(
    *,
    department: Department,
    person: Person,
    actor,
    readiness: str,
    notes: str = "",
    rank: int | None = None,
    emergency: bool | None = None,
) -> SuccessorCandidate:
    """Add or update a successor candidate: the department's manager or HR.

    A new nomination is confirmed now. An ineligible person may be nominated: the candidate
    is flagged (selectors.successors_with_flags), not refused. `rank` and `emergency` left
    out keep their value (1 and False for a new candidate); marking one candidate as the
    emergency successor moves the mark from the department's other one.
    """
    if not can_manage_department(actor, department):
        raise Forbidden("Only HR or the department's manager can nominate successors.")
    lock_departments(department.pk)  # the emergency mark moves under the department's lock
    candidate = (
        SuccessorCandidate.objects.select_for_update()
        .filter(department=department, person=person)
        .first()
    )
    before = snapshot(candidate, SUCCESSOR_FIELDS) if candidate else None
    if candidate is None:
        _refuse_new_candidate(department=department, person=person)
        candidate = SuccessorCandidate(department=department, person=person)
        candidate.nominated_by = actor if getattr(actor, "is_authenticated", False) else None
        candidate.confirmed_at = timezone.now()
    candidate.readiness = readiness
    candidate.notes = notes
    if rank is not None:
        candidate.rank = rank
    if emergency is not None:
        candidate.emergency = emergency
    try:
        candidate.full_clean(
            exclude=["department", "person", "nominated_by"], validate_unique=False
        )
    except ValidationError as exc:  # an unknown readiness, a rank below 1
        raise domain_error_from(exc) from exc
    if candidate.emergency:
        _move_emergency_mark(candidate=candidate, actor=actor)
    candidate.save()
    audit_entry_create(
        actor=actor,
        verb="successor.nominate" if before is None else "successor.update",
        target=candidate,
        before=before,
        after=snapshot(candidate, SUCCESSOR_FIELDS),
        department=department,
    )
    return candidate


@transaction.atomic
def successor_confirm(*, candidate: SuccessorCandidate, actor) -> SuccessorCandidate:
    """The department's manager or HR confirms the candidate again: the expiry clock
    restarts now (flag `expired` cleared)."""
    if not can_manage_department(actor, candidate.department):
        raise Forbidden("Only HR or the department's manager can confirm successor candidates.")
    candidate = (
        SuccessorCandidate.objects.select_for_update()
        .select_related("department", "person")
        .get(pk=candidate.pk)
    )
    before = {"confirmed_at": candidate.confirmed_at.isoformat()}
    candidate.confirmed_at = timezone.now()
    candidate.save(update_fields=["confirmed_at", "updated_at"])
    audit_entry_create(
        actor=actor,
        verb="successor.confirm",
        target=candidate,
        before=before,
        after={"confirmed_at": candidate.confirmed_at.isoformat()},
        department=candidate.department,
    )
    return candidate


def _delete_audited(candidate: SuccessorCandidate, *, actor, note: str = "") -> None:
    audit_entry_create(
        actor=actor,
        verb="successor.remove",
        target=candidate,
        before=snapshot(candidate, SUCCESSOR_FIELDS),
        department=candidate.department,
        note=note,
    )
    candidate.delete()


@transaction.atomic
def successor_remove(*, candidate: SuccessorCandidate, actor) -> None:
    if not can_manage_department(actor, candidate.department):
        raise Forbidden("Only HR or the department's manager can remove successor candidates.")
    _delete_audited(candidate, actor=actor)


def successor_withdraw_new_lead(*, department: Department, person: Person, actor) -> None:
    """The new Tech Lead is no longer a successor candidate of the department they now lead:
    called by the role's services inside their transaction (audited, like a removal)."""
    candidates = SuccessorCandidate.objects.filter(department=department, person=person)
    for candidate in candidates.select_related("department", "person"):
        _delete_audited(candidate, actor=actor, note=f"{person} is now its Tech Lead.")
