"""`webhooks/` and `webhook-deliveries/` (HR only): subscriptions with a write-only secret
shown once, a private URL refused, deliveries filtered strictly, redelivery; and a change
is never slowed by a dead receiver."""

import time

import pytest
from celery import current_app
from django.db import transaction

from departments.models import AuditEntry
from departments.tests.api import ROLES, client_for
from integrations.events import EVENTS
from integrations.models import QueuedTask, Webhook, WebhookDelivery
from integrations.services import background_sends_wait, event_publish
from integrations.tests.conftest import receiver  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks/"
DELIVERIES = "/api/v1/webhook-deliveries/"
SECRET = "a-long-enough-shared-secret"


@pytest.fixture
def hook(org):
    return Webhook.objects.create(
        url="https://hooks.example.com/a", events=["techlead.assigned"], secret=SECRET
    )


@pytest.fixture
def deliveries(hook):
    other = Webhook.objects.create(
        url="https://hooks.example.com/b", events=list(EVENTS), secret=SECRET
    )
    with transaction.atomic():
        event_publish("techlead.assigned", {"n": 1})
        event_publish("incident.opened", {"n": 2})
    WebhookDelivery.objects.filter(event="incident.opened").update(status="failed")
    return hook, other


@pytest.mark.parametrize("role", ROLES)
def test_only_hr_manages_webhooks(api, hook, role):
    expected = {"hr": 200, "anonymous": 401}.get(role, 403)
    client = api(role)
    assert client.get(HOOKS).status_code == expected
    assert client.get(f"{HOOKS}{hook.pk}/").status_code == expected
    assert client.get(DELIVERIES).status_code == expected
    body = {"url": "https://hooks.example.com/x", "events": ["incident.opened"]}
    assert client.post(HOOKS, body, format="json").status_code == (
        201 if role == "hr" else expected
    )


def test_a_superuser_manages_webhooks(org, hook):
    org.nobody.is_superuser = True
    org.nobody.save()
    assert client_for(org, "nobody").get(HOOKS).status_code == 200


