"""Each webhook event is published by the service that makes the change, in its
transaction, with the data DESIGN.md names; the staleness check publishes document.stale
and document.escalated once per document per status change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.services import people_upsert, person_update
from integrations.events import EVENTS
from integrations.models import Webhook, WebhookDelivery
from sops.services import document_create
from sops.staleness import staleness_check_run
from techleads.services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    incident_record,
)

DAY = timedelta(days=1)


@pytest.fixture
def subscriber(db):
    """A webhook subscribed to every event (sending is not under test here)."""
    return Webhook.objects.create(
        url="https://hooks.example.com/t", events=list(EVENTS), secret="s"
    )


def person(p):
    return {"id": p.pk, "employee_id": p.employee_id, "full_name": p.full_name, "email": p.email}


def department(d):
    return {"id": d.pk, "name": d.name, "slug": d.slug}


def sent(event: str) -> list[dict]:
    """The bodies published for `event`, oldest first."""
    rows = WebhookDelivery.objects.filter(event=event).order_by("id")
    for row in rows:
        assert row.payload["id"] == str(row.event_id) and row.payload["event"] == event
    return [row.payload["data"] for row in rows]


def test_assigned(org, subscriber):
    assignment = assignment_create(
        department=org.data, person=org.dana, assigned_by=org.hr, reason="Knows the data"
    )
    assert sent("techlead.assigned") == [
        {
            "department": department(org.data),
            "person": person(org.dana),
            "assignment": assignment.pk,
        }
    ]


def test_ended(org, subscriber):
    assignment_end(assignment=org.lead, ended_by=org.hr, reason="Left the role")
    assert sent("techlead.ended") == [
        {
            "department": department(org.platform),
            "person": person(org.lea),
            "assignment": org.lead.pk,
        }
    ]


def test_handed_over(org, subscriber):
    new = assignment_hand_over(
        department=org.platform, successor=org.ian, actor=org.hr, reason="Rotation"
    )
    assert sent("techlead.handed_over") == [
        {
            "department": department(org.platform),
            "person": person(org.ian),
            "previous": person(org.lea),
            "assignment": new.pk,
        }
    ]
    assert sent("techlead.assigned") == [] and sent("techlead.ended") == []


def test_incident_opened(org, subscriber):
    started = timezone.now() - timedelta(hours=1)
    incident = incident_record(
        actor=org.lea.user,
        department=org.platform,
        title="Checkout down",
        severity="sev1",
        started_at=started,
        handled_by=org.ian,
    )
    assert sent("incident.opened") == [
        {
            "incident": {
                "id": incident.pk,
                "title": "Checkout down",
                "severity": "sev1",
                "started_at": started.isoformat(),
                "resolved_at": None,
            },
            "department": department(org.platform),
            "handled_by": person(org.ian),
        }
    ]


def test_person_deactivated_by_an_update_once(org, subscriber):
    person_update(actor=org.hr, person=org.jo, is_active=False)
    person_update(actor=org.hr, person=org.jo, full_name="Jo Junior-Smith")  # still inactive
    person_update(actor=org.hr, person=org.jo, is_active=True)  # reactivated: no event
    org.jo.refresh_from_db()
    assert sent("person.deactivated") == [
        {
            "person": {**person(org.jo), "full_name": "Jo Junior"},
            "department": department(org.platform),
        }
    ]


def test_person_deactivated_by_the_hris_sync(org, subscriber):
    rows = [
        {"employee_id": org.jo.employee_id, "is_active": False},
        {"employee_id": org.dana.employee_id, "level": 6},
    ]
    people_upsert(actor=org.hr, rows=rows)
    people_upsert(actor=org.hr, rows=rows)  # the same sync again: nobody changes
    assert sent("person.deactivated") == [
        {"person": person(org.jo), "department": department(org.platform)}
    ]


def test_nothing_is_written_without_a_subscriber(org):
    Webhook.objects.create(
        url="https://hooks.example.com/t", events=["incident.opened"], secret="s"
    )
    Webhook.objects.create(
        url="https://hooks.example.com/u", events=list(EVENTS), secret="s", is_active=False
    )
    assignment_hand_over(department=org.platform, successor=org.ian, actor=org.hr, reason="R")
    person_update(actor=org.hr, person=org.jo, is_active=False)
    assert not WebhookDelivery.objects.exists()


@pytest.fixture
def documents(org):
    """Platform: an SOP 100 days since review (stale), one 200 days (stale long enough to
    escalate), a fresh one."""
    now = timezone.now()

    def make(title, age):
        return document_create(
            actor=org.hr,
            title=title,
            kind="sop",
            department=org.platform,
            owner=org.lea,
            last_reviewed_at=now - age * DAY,
        )

    return {"old": make("Old", 100), "ancient": make("Ancient", 200), "fresh": make("Fresh", 1)}


def test_staleness_events_once_per_status_change(org, subscriber, documents):
    staleness_check_run()
    staleness_check_run()  # the same day again
    staleness_check_run(full=True)

    stale = sent("document.stale")
    assert sorted(d["document"]["title"] for d in stale) == ["Ancient", "Old"]
    old = next(d for d in stale if d["document"]["title"] == "Old")
    assert old["document"]["status"] == "stale" and old["document"]["id"] == documents["old"].pk
    assert old["department"] == department(org.platform) and old["owner"] == person(org.lea)
    assert [d["document"]["title"] for d in sent("document.escalated")] == ["Ancient"]


def test_staleness_events_cost_a_query_each_without_subscribers(
    org, documents, django_assert_max_num_queries
):
    from sops.models import StalenessRun
    from sops.staleness import document_events_publish

    run = StalenessRun.objects.create(started_at=timezone.now(), full_scan=True, window_days=14)
    with django_assert_max_num_queries(2):  # the webhooks, per event; no document is read
        assert document_events_publish(run=run, now=timezone.now()) == (0, 0)
