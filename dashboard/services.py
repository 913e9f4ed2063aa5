"""Writes the dashboard makes itself (everything else goes through the apps' services)."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from departments.models import Department
from sops.models import Notification
from techleads.selectors import succession_risks

from .health import departments_with_health_inputs
from .models import DailySnapshot


def notifications_mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark the unread ones among `notifications` read now; return how many changed.

    Only unread rows are updated, so the first reading time is kept when two tabs (or two
    HR users sharing the HR report) mark the same notification.
    """
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


# Trends: the daily snapshot -----------------------------------------------------------

SNAPSHOT_FIGURES = (
    "departments",
    "documents_current",
    "documents_due_soon",
    "documents_stale",
    "tools_current",
    "tools_due_soon",
    "tools_stale",
    "with_lead",
    "succession_risks",
)


def snapshot_rows(*, day: date, now: datetime | None = None) -> list[DailySnapshot]:
    """Each department's figures as they stand: the health score's inputs (one query,
    the overview's counting) and the overview's definition of a succession risk."""
    departments = departments_with_health_inputs(Department.objects.all(), now=now).annotate(
        s_risk=Exists(succession_risks().filter(department=OuterRef("pk")))
    )
    return [
        DailySnapshot(
            day=day,
            department_id=d.pk,
            departments=1,
            documents_current=d.h_docs_current,
            documents_due_soon=d.h_docs_due_soon,
            documents_stale=d.h_docs_stale,
            tools_current=d.h_tools_current,
            tools_due_soon=d.h_tools_due_soon,
            tools_stale=d.h_tools_stale,
            with_lead=int(bool(d.h_has_lead)),
            succession_risks=int(d.s_risk),
        )
        for d in departments
    ]


@transaction.atomic
def snapshots_write(*, day: date, rows: list[DailySnapshot]) -> int:
    """Replace `day`'s snapshot by `rows` (one per department) and their organisation total:
    one DELETE and one INSERT whatever the size, so a re-run of a day replaces it.

    Two runs for the same day at once: the second INSERT meets the unique constraints and
    fails (rolled back whole); the first one's rows stand."""
    organisation = DailySnapshot(day=day, department=None)
    for name in SNAPSHOT_FIGURES:
        setattr(organisation, name, sum(getattr(row, name) for row in rows))
    DailySnapshot.objects.filter(day=day).delete()
    DailySnapshot.objects.bulk_create([*rows, organisation], batch_size=1000)
    return len(rows) + 1


def snapshot_record(*, day: date | None = None, now: datetime | None = None) -> int:
    """Record today's snapshot (or `day`'s, from the figures as they stand now); return the
    number of rows written (the departments and the organisation)."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    return snapshots_write(day=day, rows=snapshot_rows(day=day, now=now))
