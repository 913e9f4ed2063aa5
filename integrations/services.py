"""Queue work for Celery through the outbox (integrations.models.QueuedTask).

    task_enqueue("sops.tasks.check_staleness")

writes the row in the caller's transaction; after commit it is published with a short
broker timeout. A broker that is down leaves the row pending for `outbox_sweep` (the
periodic `integrations.tasks.sweep_outbox`), never an error for the caller. Every
publisher claims a row with one conditional UPDATE first, so two sweeps (or a sweep and
the after-commit publish) never send the same row twice.

Without REDIS_URL Celery runs eagerly: the publish runs the task in-process, after commit.
"""

import json
import logging
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from importlib import import_module

from celery import current_app
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from .bulk import rows_insert
from .delivery import Answer, post
from .models import QueuedTask, Webhook, WebhookDelivery
from .rules import retry_delay, signature

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


# Outbound webhooks -----------------------------------------------------------------------
#
# event_publish writes one WebhookDelivery per subscribed webhook in the caller's
# transaction, and queues its sending through the outbox above (task_enqueue), so a broker
# that is down delays a delivery but never loses it or fails the change. Each attempt is
# claimed by one conditional UPDATE (like _claim): two senders never send one attempt twice.

# A sender holds a delivery this long: longer than one attempt can take (the timeout, for
# the connection and for the read), after which a sweep may take over from a dead sender.
DELIVERY_CLAIM_SECONDS = 120
# Deliveries one sweep hands out at most (ids only: a bulk publish of many documents is
# handed to the workers within minutes, the rest by the next sweeps).
SWEEP_LIMIT = 10_000
# A retry further away than this is left to the sweep instead of a Celery countdown (a
# message with a long ETA outlives the broker's visibility timeout and is delivered twice).
COUNTDOWN_MAX_SECONDS = 600
DELIVER_TASK = "integrations.tasks.deliver_webhook"
SWEEP_WEBHOOKS_TASK = "integrations.tasks.sweep_webhooks"

# Sends started in a background thread (no broker), for tests and a clean shutdown to wait.
_background: set[threading.Thread] = set()


def _subscribed(event: str) -> list[Webhook]:
    # Few rows: filtered in Python, as a JSON list's "contains" is not portable SQL.
    return [hook for hook in Webhook.objects.filter(is_active=True) if event in hook.events]


