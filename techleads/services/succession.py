"""Successor candidates: who could take the role over."""

from django.core.exceptions import ValidationError
from django.db import transaction

from departments.errors import DomainError, Forbidden
from departments.models import Department, Person
from departments.services import audit_entry_create, snapshot

from ..models import SuccessorCandidate
from ..selectors import can_manage_department

SUCCESSOR_FIELDS = ("department", "person", "readiness", "notes")


@transaction.atomic
def successor_nominate(
    *, department: Department, person: Person, actor, readiness: str, notes: str = ""
) -> SuccessorCandidate:
    """Add or update a successor candidate: the department's manager or HR."""
    if not can_manage_department(actor, department):
        raise Forbidden("Only HR or the department's manager can nominate successors.")
    if person.department_id != department.pk or not person.is_active:
        raise DomainError(f"{person} is not an active member of {department}.", field="person")
    candidate = (
        SuccessorCandidate.objects.select_for_update()
        .filter(department=department, person=person)
        .first()
    )
    before = snapshot(candidate, SUCCESSOR_FIELDS) if candidate else None
    if candidate is None:
        candidate = SuccessorCandidate(department=department, person=person)
        candidate.nominated_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.readiness = readiness
    candidate.notes = notes
    try:
        candidate.full_clean(exclude=["department", "person", "nominated_by"])
    except ValidationError as exc:  # an unknown readiness
        raise DomainError(f"Unknown readiness {readiness!r}.", field="readiness") from exc
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
def successor_remove(*, candidate: SuccessorCandidate, actor) -> None:
    if not can_manage_department(actor, candidate.department):
        raise Forbidden("Only HR or the department's manager can remove successor candidates.")
    before = snapshot(candidate, SUCCESSOR_FIELDS)
    audit_entry_create(
        actor=actor,
        verb="successor.remove",
        target=candidate,
        before=before,
        department=candidate.department,
    )
    candidate.delete()
