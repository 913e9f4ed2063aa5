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
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from departments.models import Department, Person
from departments.selectors import count_subquery
from sops.constants import DocumentKind
from sops.models import DepartmentSummary, Document
from techleads.constants import OPEN_TASK_STATUSES, Readiness, SessionStatus
from techleads.models import ImprovementTask, TechSession
from techleads.selectors import (
    active_assignments,
    lead_verdict_subquery,
    overdue_q,
    ready_successors,
    succession_risks,
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


def acknowledgements_add(departments):
    """Set `h_acknowledged` on each department (annotated by departments_with_health_inputs):
    how many acknowledgements of the current version of its live processes its active
    people gave. One grouped query for the whole list, joining the acknowledgements once:
    as a correlated subquery per department, PostgreSQL scans every acknowledgement
    again for each department (0.5 s a page of 25 at 20,000 acknowledgements)."""
    departments = list(departments)
    through = Document.involved_departments.through
    counted = dict(
        through.objects.filter(
            department__in=[d.pk for d in departments],
            document__kind=DocumentKind.CROSS_DEPARTMENT_PROCESS,
            document__archived_at__isnull=True,
            document__acknowledgements__version=F("document__version"),
            document__acknowledgements__person__is_active=True,
            document__acknowledgements__person__department=F("department"),
        )
        .values("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
        .order_by()
    )
    for department in departments:
        department.h_acknowledged = counted.get(department.pk, 0)
    return departments


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
    """The score of a department annotated by departments_with_health_inputs, its
    acknowledgements added by acknowledgements_add."""
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


# Departments scored per batch by health_scores_refresh (one inputs query, one risks
# query and one UPDATE each).
SCORE_BATCH = 500


def health_scores_refresh(*, now=None, batch: int = SCORE_BATCH) -> int:
    """Store every department's health score and succession risk in its summary row, the
    ranking the overview and the departments list pick their first rows by. Run by
    dashboard.tasks.refresh_health_scores (beat) and manage.py refresh_health_scores;
    writes only these columns, so document deltas written meanwhile are untouched.
    Returns the number of departments scored."""
    now = now or timezone.now()
    ids = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        departments = Department.objects.filter(pk__in=chunk)
        risky = set(
            succession_risks().filter(department__in=chunk).values_list("department_id", flat=True)
        )
        rows = [
            DepartmentSummary(
                department_id=item.department.pk,
                health_score=item.health.score,
                succession_risk=item.department.pk in risky,
                scored_at=now,
            )
            for item in health_for(departments)
        ]
        with transaction.atomic():
            DepartmentSummary.objects.bulk_create(
                [DepartmentSummary(department_id=pk) for pk in chunk], ignore_conflicts=True
            )
            DepartmentSummary.objects.bulk_update(
                rows, ["health_score", "succession_risk", "scored_at"]
            )
    return len(ids)


def ranked_by_health(departments: QuerySet[Department]) -> QuerySet[Department]:
    """`departments` lowest stored health score first (unscored last), then by name."""
    return departments.order_by(
        F("document_summary__health_score").asc(nulls_last=True), "name", "pk"
    )


def lowest_health_candidates(departments: QuerySet[Department], *, limit: int) -> list[int]:
    """The ids of the departments the stored ranking puts lowest, four times `limit` (one
    query): the live scores of these decide the `limit` lowest (lowest_scored)."""
    ranked = ranked_by_health(departments).filter(document_summary__health_score__isnull=False)
    return list(ranked.values_list("pk", flat=True)[: limit * 4])


def lowest_scored(live: dict, candidates: list[int], *, limit: int) -> list[DepartmentHealth]:
    """The `limit` lowest live scores of `candidates` in `live` (health by department id;
    the overview scores its page and the candidates with one health query)."""
    scored = [live[pk] for pk in candidates if pk in live and live[pk].health.score is not None]
    return sorted(scored, key=lambda item: (item.health.score, item.department.name))[:limit]


def health_for(queryset: QuerySet[Department] | None = None) -> list[DepartmentHealth]:
    return [
        DepartmentHealth(department=d, health=department_health(d))
        for d in acknowledgements_add(departments_with_health_inputs(queryset))
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
