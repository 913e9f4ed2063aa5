"""Read models of the dashboard pages: each returns everything a page shows in a fixed
number of queries, whatever the size of the organisation."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from departments.models import AuditEntry, Department
from departments.selectors import user_is_hr, user_person
from sops.constants import DocumentStatus
from sops.models import DepartmentSummary, Document, Notification, StalenessRun
from sops.summary import GROUPS
from techleads.selectors import (
    departments_with_lead,
    has_active_lead,
    lead_of,
    succession_risks,
)

from .health import (
    DepartmentHealth,
    health_for,
    lowest_health_candidates,
    lowest_scored,
    ranked_by_health,
)

STATUSES = [s.value for s in DocumentStatus]
# Units of the overview's bar chart (it scales to its card): a department's name above its
# bar, the bar across the whole width, so every status shows at any width.
CHART_LABEL, CHART_BAR, CHART_ROW = 0, 640, 44


@dataclass
class DepartmentRow:
    department: Department
    lead: object
    health: DepartmentHealth | None
    documents: dict[str, int] = field(default_factory=dict)

    @property
    def documents_total(self) -> int:
        return sum(self.documents.values())

    @property
    def segments(self) -> list[dict]:
        """The stacked bar of the documentation chart, in chart pixels."""
        total, x, out = self.documents_total or 1, float(CHART_LABEL), []
        for status in STATUSES:
            width = CHART_BAR * self.documents[status] / total
            out.append({"status": status, "count": self.documents[status], "x": x, "w": width})
            x += width
        return out

    @property
    def heat(self) -> list[dict]:
        """Heat-map cells: each status's share of the department's documents (0-1)."""
        total = self.documents_total or 1
        return [
            {"status": s, "count": self.documents[s], "share": self.documents[s] / total}
            for s in STATUSES
        ]


def _status_total(status: str, prefix: str = ""):
    """The summary's documents of every group at `status`, as an expression over
    DepartmentSummary (or over Department with `prefix` "document_summary__")."""
    return sum(
        (F(f"{prefix}{group}_{status}") for group in GROUPS[1:]), F(f"{prefix}{GROUPS[0]}_{status}")
    )


def document_counts(departments: QuerySet[Department]) -> dict[int, dict[str, int]]:
    """{department id: {status: count}}: the departments' summary rows, one query."""
    rows = DepartmentSummary.objects.filter(department__in=departments).values_list(
        "department_id", *(_status_total(s) for s in STATUSES)
    )
    return {pk: dict(zip(STATUSES, counts, strict=True)) for pk, *counts in rows}


def stale_documents():
    """For a Department queryset: its stale documents of every kind (the summary's)."""
    return Coalesce(_status_total(DocumentStatus.STALE, "document_summary__"), Value(0))


def department_rows(
    departments: QuerySet[Department], order: list[int] | None = None, health: dict | None = None
):
    """Each department with its lead, health and document counts: four queries (two when
    `health`, by department id, is given). Rows are in `order` (department ids, a page of
    a sorted list) when given, else by name."""
    with_lead = list(departments_with_lead(departments).order_by("name"))
    if order is not None:
        position = {pk: n for n, pk in enumerate(order)}
        with_lead.sort(key=lambda d: position.get(d.pk, len(position)))
    if health is None:
        health = {h.department.pk: h for h in health_for(departments)}
    counts = document_counts(departments)
    return [
        DepartmentRow(
            department=d,
            lead=lead_of(d),
            health=health.get(d.pk),
            documents=counts.get(d.pk, dict.fromkeys(STATUSES, 0)),
        )
        for d in with_lead
    ]


# The department tables' sort choices (the overview, the departments list): label, and a
# function ordering a queryset.
DEPARTMENT_SORTS = {
    "name": ("Name", lambda qs: qs.order_by("name", "pk")),
    "-name": ("Name, Z to A", lambda qs: qs.order_by("-name", "-pk")),
    "health": ("Lowest health first", ranked_by_health),
    "stale": (
        "Most stale documents",
        lambda qs: qs.annotate(stale=stale_documents()).order_by("-stale", "name", "pk"),
    ),
}

