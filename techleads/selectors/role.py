"""Who leads which department, now and in the succession plan."""

from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet

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


def departments_with_lead_columns(
    queryset: QuerySet[Department] | None = None,
) -> QuerySet[Department]:
    """Departments with their active lead in their own query, as columns:
    `lead_assignment_id`, `lead_person_id`, `lead_full_name` and `lead_since` (all None
    without a lead). A LEFT JOIN on the active assignment, which the partial unique index
    keeps to one per department, so no department is repeated. For lists that show the
    lead's summary: departments_with_lead's prefetch costs a second query and a model per
    assignment and person."""
    queryset = queryset if queryset is not None else Department.objects.all()
    # active_assignments()'s condition, on the join.
    active = FilteredRelation(
        "tech_lead_assignments", condition=Q(tech_lead_assignments__ended_at__isnull=True)
    )
    return queryset.annotate(active_lead=active).annotate(
        lead_assignment_id=F("active_lead__id"),
        lead_person_id=F("active_lead__person_id"),
        lead_full_name=F("active_lead__person__full_name"),
        lead_since=F("active_lead__started_at"),
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
