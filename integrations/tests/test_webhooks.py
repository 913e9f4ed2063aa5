"""Outbound webhooks, the sending side: each delivery is a row written in the change's
transaction, POSTed with an HMAC-SHA256 signature a real local receiver verifies, retried
with backoff on errors and timeouts, failed after WEBHOOK_MAX_ATTEMPTS, and never sent
twice by a retried or concurrent sweep."""

import hashlib
import hmac
import json
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery import current_app
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from integrations.delivery import UnsafeURL, url_resolve
from integrations.events import DOCUMENT_STALE, TECHLEAD_ASSIGNED, TECHLEAD_ENDED
from integrations.models import QueuedTask, Webhook, WebhookDelivery
from integrations.rules import retry_delay
from integrations.services import (
    delivery_send,
    event_publish,
    events_publish,
    outbox_sweep,
    webhooks_sweep,
)

SECRET = "a-shared-secret-of-some-length"
DATA = {"department": {"id": 1, "name": "Platform", "slug": "platform"}, "assignment": 7}


@contextmanager
def celery_eager(value: bool):
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = value
    try:
        yield
    finally:
        current_app.conf.task_always_eager = eager


@pytest.fixture
def broker():
    """A real (non-eager) Celery publish, with the broker itself mocked."""
    with celery_eager(False), mock.patch("celery.app.task.Task.apply_async") as apply_async:
        yield apply_async


def webhook(url, events=(TECHLEAD_ASSIGNED,), **fields) -> Webhook:
    return Webhook.objects.create(url=url, events=list(events), secret=SECRET, **fields)


def published(hook, event=TECHLEAD_ASSIGNED, data=DATA) -> WebhookDelivery:
    with transaction.atomic():
        (delivery,) = [d for d in event_publish(event, data) if d.webhook_id == hook.pk]
    return delivery


def test_the_receiver_verifies_the_signature_of_the_raw_body(db, receiver):
    hook = webhook(receiver.url)
    delivery = published(hook)

    assert delivery_send(delivery_id=delivery.pk) == "delivered"

    (request,) = receiver.requests
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["X-TechLeads-Signature"], f"sha256={expected}")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-TechLeads-Event"] == "techlead.assigned"
    assert request.headers["X-TechLeads-Delivery"] == str(delivery.event_id)
    assert request.path == "/hooks/techleads?team=platform"
    body = json.loads(request.body)
    assert body == {
        "id": str(delivery.event_id),
        "event": "techlead.assigned",
        "occurred_at": body["occurred_at"],
        "data": DATA,
    }
    assert body["occurred_at"].endswith("Z")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.delivered_at and delivery.last_error == ""


def test_a_wrong_secret_does_not_verify(db, receiver):
    delivery = published(webhook(receiver.url))
    delivery_send(delivery_id=delivery.pk)
    (request,) = receiver.requests
    forged = hmac.new(b"another secret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-TechLeads-Signature"] != f"sha256={forged}"


def test_a_500_is_retried_with_backoff_then_delivered(db, receiver):
    receiver.status = 500
    delivery = published(webhook(receiver.url))
    before = timezone.now()

    assert delivery_send(delivery_id=delivery.pk) == "pending"

    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.response_status == 500
    assert delivery.last_error.startswith("HTTP 500")
    # The first retry comes within 60 s.
    assert before < delivery.next_attempt_at <= before + timedelta(seconds=60)
    assert delivery_send(delivery_id=delivery.pk) is None  # not due yet: no second attempt
    assert len(receiver.requests) == 1

    receiver.status = 204
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert delivery_send(delivery_id=delivery.pk) == "delivered"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 204)
    assert [r.headers["X-TechLeads-Delivery"] for r in receiver.requests] == [
        str(delivery.event_id)
    ] * 2  # the same event id on every attempt


