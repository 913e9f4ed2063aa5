"""Trends: the organisation's (or a department's) last twelve weeks, read from the daily
snapshot only (dashboard.models.DailySnapshot), in one query whatever the history's size.

A week's figures are those of its last recorded day; a week without a snapshot is a gap
(no figures), never a zero. HR sees the organisation's rows; anyone else the sum of the
departments they see (every figure is additive); a department's page its own rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from departments.models import Department
from departments.selectors import user_is_hr
from techleads.selectors import departments_visible_to

from .models import DailySnapshot
from .services import SNAPSHOT_FIGURES
from .views import department_for_user

WEEKS = 12
DOCUMENT_STATUSES = (
    ("current", "Current"),
    ("due_soon", "Due soon"),
    ("stale", "Stale"),
)
# The charts' drawing area, in SVG user units (the SVG scales to its box: viewBox).
# The margins leave room for the scale's figures (left) and the last week's date (right),
# also at the larger text of a phone.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 60, 24, 12, 28
COLUMN = (WIDTH - LEFT - RIGHT) / WEEKS
BAR = COLUMN * 0.6


@dataclass(frozen=True)
class Week:
    end: date  # the week's last day
    figures: dict | None  # the week's last snapshot's figures, or None (nothing recorded)

    @property
    def documents(self) -> int:
        if self.figures is None:
            return 0
        return sum(self.figures[f"documents_{s}"] for s, _ in DOCUMENT_STATUSES)

    @property
    def tools(self) -> int:
        if self.figures is None:
            return 0
        return sum(self.figures[f"tools_{s}"] for s, _ in DOCUMENT_STATUSES)


@dataclass(frozen=True)
class Trend:
    weeks: list[Week]

    @property
    def recorded(self) -> list[Week]:
        return [w for w in self.weeks if w.figures is not None]

    def _x(self, index: int) -> float:
        return LEFT + COLUMN * index + (COLUMN - BAR) / 2

    def _y(self, value: float, top: float) -> float:
        """The height of `value` on an axis from 0 to `top`, in drawing units."""
        return (HEIGHT - TOP - BOTTOM) * value / (top or 1)

    @property
    def labels(self) -> list[dict]:
        """Every other week's end under its column (the table lists them all)."""
        return [
            {"x": self._x(i) + BAR / 2, "text": w.end.strftime("%-d %b")}
            for i, w in enumerate(self.weeks)
            if (WEEKS - 1 - i) % 2 == 0
        ]

    @property
    def documentation_bars(self) -> list[dict]:
        """One stacked column a week: current at the bottom, then due soon, then stale."""
        top = self.documents_top
        columns = []
        for i, week in enumerate(self.weeks):
            if week.figures is None:
                continue
            base, segments = HEIGHT - BOTTOM, []
            for status, label in DOCUMENT_STATUSES:
                count = week.figures[f"documents_{status}"]
                h = self._y(count, top)
                base -= h
                if count:
                    segments.append(
                        {"status": status, "label": label, "count": count, "y": base, "h": h}
                    )
            columns.append({"week": week, "x": self._x(i), "segments": segments})
        return columns

    @property
    def coverage_lines(self) -> list[dict]:
        """Departments with a Tech Lead and succession risks: one line each, on an axis
        from 0 to the number of departments."""
        top = self.departments_top
        lines = []
        for key, label in (("with_lead", "With a Tech Lead"), ("succession_risks", "Risks")):
            points = [
                {
                    "x": self._x(i) + BAR / 2,
                    "y": HEIGHT - BOTTOM - self._y(w.figures[key], top),
                    "value": w.figures[key],
                    "week": w,
                }
                for i, w in enumerate(self.weeks)
                if w.figures is not None
            ]
            lines.append(
                {
                    "key": key,
                    "label": label,
                    "points": points,
                    "path": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points),
                }
            )
        return lines

    @property
    def documents_top(self) -> int:
        """The documentation chart's scale: the most documents any week had."""
        return max((w.documents for w in self.weeks), default=0)

    @property
    def departments_top(self) -> int:
        """The coverage chart's scale: the most departments any week had."""
        return max((w.figures["departments"] for w in self.recorded), default=0)

    @property
    def axis(self) -> dict:
        return {
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "base": HEIGHT - BOTTOM,
            "top": TOP,
            "bar": BAR,
        }


def weekly_trend(*, scope, today: date | None = None) -> Trend:
    """The last WEEKS weeks (oldest first, the last one ending today) of `scope`: None for
    the organisation, a Department, or a Department queryset (its rows summed per day).
    One query."""
    today = today or timezone.localdate()
    since = today - timedelta(days=7 * WEEKS - 1)
    rows = DailySnapshot.objects.filter(day__gte=since, day__lte=today)
    if scope is None:
        rows = rows.filter(department__isnull=True).values("day", *SNAPSHOT_FIGURES)
    elif isinstance(scope, Department):
        rows = rows.filter(department=scope).values("day", *SNAPSHOT_FIGURES)
    else:
        rows = (
            rows.filter(department__in=scope.values("pk"))
            .values("day")
            .annotate(**{name: Sum(name) for name in SNAPSHOT_FIGURES})
        )
    latest: dict[int, dict] = {}  # week index (0 = oldest) -> its last day's figures
    for row in rows.order_by("day"):
        latest[(row["day"] - since).days // 7] = row
    weeks = [
        Week(end=since + timedelta(days=7 * i + 6), figures=latest.get(i)) for i in range(WEEKS)
    ]
    return Trend(weeks=weeks)


@login_required
def trends(request):
    """The organisation's trends for HR; the viewer's departments' for anyone else."""
    scope = None if user_is_hr(request.user) else departments_visible_to(request.user)
    context = {"trend": weekly_trend(scope=scope), "department": None, "active": "trends"}
    return render(request, "dashboard/trends.html", context)


@login_required
def department_trends(request, pk):
    department = department_for_user(request, pk)
    context = {
        "trend": weekly_trend(scope=department),
        "department": department,
        "active": "departments",
    }
    return render(request, "dashboard/trends.html", context)
