from celery import shared_task

from .services import outbox_sweep


@shared_task
def sweep_outbox() -> dict:
    """Publish what the outbox holds (scheduled every minute by django-celery-beat)."""
    return outbox_sweep()
