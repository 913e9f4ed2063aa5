"""Read models of the dashboard pages: each returns everything a page shows in a fixed
number of queries, whatever the size of the organisation."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from departments.models import AuditEntry, Department
from departments.selectors import user_is_hr, user_person
from sops.constants import DocumentStatus
from sops.models import Document, Notification, StalenessRun
from techleads.selectors import departments_with_lead, lead_of, succession_risks

from .health import DepartmentHealth, health_for

STATUSES = [s.value for s in DocumentStatus]
CHART_LABEL, CHART_BAR, CHART_ROW = 180, 440, 26  # pixels of the overview's bar chart


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


def document_counts(departments: QuerySet[Department]) -> dict[int, dict[str, int]]:
    """{department id: {status: count}} in one GROUP BY query."""
    rows = (
        Document.objects.filter(department__in=departments)
        .values("department_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["department_id"], dict.fromkeys(STATUSES, 0))[row["status"]] = row[
            "n"
        ]
    return counts


def department_rows(departments: QuerySet[Department]) -> list[DepartmentRow]:
    """Each department with its lead, health and document counts: three queries."""
    with_lead = list(departments_with_lead(departments).order_by("name"))
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


@dataclass
class Overview:
    rows: list[DepartmentRow]
    risks: list
    upcoming: list
    last_run: StalenessRun | None
    recent_changes: list

    @property
    def with_lead(self) -> int:
        return sum(1 for r in self.rows if r.lead)

    @property
    def without_lead(self) -> int:
        return len(self.rows) - self.with_lead

    @property
    def chart_height(self) -> int:
        return CHART_ROW * len(self.rows)

    @property
    def totals(self) -> dict[str, int]:
        return {s: sum(r.documents[s] for r in self.rows) for s in STATUSES}


def overview(departments: QuerySet[Department]) -> Overview:
    now = timezone.now()
    return Overview(
        rows=department_rows(departments),
        risks=list(succession_risks().filter(department__in=departments)),
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