# Each of the overview's "needs attention" lists shows this many; "see all" links the rest.
ATTENTION = 5


@dataclass
class Overview:
    """The overview of the departments in scope: organisation figures, what needs
    attention first (each list capped at ATTENTION), and one page of the per-department
    tables. Its size is bounded whatever the number of departments."""

    page: object  # a Paginator page of department ids
    rows: list[DepartmentRow]
    figures: dict
    leadless: list[Department]
    risks: list
    risks_count: int
    worst: list[DepartmentHealth]
    upcoming: list
    last_run: StalenessRun | None
    recent_changes: list

    @property
    def with_lead(self) -> int:
        return self.figures["departments"] - self.figures["leadless"]

    @property
    def without_lead(self) -> int:
        return self.figures["leadless"]

    @property
    def chart_height(self) -> int:
        return CHART_ROW * len(self.rows)

    @property
    def totals(self) -> dict[str, int]:
        return {s: self.figures[s] for s in STATUSES}


def organisation_figures(departments: QuerySet[Department]) -> dict:
    """How many departments, how many without a Tech Lead, and their documents by status
    (from the summary): one aggregate query."""
    return departments.aggregate(
        departments=Count("pk"),
        leadless=Count("pk", filter=~Q(has_active_lead())),
        **{s: Coalesce(Sum(_status_total(s, "document_summary__")), Value(0)) for s in STATUSES},
    )


def overview(departments: QuerySet[Department], *, page) -> Overview:
    """`page`: the page of department ids (filtered and sorted by the view) whose rows the
    per-department tables and the chart show."""
    now = timezone.now()
    # Succession risks: the stored flags (health_scores_refresh) count them and name the
    # candidates; the candidates' live state decides which are shown.
    flagged = departments.filter(document_summary__succession_risk=True)
    risks = succession_risks().filter(
        department__in=flagged.order_by("name", "pk").values("pk")[: ATTENTION * 4]
    )
    # The page's rows and the lowest-health candidates are scored by one health query.
    shown = list(page.object_list)
    candidates = lowest_health_candidates(departments, limit=ATTENTION)
    scored = Department.objects.filter(pk__in={*shown, *candidates})
    live = {h.department.pk: h for h in health_for(scored)}
    return Overview(
        page=page,
        rows=department_rows(departments.filter(pk__in=shown), order=shown, health=live),
        figures=organisation_figures(departments),
        leadless=list(departments.filter(~Q(has_active_lead())).order_by("name", "pk")[:ATTENTION]),
        risks=list(risks.order_by("department__name", "pk")[:ATTENTION]),
        risks_count=flagged.count(),
        worst=lowest_scored(live, candidates, limit=ATTENTION),
        upcoming=list(
            Document.objects.filter(
                department__in=departments,
                status__in=[DocumentStatus.CURRENT, DocumentStatus.DUE_SOON],
                next_review_at__gte=now,
            )
            .select_related("department", "owner")
            .order_by("next_review_at")[:8]
        ),
        last_run=StalenessRun.objects.order_by("-started_at").first(),
        recent_changes=list(
            AuditEntry.objects.filter(
                Q(department__in=departments), verb__startswith="techlead."
            ).select_related("actor", "department")[:8]
        ),
    )


def notifications_for(user) -> QuerySet[Notification]:
    """The viewer's inbox: the notifications addressed to their person, and for HR also the
    reports addressed to nobody in particular (documents without an owner), newest first."""
    person = user_person(user)
    mine = Q(recipient=person) if person is not None else Q(pk__in=[])
    if user_is_hr(user):
        mine |= Q(recipient__isnull=True)
    return Notification.objects.filter(mine).order_by("-created_at", "-id")