def _payload(event: str, event_id: uuid.UUID, occurred_at, data: dict) -> dict:
    return {
        "id": str(event_id),
        "event": event,
        "occurred_at": occurred_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def _delivery_rows(webhooks, event, items, occurred_at, now) -> list[WebhookDelivery]:
    rows = []
    for data in items:
        for hook in webhooks:
            event_id = uuid.uuid4()
            rows.append(
                WebhookDelivery(
                    webhook=hook,
                    event=event,
                    event_id=event_id,
                    payload=_payload(event, event_id, occurred_at, data),
                    next_attempt_at=now,
                )
            )
    return rows


def event_publish(
    event: str, data: dict | Callable[[], dict], *, occurred_at=None
) -> list[WebhookDelivery]:
    """Publish `event` with `data` (JSON; or a function that returns it, called only when a
    webhook subscribes) to the active webhooks that subscribe to it: one delivery row each,
    in the caller's transaction, sent after commit. One query when nothing subscribes."""
    webhooks = _subscribed(event)
    if not webhooks:
        return []
    if callable(data):
        data = data()
    now = timezone.now()
    rows = _delivery_rows(webhooks, event, [data], occurred_at or now, now)
    WebhookDelivery.objects.bulk_create(rows)
    for delivery in rows:
        task_enqueue(DELIVER_TASK, delivery=delivery.pk)
    return rows


def events_publish(event: str, items: Iterable[dict], *, occurred_at=None) -> int:
    """Publish `event` once per item of `items` (a lazy iterable: it is not read when
    nothing subscribes), inserting the deliveries many rows per statement and queueing one
    sweep to send them after commit. Returns how many deliveries were written."""
    webhooks = _subscribed(event)
    if not webhooks:
        return 0
    now = timezone.now()
    rows = _delivery_values(webhooks, event, items, occurred_at or now, now)
    written = rows_insert(WebhookDelivery, INSERT_COLUMNS, rows)
    if written:
        task_enqueue(SWEEP_WEBHOOKS_TASK)
    return written


# The columns a bulk publish writes, in order (every column but the id).
INSERT_COLUMNS = (
    "webhook_id",
    "event",
    "event_id",
    "payload",
    "status",
    "attempts",
    "response_status",
    "last_error",
    "created_at",
    "delivered_at",
    "next_attempt_at",
    "claimed_until",
)


def _delivery_values(webhooks, event, items, occurred_at, now) -> Iterator[list]:
    """The INSERT_COLUMNS values of a delivery per item and webhook, prepared by the
    model's fields (the backend's UUID, JSON and datetime formats) without building a
    model instance per row: a bulk publish of many documents spends its time here."""
    fields = {field.attname: field for field in WebhookDelivery._meta.concrete_fields}
    created = fields["created_at"].get_db_prep_save(now, connection)
    for data in items:
        for hook in webhooks:
            event_id = uuid.uuid4()
            payload = _payload(event, event_id, occurred_at, data)
            yield [
                hook.pk,
                event,
                fields["event_id"].get_db_prep_save(event_id, connection),
                fields["payload"].get_db_prep_save(payload, connection),
                WebhookDelivery.Status.PENDING.value,
                0,
                None,
                "",
                created,
                None,
                created,
                None,
            ]


def _delivery_claim(pk: int) -> bool:
    now = timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(
            pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(
            claimed_until=now + timedelta(seconds=DELIVERY_CLAIM_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def _delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def delivery_headers(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "TechLeads-Webhooks/1",
        "X-TechLeads-Event": delivery.event,
        "X-TechLeads-Delivery": str(delivery.event_id),
        "X-TechLeads-Signature": signature(secret=delivery.webhook.secret, body=body),
    }


def delivery_send(*, delivery_id: int) -> str | None:
    """Make one attempt at a due, pending delivery.

    1. Claim it (status pending, due, not held by another sender) with one conditional
       UPDATE that also counts the attempt; None when another sender has it or it is not
       due (an attempt is never made twice).
    2. POST it (integrations.delivery.post: the URL checked again, no redirect followed).
    3. A 2xx: delivered. Anything else: pending again after the backoff, or failed at
       WEBHOOK_MAX_ATTEMPTS. A retry due soon is scheduled with a Celery countdown (a
       worker only); later ones, and any the broker refused, wait for the sweep.
    """
    if not _delivery_claim(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if not delivery.webhook.is_active:
        answer = Answer(None, "The webhook was deactivated.")
    else:
        body = _delivery_body(delivery)
        answer = post(
            url=delivery.webhook.url,
            body=body,
            headers=delivery_headers(delivery, body),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
    now, delay = timezone.now(), None
    fields = {"claimed_until": None, "response_status": answer.status, "last_error": answer.error}
    if answer.ok:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now)
        fields["next_attempt_at"] = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not delivery.webhook.is_active:
        fields.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    else:
        delay = retry_delay(attempts=delivery.attempts)
        fields["next_attempt_at"] = now + delay
    WebhookDelivery.objects.filter(pk=delivery_id).update(**fields)
    if delay is not None and delay.total_seconds() <= COUNTDOWN_MAX_SECONDS:
        _retry_schedule(delivery_id, delay)
    logger.info("Webhook delivery %s: %s", delivery_id, answer.status or answer.error)
    return fields.get("status", WebhookDelivery.Status.PENDING)


def _retry_schedule(pk: int, delay: timedelta) -> None:
    if current_app.conf.task_always_eager:
        return  # no worker to count down: the sweep sends it when it is due
    try:
        _task(DELIVER_TASK).apply_async(
            kwargs={"delivery": pk}, countdown=delay.total_seconds(), retry=False
        )
    except Exception as exc:  # noqa: BLE001 - any broker error: the sweep sends it later
        logger.warning("Webhook delivery %s: retry left to the sweep: %s", pk, exc)


def deliveries_send(pks: Iterable[int]) -> dict:
    """Attempt each delivery of `pks` in turn, here; counts by outcome."""
    counts = {"delivered": 0, "pending": 0, "failed": 0, "skipped": 0}
    for pk in pks:
        counts[delivery_send(delivery_id=pk) or "skipped"] += 1
    return counts


def _send_in_background(pks: list[int]) -> None:
    def send():
        try:
            deliveries_send(pks)
        except Exception:
            logger.exception("Webhook deliveries %s: sending failed", pks)
        finally:
            connections.close_all()  # this thread's connections
            _background.discard(thread)

    thread = threading.Thread(target=send, name="webhook-deliveries", daemon=True)
    _background.add(thread)
    thread.start()


def background_sends_wait(timeout: float = 30) -> None:
    """Wait for the sends started in background threads (tests; a graceful stop)."""
    for thread in list(_background):
        thread.join(timeout)


def deliveries_dispatch(pks: list[int]) -> int:
    """Hand deliveries to whoever sends them, without waiting for a receiver.

    With a broker, one deliver_webhook task each (workers send them in parallel); stops at
    the first broker error, the rest stay pending for the sweep. Without one (Celery eager,
    no worker), in one background thread: the outbox runs after-commit work inside the
    request, and a receiver that never answers would otherwise hold the request for the
    whole timeout. Returns how many were handed over."""
    if not pks:
        return 0
    if current_app.conf.task_always_eager:
        _send_in_background(list(pks))
        return len(pks)
    task = _task(DELIVER_TASK)
    for handed, pk in enumerate(pks):
        try:
            task.apply_async(kwargs={"delivery": pk}, retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker error: try again next sweep
            logger.warning("Webhooks: broker unavailable, %s left pending: %s", pk, exc)
            return handed
    return len(pks)


def webhooks_sweep(*, limit: int = SWEEP_LIMIT) -> dict:
    """Hand out the pending deliveries that are due and held by nobody, oldest first: those
    the broker could not take, retries whose backoff has passed, bulk-published events.
    Each send claims its delivery first, so a sweep that runs twice, or beside the
    after-commit send, never makes an attempt twice."""
    now = timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    pks = list(due)
    return {"due": len(pks), "dispatched": deliveries_dispatch(pks)}


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (the same event id and body), whatever its status, with a
    fresh count of attempts; queued after commit like a new one."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING,
        attempts=0,
        delivered_at=None,
        next_attempt_at=timezone.now(),
    )
    task_enqueue(DELIVER_TASK, delivery=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def webhook_secret_generate() -> str:
    return secrets.token_urlsafe(32)
