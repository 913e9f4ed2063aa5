"""Succession readiness in SQL: each candidate's flags and each department's risk.

The one read path of "is this candidate ready?" and "is this department at risk?": the
API (`successors/`, `departments/succession/`), the escalation chain, the health score,
the overview and the succession page all read through these annotations, so a flagged
candidate is not ready anywhere. The pure twin of the flags is rules.successor_flags.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from departments.models import Department
from departments.selectors import count_subquery, user_is_hr, user_person

from ..constants import Readiness, SuccessionFlag, SuccessionRisk, VerdictChoice
from ..models import SuccessorCandidate, TechLeadAssignment
from .eligibility import lead_verdict_subquery
from .role import active_assignments, departments_with_lead

FLAG_FIELDS = {flag: f"flag_{flag.value}" for flag in SuccessionFlag}


def _boolean(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def successors_with_flags(
    queryset: QuerySet[SuccessorCandidate] | None = None, *, now: datetime | None = None
) -> QuerySet[SuccessorCandidate]:
    """Annotate `flag_<name>` for each flag, `is_flagged` (any of them) and
    `successor_verdict`, in SQL for any number of candidates.

    `flag_expired` is `confirmed_at + SUCCESSION_CONFIRMATION_DAYS < now`, written as
    `confirmed_at < now - days` so that the index-friendly column stays bare.
    """
    now = now or timezone.now()
    queryset = queryset if queryset is not None else SuccessorCandidate.objects.all()
    cutoff = now - timedelta(days=settings.SUCCESSION_CONFIRMATION_DAYS)
    leads_elsewhere = (
        active_assignments()
        .filter(person=OuterRef("person"))
        .exclude(department=OuterRef("department"))
    )
    flagged = Q()
    for field in FLAG_FIELDS.values():
        flagged |= Q(**{field: True})
    return (
        queryset.annotate(successor_verdict=lead_verdict_subquery())
        .annotate(
            flag_expired=_boolean(Q(confirmed_at__lt=cutoff)),
            flag_inactive=_boolean(Q(person__is_active=False)),
            flag_ineligible=_boolean(Q(successor_verdict=VerdictChoice.INELIGIBLE)),
            flag_transition=_boolean(Q(successor_verdict=VerdictChoice.TRANSITION)),
            flag_leads_elsewhere=Exists(leads_elsewhere),
        )
        .annotate(is_flagged=_boolean(flagged))
    )


def annotated_flags(candidate: SuccessorCandidate) -> list[str]:
    """The flags of a candidate annotated by successors_with_flags, in the contract's order."""
    return [flag.value for flag, field in FLAG_FIELDS.items() if getattr(candidate, field)]


def ready_successors(*, now: datetime | None = None) -> QuerySet[SuccessorCandidate]:
    """Ready-now candidates without a flag: the only ones that count as ready."""
    return successors_with_flags(now=now).filter(readiness=Readiness.READY_NOW, is_flagged=False)


def escalation_successors(*, now: datetime | None = None) -> QuerySet[SuccessorCandidate]:
    """The escalation chain's "ready successor", best first: the emergency candidate, then
    ready-now candidates by rank (longest-ready first within a rank), all without flags."""
    return (
        successors_with_flags(now=now)
        .filter(Q(emergency=True) | Q(readiness=Readiness.READY_NOW), is_flagged=False)
        .order_by("-emergency", "rank", "updated_at", "id")
    )


def departments_with_risk(
    queryset: QuerySet[Department] | None = None, *, now: datetime | None = None
) -> QuerySet[Department]:
    """Annotate each department's succession: `succession_lead_verdict` (null when
    leadless), `succession_ready_now`, `succession_emergency_id` (a person id) and
    `succession_risk` (SuccessionRisk, first that applies), in one query."""
    queryset = queryset if queryset is not None else Department.objects.all()
    lead = active_assignments().filter(department=OuterRef("pk"))
    emergency = SuccessorCandidate.objects.filter(department=OuterRef("pk"), emergency=True)
    return queryset.annotate(
        succession_lead_verdict=Subquery(lead.annotate(v=lead_verdict_subquery()).values("v")[:1]),
        succession_ready_now=count_subquery(
            ready_successors(now=now).filter(department=OuterRef("pk")), group_by="department"
        ),
        succession_emergency_id=Subquery(emergency.values("person_id")[:1]),
    ).annotate(
        succession_risk=Case(
            When(succession_lead_verdict__isnull=True, then=Value(SuccessionRisk.LEADLESS)),
            When(
                succession_lead_verdict=VerdictChoice.TRANSITION,
                succession_ready_now=0,
                then=Value(SuccessionRisk.TRANSITION_WITHOUT_SUCCESSOR),
            ),
            When(succession_ready_now=0, then=Value(SuccessionRisk.NO_READY_SUCCESSOR)),
            default=Value(SuccessionRisk.NONE),
            output_field=CharField(),
        )
    )


def succession_rows(
    queryset: QuerySet[Department] | None = None, *, now: datetime | None = None
) -> QuerySet[Department]:
    """departments_with_risk plus, prefetched, the lead (lead_of) and `flagged_candidates`
    (with their person): three queries for any number of departments."""
    flagged = (
        successors_with_flags(now=now)
        .filter(is_flagged=True)
        .select_related("person")
        .order_by("rank", "id")
    )
    return departments_with_lead(departments_with_risk(queryset, now=now)).prefetch_related(
        Prefetch("successor_candidates", queryset=flagged, to_attr="flagged_candidates")
    )


def succession_visible_to(user) -> QuerySet[Department] | None:
    """Whose succession the viewer may read: HR all, a manager (`Department.manager` of at
    least one department, whatever their track) the departments they manage; None for
    anyone else (a 403: a Tech Lead or an employee does not plan succession). At most one
    query per request, remembered on the login: the layout asks it on every page (the
    navigation's link)."""
    if user_is_hr(user):
        return Department.objects.all()
    person = user_person(user)
    if person is None:
        return None
    managed = Department.objects.filter(manager=person)
    manages = getattr(user, "_manages_departments", None)
    if manages is None:
        manages = user._manages_departments = managed.exists()
    return managed if manages else None


def succession_risks(
    departments: QuerySet[Department] | None = None,
) -> QuerySet[TechLeadAssignment]:
    """Active leads whose verdict is `transition` and whose department has no ready successor
    (flagged candidates are not ready): the overview's "succession risks"."""
    at_risk = departments_with_risk(departments).filter(
        succession_risk=SuccessionRisk.TRANSITION_WITHOUT_SUCCESSOR
    )
    return (
        active_assignments()
        .filter(department__in=at_risk.values("pk"))
        .annotate(lead_verdict=lead_verdict_subquery())
        .select_related("department", "person", "department__manager")
    )
