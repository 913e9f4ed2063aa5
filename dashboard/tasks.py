from celery import shared_task
from django.db import DatabaseError

from .health import health_scores_refresh
from .services import snapshot_record


@shared_task(
    autoretry_for=(DatabaseError, ConnectionError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def record_snapshot() -> dict:
    """Today's trends snapshot (scheduled daily by django-celery-beat, after the staleness
    check has brought the documents' statuses to today); a re-run replaces the day."""
    return {"rows": snapshot_record()}


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=3)
def refresh_health_scores() -> dict:
    """Store every department's health score and succession risk (the overview's and the
    departments list's ranking); every HEALTH_SCORES_REFRESH_MINUTES by beat."""
    return {"departments": health_scores_refresh()}
