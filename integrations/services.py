"""Queue work for Celery through the outbox (integrations.models.QueuedTask).

    task_enqueue("sops.tasks.check_staleness")

writes the row in the caller's transaction; after commit it is published with a short
broker timeout. A broker that is down leaves the row pending for `outbox_sweep` (the
periodic `integrations.tasks.sweep_outbox`), never an error for the caller. Every
publisher claims a row with one conditional UPDATE first, so two sweeps (or a sweep and
the after-commit publish) never send the same row twice.

Without REDIS_URL Celery runs eagerly: the publish runs the task in-process, after commit.
"""

import logging
from datetime import timedelta
from importlib import import_module

from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import QueuedTask

logger = logging.getLogger(__name__)

# How long a publisher holds a claimed row; a publisher that died holding one is taken
# over by a sweep after this (at-least-once: Celery tasks here are idempotent).
CLAIM_SECONDS = 60
# Rows one sweep publishes at most; the next sweep takes the rest.
SWEEP_BATCH = 500
# Sent rows are kept this long (to see what went out), then the sweep deletes them.
KEEP_SENT_DAYS = 30


def task_enqueue(name: str, **kwargs) -> QueuedTask:
    """Queue the Celery task `name` with `kwargs` (JSON): a row now, a publish on commit."""
    queued = QueuedTask.objects.create(task=name, kwargs=kwargs)
    transaction.on_commit(lambda: task_publish(queued.pk), robust=True)
    return queued


def _claim(pk: int) -> bool:
    now = timezone.now()
    claimed = (
        QueuedTask.objects.filter(pk=pk, status=QueuedTask.Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )
    return claimed == 1


def _settle(pk: int, status: str, error: str = "") -> str:
    fields = {"status": status, "claimed_until": None, "last_error": error[:2000]}
    if status == QueuedTask.Status.SENT:
        fields["sent_at"] = timezone.now()
    QueuedTask.objects.filter(pk=pk).update(**fields)
    return status


def _task(name: str):
    """The registered task `name`, importing its module first (a web process has not
    imported every tasks.py), or None."""
    if name not in current_app.tasks:
        module = name.rpartition(".")[0]
        try:
            import_module(module)
        except ImportError:
            return None
    return current_app.tasks.get(name)


def task_publish(pk: int) -> str | None:
    """Publish one pending row. Returns its new status, or None when another publisher
    holds it or it is no longer pending."""
    if not _claim(pk):
        return None
    queued = QueuedTask.objects.get(pk=pk)
    task = _task(queued.task)
    if task is None:
        logger.error("Outbox: unknown task %s (row %s)", queued.task, pk)
        return _settle(pk, QueuedTask.Status.FAILED, f"Unknown task: {queued.task}")
    if current_app.conf.task_always_eager:
        # No broker: run it here. Marked sent first, so it runs once whatever it does.
        _settle(pk, QueuedTask.Status.SENT)
        try:
            task.apply(kwargs=queued.kwargs, throw=True)
        except Exception as exc:
            logger.exception("Outbox: %s (row %s) failed in-process", queued.task, pk)
            return _settle(pk, QueuedTask.Status.FAILED, f"{type(exc).__name__}: {exc}")
        return QueuedTask.Status.SENT
    try:
        # retry=False: one attempt, bounded by the broker timeouts in settings.
        task.apply_async(kwargs=queued.kwargs, retry=False)
    except Exception as exc:
        logger.warning(
            "Outbox: broker unavailable, %s (row %s) stays pending: %s", queued.task, pk, exc
        )
        return _settle(pk, QueuedTask.Status.PENDING, f"{type(exc).__name__}: {exc}")
    return _settle(pk, QueuedTask.Status.SENT)


def outbox_sweep(*, limit: int = SWEEP_BATCH) -> dict:
    """Publish the pending rows, oldest first; stop at the first broker failure (the rest
    would fail the same way). Rows sent more than KEEP_SENT_DAYS ago are deleted. Returns
    counts by outcome."""
    counts = {"sent": 0, "failed": 0, "pending": 0, "skipped": 0}
    now = timezone.now()
    QueuedTask.objects.filter(
        status=QueuedTask.Status.SENT, sent_at__lt=now - timedelta(days=KEEP_SENT_DAYS)
    ).delete()
    pks = (
        QueuedTask.objects.filter(status=QueuedTask.Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(pks):
        outcome = task_publish(pk)
        counts[outcome or "skipped"] += 1
        if outcome == QueuedTask.Status.PENDING:
            break
    return counts
