"""Admin lists at the size of a company: the audit trail's filters list neither the
departments nor the actors the trail names (a department is chosen by autocomplete, an
actor searched); the webhook deliveries' event filter is the fixed list of events; the
login logs are not counted whole."""

import pytest
from axes.models import AccessLog
from django.urls import reverse

from departments.services import department_create
from departments.tests.factories import UserFactory
from integrations.events import EVENTS
from integrations.models import Webhook
from integrations.services import event_publish

pytestmark = pytest.mark.django_db

TRAIL = reverse("admin:departments_auditentry_changelist")


@pytest.mark.parametrize("size", [5, 60])
def test_audit_trail_filters_list_no_departments_or_actors(
    hr_client, org, size, django_assert_max_num_queries
):
    for index in range(size):
        actor = UserFactory(hr=True, username=f"crowd-actor-{index:04d}")
        department_create(actor=actor, name=f"Crowd Department {index:04d}", slug=f"c-{index}")

    # The same bound at 5 and 60 departments and actors (one page of 100 rows).
    with django_assert_max_num_queries(12):
        page = hr_client.get(TRAIL, {"verb": "department.create", "q": "Platform"})
    assert page.status_code == 200
    page = page.content.decode()
    assert "Crowd Department" not in page and "crowd-actor" not in page
    assert 'data-field-name="department"' in page

    found = hr_client.get(TRAIL, {"q": "crowd-actor-0001"}).content.decode()
    assert "Crowd Department 0001" in found and "Crowd Department 0002" not in found


def test_deliveries_filter_by_every_event_without_reading_the_deliveries(hr_client, org):
    Webhook.objects.create(
        url="https://hooks.example.com/a", events=list(EVENTS), secret="a-long-enough-secret"
    )
    event_publish("techlead.assigned", {"n": 1})
    event_publish("document.stale", {"n": 2})
    deliveries = reverse("admin:integrations_webhookdelivery_changelist")

    page = hr_client.get(deliveries).content.decode()
    # The events a webhook subscribes to, a fixed list, not the values of the deliveries.
    for event in EVENTS:
        assert f"?event={event}" in page, event

    filtered = hr_client.get(deliveries, {"event": "document.stale"}).content.decode()
    assert 'field-event">document.stale<' in filtered
    assert 'field-event">techlead.assigned<' not in filtered


def test_login_logs_count_the_search_only(hr_client, org):
    for name in ("ann", "bob", "cy"):
        AccessLog.objects.create(username=name, ip_address="10.0.0.1", user_agent="t")
    page = hr_client.get(reverse("admin:axes_accesslog_changelist"), {"q": "ann"}).content.decode()
    # A log of every login: the matches are counted, the whole table is not ("3 total").
    assert "1 result" in page and "total" not in page
