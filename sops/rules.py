"""Document review status as a pure function of its dates, interval, archiving and the clock."""

from datetime import datetime, timedelta

from .constants import DocumentStatus


def next_review_at(*, last_reviewed_at: datetime | None, interval_days: int) -> datetime | None:
    if last_reviewed_at is None:
        return None
    return last_reviewed_at + timedelta(days=interval_days)


def document_status(
    *,
    last_reviewed_at: datetime | None,
    interval_days: int,
    now: datetime,
    window_days: int,
    archived: bool = False,
) -> str:
    """`stale` from the due moment on (a never-reviewed document is stale: nobody vouched
    for it), `due_soon` within `window_days` before it, else `current`."""
    if archived:
        return DocumentStatus.ARCHIVED
    due = next_review_at(last_reviewed_at=last_reviewed_at, interval_days=interval_days)
    if due is None or now >= due:
        return DocumentStatus.STALE
    if now >= due - timedelta(days=window_days):
        return DocumentStatus.DUE_SOON
    return DocumentStatus.CURRENT
