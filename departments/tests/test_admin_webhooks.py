"""Webhooks in the admin, as HR: the secret is never rendered and shown once after adding,
changes are audited, deliveries are read-only and "Redeliver" queues them again."""

import pytest
from django.urls import reverse

from departments.models import AuditEntry
from integrations.models import QueuedTask, Webhook, WebhookDelivery
from integrations.services import event_publish

pytestmark = pytest.mark.django_db

HOOKS = reverse("admin:integrations_webhook_changelist")
ADD = reverse("admin:integrations_webhook_add")
DELIVERIES = reverse("admin:integrations_webhookdelivery_changelist")
SECRET = "a-long-enough-shared-secret"


@pytest.fixture
def hook(org):
    return Webhook.objects.create(
        url="https://hooks.example.com/a", events=["techlead.assigned"], secret=SECRET
    )


def test_hr_adds_a_webhook_and_sees_the_secret_once(hr_client, org):
    response = hr_client.post(
        ADD,
        {"url": "https://hooks.example.com/x", "events": ["incident.opened"], "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.events == ["incident.opened"] and len(webhook.secret) >= 32
    assert webhook.secret in response.content.decode()  # shown this once
    change = hr_client.get(reverse("admin:integrations_webhook_change", args=[webhook.pk]))
    assert webhook.secret not in change.content.decode()
    assert AuditEntry.objects.get(verb="webhook.create").actor == org.hr


def test_an_empty_secret_keeps_the_current_one(hr_client, hook):
    url = reverse("admin:integrations_webhook_change", args=[hook.pk])
    form = {"url": hook.url, "events": ["techlead.assigned", "techlead.ended"], "secret": ""}
    assert hr_client.post(url, form).status_code == 302
    hook.refresh_from_db()
    assert hook.secret == SECRET and hook.events == ["techlead.assigned", "techlead.ended"]
    assert not hook.is_active  # the checkbox was left unticked
    assert AuditEntry.objects.filter(verb="webhook.update").count() == 1
    assert not AuditEntry.objects.filter(verb="webhook.secret_replace").exists()


def test_a_private_url_is_a_form_error(hr_client, org, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = hr_client.post(ADD, {"url": "http://127.0.0.1/x", "events": ["incident.opened"]})
    assert response.status_code == 200 and "public addresses only" in response.content.decode()
    assert not Webhook.objects.exists()


def test_hr_redelivers_from_the_list_and_cannot_edit_a_delivery(hr_client, org, hook):
    (delivery,) = event_publish("techlead.assigned", {"n": 1})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=6)
    QueuedTask.objects.all().delete()

    page = hr_client.get(DELIVERIES)
    assert page.status_code == 200 and "Redeliver the selected deliveries" in page.content.decode()
    response = hr_client.post(
        DELIVERIES, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "1 delivery(ies) queued again." in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert QueuedTask.objects.get().kwargs == {"delivery": delivery.pk}
    assert AuditEntry.objects.get(verb="webhook.redeliver").actor == org.hr

    detail = hr_client.get(reverse("admin:integrations_webhookdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert hr_client.get(reverse("admin:integrations_webhookdelivery_add")).status_code == 403


def test_other_staff_cannot_see_webhooks(client, org, hook):
    org.lea.user.is_staff = True
    org.lea.user.save()
    client.force_login(org.lea.user)
    assert client.get(HOOKS).status_code == 403
    assert client.get(DELIVERIES).status_code == 403
