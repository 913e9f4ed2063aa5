"""Capacity: the share of each person's time allocated to projects and duties."""

from django.db import transaction

from departments.errors import DomainError
from departments.models import Person
from departments.services import audit_entry_create, audited_create

from ..models import Allocation, ImprovementProject
from .access import require_active, require_lead


def _require_period_order(*, period_start, period_end) -> None:
    if period_end < period_start:
        raise DomainError("The period cannot end before it starts.", field="period_end")


@transaction.atomic
def allocation_set(
    *,
    actor,
    person: Person,
    percent: int,
    period_start,
    period_end,
    project: ImprovementProject | None = None,
    duty: str = "",
) -> Allocation:
    """Allocate a share of a person's capacity to a project or an operational duty.

    Over-allocation is allowed (it is what the capacity view flags), not refused: the
    Tech Lead distributing capacity needs to see the conflict, not be blocked by it.
    """
    if person.department is None:
        raise DomainError(f"{person} belongs to no department.", field="person")
    require_lead(actor, person.department, "distribute its team's capacity")
    require_active(person, "person")
    if project is not None and project.department_id != person.department_id:
        raise DomainError(f"{project} is not a project of {person.department}.", field="project")
    allocation = Allocation(
        person=person,
        project=project,
        duty=duty.strip(),
        percent=percent,
        period_start=period_start,
        period_end=period_end,
    )
    _require_period_order(period_start=period_start, period_end=period_end)
    return audited_create(
        actor=actor,
        instance=allocation,
        verb="allocation.set",
        after={"percent": percent, "project": project.pk if project else None, "duty": duty},
        department=person.department,
    )


@transaction.atomic
def allocation_remove(*, actor, allocation: Allocation) -> None:
    allocation = Allocation.objects.select_related("person__department").get(pk=allocation.pk)
    require_lead(actor, allocation.person.department, "distribute its team's capacity")
    audit_entry_create(
        actor=actor,
        verb="allocation.remove",
        target=allocation,
        before={
            "person": allocation.person_id,
            "percent": allocation.percent,
            "project": allocation.project_id,
            "duty": allocation.duty,
        },
        department=allocation.person.department,
    )
    allocation.delete()
