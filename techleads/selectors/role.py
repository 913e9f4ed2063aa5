"""Who leads which department, now and in the succession plan."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from departments.models import Department, Person

from ..models import TechLeadAssignment


def active_assignments() -> QuerySet[TechLeadAssignment]:
    return TechLeadAssignment.objects.filter(ended_at__isnull=True)


def has_active_lead() -> Exists:
    """For a Department queryset: "has a Tech Lead", the one definition (admin, API, pages).

    EXISTS, not a join: excluding on a join would also drop never-led departments' rows."""
    return Exists(active_assignments().filter(department=OuterRef("pk")))


def current_assignment(*, department: Department) -> TechLeadAssignment | None:
    return active_assignments().filter(department=department).select_related("person").first()


def departments_with_lead(queryset: QuerySet[Department] | None = None) -> QuerySet[Department]:
    """Departments with `active_assignments` (a list of 0 or 1) prefetched: one extra query."""
    queryset = queryset if queryset is not None else Department.objects.all()
    return queryset.select_related("manager", "parent").prefetch_related(
        Prefetch(
            "tech_lead_assignments",
            queryset=active_assignments().select_related("person"),
            to_attr="active_assignments",
        )
    )


def lead_of(department: Department) -> TechLeadAssignment | None:
    """The active assignment of a department fetched with departments_with_lead."""
    active = getattr(department, "active_assignments", None)
    if active is None:
        return current_assignment(department=department)
    return active[0] if active else None


def lead_department_ids(person: Person | None) -> list[int]:
    if person is None:
        return []
    return list(active_assignments().filter(person=person).values_list("department_id", flat=True))
