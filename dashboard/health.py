"""Department health: the score's inputs in SQL for a whole list of departments, one query.

Documents and tools by status are read from the department's summary row (kept current by
every document write, sops.summary). The other inputs count small tables (people,
successors, tasks, sessions, acknowledgements) with a correlated subquery each (not a
JOIN + COUNT, which would multiply rows), on indexed foreign keys; dashboard.rules turns
the inputs into the score.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.db.models.lookups import GreaterThan, IsNull
from django.urls import reverse
from django.utils import timezone

from departments.models import Department, Person
from departments.selectors import count_subquery
from sops.constants import DocumentKind
from sops.models import Document, ProcessAcknowledgement
from techleads.constants import OPEN_TASK_STATUSES, Readiness, SessionStatus
from techleads.models import ImprovementTask, TechSession
from techleads.selectors import (
    active_assignments,
    lead_verdict_subquery,
    overdue_q,
    ready_successors,
    successors_with_flags,
)

from .rules import (
    HealthScore,
    freshness,
    health_score,
    lead_coverage,
    session_cadence,
    share,
    succession_readiness,
    tasks_on_time,
)

QUARTER = timedelta(days=91)


def _count(queryset: QuerySet, department_path: str) -> Coalesce:
    """COUNT(*) of `queryset` rows whose `department_path` is the outer department."""
    return count_subquery(
        queryset.filter(**{department_path: OuterRef("pk")}), group_by=department_path
    )


def _summary(name: str) -> Coalesce:
    """A column of the department's document summary (sops.summary); 0 without a row."""
    return Coalesce(F(f"document_summary__{name}"), Value(0))


def departments_with_health_inputs(
    queryset: QuerySet[Department] | None = None, *, now=None
) -> QuerySet[Department]:
    now = now or timezone.now()
    queryset = queryset if queryset is not None else Department.objects.all()
    processes = Document.objects.filter(
        kind=DocumentKind.CROSS_DEPARTMENT_PROCESS, archived_at__isnull=True
    )
    lead = active_assignments().filter(department=OuterRef("pk"))
    open_tasks = ImprovementTask.objects.filter(status__in=OPEN_TASK_STATUSES)
    return queryset.annotate(
        h_lead_verdict=Subquery(lead.annotate(v=lead_verdict_subquery()).values("v")[:1]),
        h_has_lead=Coalesce(Subquery(lead.values("pk")[:1], output_field=IntegerField()), Value(0)),
        # Succession counts no flagged candidate (techleads.selectors.successors_with_flags).
        h_ready_now=_count(ready_successors(now=now), "department"),
        h_developing=_count(
            successors_with_flags(now=now)
            .filter(is_flagged=False)
            .exclude(readiness=Readiness.READY_NOW),
            "department",
        ),
        # Documents and tools by status: the summary's columns (one join), not a count.
        **{
            f"h_{name}": _summary(name)
            for name in (
                "docs_current",
                "docs_due_soon",
                "docs_stale",
                "tools_current",
                "tools_due_soon",
                "tools_stale",
            )
        },
        h_processes=_count(processes, "involved_departments"),
        h_active_people=_count(Person.objects.filter(is_active=True), "department"),
        h_acknowledged=_count(
            ProcessAcknowledgement.objects.filter(
                person__is_active=True,
                version=F("document__version"),
                document__in=processes,
                document__involved_departments=F("person__department"),
            ),
            "person__department",
        ),
        h_open_tasks=_count(open_tasks, "project__department"),
        h_overdue_tasks=_count(
            ImprovementTask.objects.filter(overdue_q(today=timezone.localdate(now))),
            "project__department",
        ),
        h_sessions_quarter=_count(
            TechSession.objects.filter(
                status=SessionStatus.COMPLETED,
                scheduled_for__gte=now - QUARTER,
                scheduled_for__lte=now,
            ),
            "department",
        ),
    )


def _ratio(numerator, denominator) -> Case:
    """numerator / denominator as a float in [0, 1], NULL when the denominator is 0."""
    value = Cast(numerator, FloatField()) / Cast(denominator, FloatField())
    clamped = Least(Value(1.0), Greatest(Value(0.0), value))
    return Case(When(GreaterThan(denominator, 0), then=clamped), output_field=FloatField())