def test_the_secret_is_generated_and_shown_once(api, org):
    hr = api("hr")
    response = hr.post(
        HOOKS,
        {
            "url": "https://hooks.example.com/x",
            "events": ["techlead.assigned", "person.deactivated"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    webhook = Webhook.objects.get()
    assert body == {
        "id": webhook.pk,
        "url": "https://hooks.example.com/x",
        "events": ["techlead.assigned", "person.deactivated"],
        "secret": webhook.secret,
        "is_active": True,
    }
    assert len(webhook.secret) >= 32
    assert "secret" not in hr.get(f"{HOOKS}{webhook.pk}/").json()
    assert "secret" not in hr.get(HOOKS).json()["results"][0]
    entry = AuditEntry.objects.get(verb="webhook.create")
    assert entry.actor == org.hr and webhook.secret not in str(entry.after)


def test_a_given_secret_is_kept_and_replaced_write_only(api, hook):
    hr = api("hr")
    response = hr.patch(
        f"{HOOKS}{hook.pk}/", {"secret": "another-long-secret-1", "is_active": False}, format="json"
    )
    assert response.status_code == 200 and "secret" not in response.json()
    hook.refresh_from_db()
    assert hook.secret == "another-long-secret-1" and not hook.is_active
    assert set(AuditEntry.objects.values_list("verb", flat=True)) >= {
        "webhook.secret_replace",
        "webhook.update",
    }


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "http://127.0.0.1:8000/hook", "events": ["incident.opened"]}, "url"),
        ({"url": "http://10.0.0.5/hook", "events": ["incident.opened"]}, "url"),
        ({"url": "ftp://hooks.example.com/x", "events": ["incident.opened"]}, "url"),
        ({"url": "https://hooks.example.com/x", "events": []}, "events"),
        ({"url": "https://hooks.example.com/x", "events": ["techlead.fired"]}, "events"),
        ({"url": "https://hooks.example.com/x", "events": ["incident.opened"] * 2}, "events"),
        (
            {
                "url": "https://hooks.example.com/x",
                "events": ["incident.opened"],
                "secret": "short",
            },
            "secret",
        ),
    ],
)
def test_invalid_subscriptions_are_400_on_the_field(api, org, settings, body, field):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = api("hr").post(HOOKS, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Webhook.objects.exists()


def test_hr_deletes_a_webhook(api, hook):
    assert api("hr").delete(f"{HOOKS}{hook.pk}/").status_code == 204
    assert not Webhook.objects.exists()
    assert AuditEntry.objects.filter(verb="webhook.delete").exists()


def test_deliveries_are_listed_and_filtered(api, deliveries):
    hook, other = deliveries
    hr = api("hr")
    body = hr.get(DELIVERIES).json()
    assert body["count"] == 3
    first = body["results"][0]
    assert set(first) == {
        "id",
        "webhook",
        "event",
        "event_id",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "created_at",
        "delivered_at",
    }
    assert hr.get(DELIVERIES, {"webhook": hook.pk}).json()["count"] == 1
    assert hr.get(DELIVERIES, {"webhook": other.pk, "status": "pending"}).json()["count"] == 1
    assert hr.get(DELIVERIES, {"event": "incident.opened"}).json()["count"] == 1
    assert hr.get(DELIVERIES, {"status": "failed"}).json()["count"] == 1


@pytest.mark.parametrize(
    "params",
    [{"webhook": "abc"}, {"webhook": "1.5"}, {"status": "lost"}, {"event": "x"}, {"colour": "red"}],
)
def test_malformed_delivery_filters_are_400(api, deliveries, params):
    assert api("hr").get(DELIVERIES, params).status_code == 400


@pytest.mark.parametrize("rows", [3, 30])
def test_the_delivery_list_costs_the_same_queries_at_any_size(
    api, hook, rows, django_assert_num_queries
):
    for n in range(rows):
        event_publish("techlead.assigned", {"n": n})
    hr = api("hr")
    hr.get(DELIVERIES)  # the token exists
    # the token with its user and HR role, the page with the total
    with django_assert_num_queries(2):
        assert hr.get(DELIVERIES).status_code == 200


def test_hr_redelivers_a_delivery(api, org, deliveries):
    delivery = WebhookDelivery.objects.get(event="incident.opened")  # failed
    QueuedTask.objects.all().delete()
    response = api("hr").post(f"{DELIVERIES}{delivery.pk}/redeliver/")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["attempts"] == 0
    assert body["event_id"] == str(delivery.event_id)  # the same event
    queued = QueuedTask.objects.get()
    assert queued.kwargs == {"delivery": delivery.pk}
    entry = AuditEntry.objects.get(verb="webhook.redeliver")
    assert entry.actor == org.hr and entry.target_id == str(delivery.pk)


def test_redelivering_for_an_inactive_webhook_is_a_conflict(api, deliveries):
    hook, _ = deliveries
    Webhook.objects.filter(pk=hook.pk).update(is_active=False)
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert api("hr").post(f"{DELIVERIES}{delivery.pk}/redeliver/").status_code == 409


@pytest.mark.parametrize("role", ["maya", "lea", "ian", "anonymous"])
def test_only_hr_redelivers(api, deliveries, role):
    delivery = WebhookDelivery.objects.first()
    response = api(role).post(f"{DELIVERIES}{delivery.pk}/redeliver/")
    assert response.status_code == (401 if role == "anonymous" else 403)


def test_deliveries_are_read_only(api, deliveries):
    delivery = WebhookDelivery.objects.first()
    hr = api("hr")
    assert hr.post(DELIVERIES, {}, format="json").status_code == 405
    assert hr.patch(f"{DELIVERIES}{delivery.pk}/", {}, format="json").status_code == 405
    assert hr.delete(f"{DELIVERIES}{delivery.pk}/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_dead_receiver_never_slows_the_change(org, receiver, settings, request):  # noqa: F811
    """Without a broker the delivery is sent after commit, in-process; the receiver answers
    only after its 3 s, the timeout is 2 s: the assignment still answers at once."""
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True  # whatever REDIS_URL says
    request.addfinalizer(lambda: setattr(current_app.conf, "task_always_eager", eager))
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    receiver.delay = 3
    Webhook.objects.create(url=receiver.url, events=["techlead.assigned"], secret=SECRET)
    client = client_for(org, "hr")
    body = {"department": org.data.pk, "person": org.dana.pk, "reason": "Knows the data"}

    started = time.monotonic()
    response = client.post("/api/v1/assignments/", body, format="json")
    elapsed = time.monotonic() - started

    assert response.status_code == 201, response.content
    assert elapsed < 1.5, elapsed  # before the receiver's timeout (2 s), let alone its answer
    background_sends_wait()
    assert len(receiver.requests) == 1  # it was sent, from the background
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "timed out" in delivery.last_error.lower()