def test_no_answer_within_the_timeout_is_retried(db, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 2
    delivery = published(webhook(receiver.url))

    started = time.monotonic()
    assert delivery_send(delivery_id=delivery.pk) == "pending"
    assert time.monotonic() - started < 1.5

    delivery.refresh_from_db()
    assert delivery.response_status is None and "timed out" in delivery.last_error.lower()
    assert delivery.attempts == 1 and delivery.next_attempt_at > timezone.now()


def test_a_redirect_is_not_followed(db, receiver):
    receiver.status, receiver.location = 302, "http://127.0.0.1:9/elsewhere"
    delivery = published(webhook(receiver.url))
    assert delivery_send(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.response_status == 302 and len(receiver.requests) == 1


def test_after_the_last_attempt_it_is_failed(db, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 503
    delivery = published(webhook(receiver.url))
    outcomes = []
    for _ in range(3):
        delivery.refresh_from_db()
        with time_machine.travel(delivery.next_attempt_at):
            outcomes.append(delivery_send(delivery_id=delivery.pk))
    assert outcomes == ["pending", "pending", "failed"]
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.next_attempt_at is None
    assert webhooks_sweep() == {"due": 0, "dispatched": 0}


def test_backoff_is_exponential_and_the_first_retry_within_a_minute():
    delays = [retry_delay(attempts=n).total_seconds() for n in range(1, 6)]
    assert delays == [30, 120, 480, 1920, 7680]


def test_the_row_is_written_in_the_callers_transaction(db, receiver):
    webhook(receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_publish(TECHLEAD_ASSIGNED, DATA)
        raise RuntimeError("the change failed")
    assert not WebhookDelivery.objects.exists() and not QueuedTask.objects.exists()


def test_only_active_subscribed_webhooks_get_a_delivery(db, receiver, django_assert_num_queries):
    subscribed = webhook(receiver.url, events=[TECHLEAD_ASSIGNED, TECHLEAD_ENDED])
    webhook(receiver.url, events=[TECHLEAD_ENDED])
    webhook(receiver.url, events=[TECHLEAD_ASSIGNED], is_active=False)

    deliveries = event_publish(TECHLEAD_ASSIGNED, DATA)

    assert [d.webhook_id for d in deliveries] == [subscribed.pk]
    with django_assert_num_queries(1):  # the active webhooks; nothing else when none subscribes
        assert event_publish("document.escalated", lambda: pytest.fail("data built")) == []


def test_bulk_events_are_inserted_in_batches_and_swept(db, receiver):
    webhook(receiver.url, events=[DOCUMENT_STALE])
    webhook(receiver.url, events=[DOCUMENT_STALE])
    items = ({"document": {"id": n}} for n in range(1200))
    with CaptureQueriesContext(connection) as queries:
        assert events_publish(DOCUMENT_STALE, items) == 2400
    # The webhooks, multi-row INSERTs (3 of 1000 rows on PostgreSQL; SQLite splits them at
    # its limit of bound parameters), the outbox row: never a query per delivery.
    assert len(queries) <= 2 + 2400 // 50
    assert WebhookDelivery.objects.count() == 2400
    assert QueuedTask.objects.get().task == "integrations.tasks.sweep_webhooks"
    assert WebhookDelivery.objects.values("event_id").distinct().count() == 2400


def test_a_broker_outage_leaves_the_delivery_pending_for_the_sweep(
    db, receiver, broker, django_capture_on_commit_callbacks
):
    broker.side_effect = BrokerError("Error 111 connecting to 127.0.0.1:6379.")
    hook = webhook(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = published(hook)
    assert QueuedTask.objects.get().status == "pending"
    assert webhooks_sweep() == {"due": 1, "dispatched": 0}  # the broker is still down

    broker.side_effect = None
    broker.reset_mock()
    assert webhooks_sweep() == {"due": 1, "dispatched": 1}
    broker.assert_called_once_with(kwargs={"delivery": delivery.pk}, retry=False)
    # The worker runs the task: one POST.
    assert delivery_send(delivery_id=delivery.pk) == "delivered"
    # The outbox row is published too once the broker is back: its attempt finds nothing
    # to do, and nothing is sent twice.
    assert outbox_sweep()["sent"] == 1
    assert delivery_send(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1


def test_a_retried_sweep_never_sends_a_delivery_twice(db, receiver, broker):
    for _ in range(3):
        webhook(receiver.url)
    deliveries = event_publish(TECHLEAD_ASSIGNED, DATA)
    webhooks_sweep()
    webhooks_sweep()  # a retried sweep hands the same deliveries out again
    dispatched = [call.kwargs["kwargs"]["delivery"] for call in broker.call_args_list]
    assert sorted(dispatched) == sorted([d.pk for d in deliveries] * 2)
    for pk in dispatched:  # the workers run every task they were handed
        delivery_send(delivery_id=pk)
    assert sorted(r.headers["X-TechLeads-Delivery"] for r in receiver.requests) == sorted(
        str(d.event_id) for d in deliveries
    )


def test_a_held_delivery_is_not_swept(db, receiver, broker):
    from integrations.services import _delivery_claim

    delivery = published(webhook(receiver.url))
    assert _delivery_claim(delivery.pk)  # a worker is sending it
    assert webhooks_sweep() == {"due": 0, "dispatched": 0}
    assert delivery_send(delivery_id=delivery.pk) is None
    assert receiver.requests == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_make_one_attempt(receiver):
    import uuid

    # Written directly: a committed event_publish would already have sent it after commit.
    delivery = WebhookDelivery.objects.create(
        webhook=webhook(receiver.url),
        event=TECHLEAD_ASSIGNED,
        event_id=uuid.uuid4(),
        payload={"data": DATA},
        next_attempt_at=timezone.now(),
    )
    start = threading.Barrier(4)
    outcomes = []

    def send():
        start.wait()
        try:
            outcomes.append(delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(map(str, outcomes)) == ["None", "None", "None", "delivered"]
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://hooks.example.com/x",
        "file:///etc/passwd",
    ],
)
def test_private_and_non_http_urls_are_refused(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURL):
        url_resolve(url)


def test_a_public_address_is_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    public = [(2, 1, 6, "", ("93.184.215.14", 443))]
    with mock.patch("socket.getaddrinfo", return_value=public):
        host, addresses = url_resolve("https://hooks.example.com/x")
    assert (host, addresses) == ("hooks.example.com", ["93.184.215.14"])


def test_the_address_is_checked_again_when_sending(db, receiver, settings):
    delivery = published(webhook(receiver.url))  # saved while private URLs were allowed
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False  # ... or the name now resolves elsewhere

    assert delivery_send(delivery_id=delivery.pk) == "pending"

    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Refused: ") and receiver.requests == []


def test_a_deactivated_webhook_fails_its_pending_deliveries(db, receiver):
    hook = webhook(receiver.url)
    delivery = published(hook)
    Webhook.objects.filter(pk=hook.pk).update(is_active=False)
    assert delivery_send(delivery_id=delivery.pk) == "failed"
    assert receiver.requests == []


def test_the_sweep_is_scheduled_every_minute(seeded):
    from django_celery_beat.models import PeriodicTask

    sweep = PeriodicTask.objects.get(task="integrations.tasks.sweep_webhooks")
    assert sweep.enabled and (sweep.interval.every, sweep.interval.period) == (1, "minutes")