def health_score_sql(*, weights=None, sessions_target=None):
    """The SQL twin of department_health's score (rules.health_score over the same inputs),
    for a queryset annotated by departments_with_health_inputs: the weighted mean (0-100,
    unrounded) of the components that apply, NULL when none does. Lists sort and pick the
    worst departments with it in the database; shown scores still come from the rules."""
    weights = weights or settings.HEALTH_SCORE_WEIGHTS
    target = settings.TECH_SESSIONS_PER_QUARTER if sessions_target is None else sessions_target
    docs = F("h_docs_current") + F("h_docs_due_soon") + F("h_docs_stale")
    tools = F("h_tools_current") + F("h_tools_due_soon") + F("h_tools_stale")
    open_tasks = F("h_open_tasks")
    components = {
        "tech_lead": Case(
            When(h_has_lead=0, then=Value(0.0)),
            When(h_lead_verdict="eligible", then=Value(1.0)),
            default=Value(0.5),
        ),
        "succession": Case(
            When(h_ready_now__gt=0, then=Value(1.0)),
            When(h_developing__gt=0, then=Value(0.5)),
            default=Value(0.0),
        ),
        "documentation": _ratio(F("h_docs_current") + F("h_docs_due_soon") / 2.0, docs),
        "tooling": _ratio(F("h_tools_current") + F("h_tools_due_soon") / 2.0, tools),
        "acknowledgements": _ratio(F("h_acknowledged"), F("h_processes") * F("h_active_people")),
        "improvement_tasks": Case(
            When(h_open_tasks=0, then=Value(1.0)),
            default=Value(1.0) - _ratio(F("h_overdue_tasks"), open_tasks),
        ),
        "tech_sessions": Value(1.0)
        if target <= 0
        else _ratio(F("h_sessions_quarter"), Value(target)),
    }
    weighted, total = Value(0.0), Value(0.0)
    for key, value in components.items():
        weight = float(weights.get(key, 0))
        if weight > 0:
            weighted = weighted + Coalesce(value, Value(0.0)) * weight
            total = total + Case(When(IsNull(value, False), then=Value(weight)), default=0.0)
    return Case(
        When(GreaterThan(total, 0), then=Value(100.0) * weighted / total),
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class DepartmentHealth:
    department: Department
    health: HealthScore

    @property
    def sessions_last_quarter(self) -> int:
        return self.department.h_sessions_quarter

    @property
    def explained(self) -> list[tuple]:
        """(component, dashboard page behind it) for each component."""
        return [(c, component_links(self.department.pk, c.key)[1]) for c in self.health.components]


def department_health(department: Department) -> HealthScore:
    """The score of a department annotated by departments_with_health_inputs."""
    d = department
    values = {
        "tech_lead": lead_coverage(has_lead=bool(d.h_has_lead), verdict=d.h_lead_verdict),
        "succession": succession_readiness(ready_now=d.h_ready_now, developing=d.h_developing),
        "documentation": freshness(
            current=d.h_docs_current, due_soon=d.h_docs_due_soon, stale=d.h_docs_stale
        ),
        "tooling": freshness(
            current=d.h_tools_current, due_soon=d.h_tools_due_soon, stale=d.h_tools_stale
        ),
        "acknowledgements": share(
            done=d.h_acknowledged, expected=d.h_processes * d.h_active_people
        ),
        "improvement_tasks": tasks_on_time(open_tasks=d.h_open_tasks, overdue=d.h_overdue_tasks),
        "tech_sessions": session_cadence(
            held_last_quarter=d.h_sessions_quarter, target=settings.TECH_SESSIONS_PER_QUARTER
        ),
    }
    return health_score(values=values, weights=settings.HEALTH_SCORE_WEIGHTS)


def health_for(queryset: QuerySet[Department] | None = None) -> list[DepartmentHealth]:
    return [
        DepartmentHealth(department=d, health=department_health(d))
        for d in departments_with_health_inputs(queryset)
    ]


# The list behind each component, in the API and on the dashboard (both filter through the
# same FilterSet, so the same parameters); None stands for the department's id.
D = None
COMPONENT_LISTS = {
    "tech_lead": (
        ("assignment-list", {"department": D, "active": "true"}),
        ("dashboard:department", "#lead"),
    ),
    "succession": (("successor-list", {"department": D}), ("dashboard:department", "#successors")),
    "documentation": (
        ("document-list", {"department": D}),
        ("dashboard:documents", {"department": D}),
    ),
    "tooling": (
        ("document-list", {"department": D, "kind": "tool"}),
        ("dashboard:documents", {"department": D, "kind": "tool"}),
    ),
    "acknowledgements": (
        ("document-list", {"kind": "cross_department_process", "involved_department": D}),
        ("dashboard:processes", {"involved_department": D}),
    ),
    "improvement_tasks": (
        ("improvement-task-list", {"department": D, "overdue": "true"}),
        ("dashboard:improvement", {"department": D, "overdue": "true"}),
    ),
    "tech_sessions": (
        ("tech-session-list", {"department": D, "status": "completed"}),
        ("dashboard:sessions", {"department": D, "status": "completed"}),
    ),
}


def component_links(department_id: int, key: str) -> tuple[str, str]:
    """(API list path, dashboard page path) of the rows behind one component."""

    def link(name: str, query: dict | str) -> str:
        if isinstance(query, str):  # a section of the department page
            return reverse(name, args=[department_id]) + query
        values = {param: department_id if v is D else v for param, v in query.items()}
        return f"{reverse(name)}?{urlencode(values)}"

    (api_name, api_query), (page_name, page_query) = COMPONENT_LISTS[key]
    return link(api_name, api_query), link(page_name, page_query)
