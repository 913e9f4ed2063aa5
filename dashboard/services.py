"""Writes the dashboard makes itself (everything else goes through the apps' services)."""

from django.db.models import QuerySet
from django.utils import timezone

from sops.models import Notification


def notifications_mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark the unread ones among `notifications` read now; return how many changed.

    Only unread rows are updated, so the first reading time is kept when two tabs (or two
    HR users sharing the HR report) mark the same notification.
    """
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
