"""Who may run which part of the role, checked by every service before it writes."""

from departments.errors import DomainError, Forbidden
from departments.models import Department, Person
from departments.selectors import user_is_hr
from departments.services import audited_update

from ..selectors import can_lead_department, can_manage_department


def require_hr(actor) -> None:
    if not user_is_hr(actor):
        raise Forbidden("Only HR can assign, end or hand over the Tech Lead role.")


def lock_departments(*department_ids: int) -> list[Department]:
    """Row-lock departments in pk order, so concurrent role changes queue instead of deadlock."""
    return list(Department.objects.select_for_update().filter(pk__in=department_ids).order_by("pk"))


def require_lead(actor, department: Department, what: str) -> None:
    if not can_lead_department(actor, department):
        raise Forbidden(f"Only HR or the Tech Lead of {department} can {what}.")


def require_lead_or_manager(actor, department: Department, what: str) -> None:
    if not (can_lead_department(actor, department) or can_manage_department(actor, department)):
        raise Forbidden(f"Only HR, the manager or the Tech Lead of {department} can {what}.")


def require_active(person: Person | None, field: str) -> None:
    if person is not None and not person.is_active:
        raise DomainError(f"{person} is no longer active.", field=field)


def work_item_update(
    *, actor, instance, fields: dict, tracked: tuple[str, ...], verb: str, department
):
    """departments.services.audited_update for the role's work, which stays in its
    department: moving it would move it out of its lead's reach."""
    moved = fields.pop("department", department)
    if moved != department:
        raise DomainError(f"This stays in {department}.", field="department")
    return audited_update(
        actor=actor,
        instance=instance,
        fields=fields,
        tracked=tracked,
        verb=verb,
        department=department,
    )
