"""Resolving an incident is decided under its row lock: a second resolve (a double click,
a stale page, a concurrent request) is a conflict, and the time it ended stays the first."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from departments.errors import Conflict
from departments.models import AuditEntry
from techleads.models import Incident
from techleads.services import incident_record, incident_resolve


@pytest.fixture
def outage(org):
    return incident_record(
        actor=org.lea.user,
        department=org.platform,
        title="Queue backlog",
        severity="sev2",
        started_at=timezone.now() - timedelta(hours=1),
    )


def test_a_resolved_incident_is_not_resolved_again(org, outage):
    """The view's own check ran on an unlocked copy: a stale copy passed it and moved the
    end of the incident to the second click."""
    stale = Incident.objects.get(pk=outage.pk)
    first = incident_resolve(actor=org.lea.user, incident=outage)
    with pytest.raises(Conflict):
        incident_resolve(actor=org.maya.user, incident=stale)
    stale.refresh_from_db()
    assert stale.resolved_at == first.resolved_at
    assert AuditEntry.objects.filter(verb="incident.update").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_resolves_at_once_resolve_it_once(org, outage):
    outcomes = []

    def resolve(user):
        try:
            incident_resolve(actor=user, incident=outage)
            outcomes.append("resolved")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=resolve, args=(u,)) for u in (org.lea.user, org.hr)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "resolved"]
    assert AuditEntry.objects.filter(verb="incident.update").count() == 1
