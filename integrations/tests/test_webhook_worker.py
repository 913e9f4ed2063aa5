"""Webhook deliveries through a real Celery worker on PostgreSQL and Redis: the change
commits, the outbox hands the delivery to Redis, a worker POSTs it to a local receiver."""

import hashlib
import hmac
import os

import pytest
from django.db import transaction

from integrations.models import Webhook, WebhookDelivery
from integrations.services import event_publish
from sops.tests.test_tasks import purge_queue, start, stop, wait_for  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SECRET = "a-shared-secret-of-some-length"


def test_a_worker_delivers_and_signs(receiver, purge_queue, monkeypatch):  # noqa: F811
    # The worker runs the deployed settings: let it call the local receiver.
    monkeypatch.setitem(os.environ, "WEBHOOK_ALLOW_PRIVATE_URLS", "1")
    Webhook.objects.create(url=receiver.url, events=["incident.opened"], secret=SECRET)
    worker = start("worker", "--pool=threads", "--concurrency=2", "--without-heartbeat")
    try:
        with transaction.atomic():
            (delivery,) = event_publish("incident.opened", {"incident": {"id": 1}})
        delivered = wait_for(
            lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="delivered").exists()
        )
    finally:
        log = stop(worker)
    assert delivered, (log, WebhookDelivery.objects.values().get())
    (request,) = receiver.requests
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-TechLeads-Signature"] == f"sha256={expected}", log
    assert "deliver_webhook" in log and "succeeded" in log
