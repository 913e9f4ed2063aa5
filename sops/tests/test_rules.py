"""Document status at its boundaries, over the pure rule and its SQL twin."""

from datetime import UTC, datetime, timedelta

import pytest

from departments.tests.factories import DepartmentFactory
from sops.models import Document
from sops.rules import document_status, next_review_at
from sops.staleness import staleness_check_run

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)

CASES = [
    # last reviewed, interval days, archived, expected
    ("exactly due", NOW - 90 * DAY, 90, False, "stale"),
    ("one second before due", NOW - 90 * DAY + SECOND, 90, False, "due_soon"),
    ("exactly at the warning window", NOW - 76 * DAY, 90, False, "due_soon"),
    ("one second before the window", NOW - 76 * DAY + SECOND, 90, False, "current"),
    ("just reviewed", NOW, 90, False, "current"),
    ("long overdue", NOW - 400 * DAY, 90, False, "stale"),
    ("never reviewed", None, 90, False, "stale"),
    ("archived and overdue", NOW - 400 * DAY, 90, True, "archived"),
    ("archived, never reviewed", None, 90, True, "archived"),
    ("interval shorter than the window", NOW - 2 * DAY, 7, False, "due_soon"),
]


@pytest.mark.parametrize(
    ("name", "last", "interval", "archived", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_pure_rule(name, last, interval, archived, expected):
    status = document_status(
        last_reviewed_at=last, interval_days=interval, now=NOW, window_days=14, archived=archived
    )
    assert status == expected


def make_cases(status="current"):
    department = DepartmentFactory()
    for name, last, interval, archived, _ in CASES:
        Document.objects.create(
            title=name,
            kind="sop",
            department=department,
            review_interval_days=interval,
            last_reviewed_at=last,
            next_review_at=next_review_at(last_reviewed_at=last, interval_days=interval),
            archived_at=NOW if archived else None,
            status=status,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("stored", ["current", "stale"])
def test_full_pass_sql_agrees_on_every_case(stored):
    make_cases(status=stored)
    staleness_check_run(now=NOW, full=True)
    statuses = dict(Document.objects.values_list("title", "status"))
    assert statuses == {name: expected for name, *_, expected in CASES}


@pytest.mark.django_db
def test_incremental_pass_agrees_once_time_has_passed():
    """Statuses right as of 20 days ago; the incremental pass must bring them to now."""
    make_cases()
    earlier = NOW - 20 * DAY
    for document in Document.objects.all():
        document.status = document_status(
            last_reviewed_at=document.last_reviewed_at,
            interval_days=document.review_interval_days,
            now=earlier,
            window_days=14,
            archived=document.archived_at is not None,
        )
        document.save(update_fields=["status"])
    staleness_check_run(now=earlier, full=True)
    staleness_check_run(now=NOW, full=False)
    statuses = dict(Document.objects.values_list("title", "status"))
    assert statuses == {name: expected for name, *_, expected in CASES}
