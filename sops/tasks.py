from celery import shared_task
from django.db import DatabaseError

from .staleness import staleness_check_run


@shared_task(
    autoretry_for=(DatabaseError, ConnectionError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def check_staleness() -> dict:
    """The daily documentation-staleness check (scheduled by django-celery-beat).

    A failed run is recorded on its StalenessRun and retried with exponential backoff.
    """
    run = staleness_check_run()
    return {
        "run": run.pk,
        "status_changes": run.status_changes,
        "notifications": run.notifications_sent,
        "duration_ms": run.duration_ms,
    }
