"""Incidents through their service: an incident never ends before it starts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.errors import DomainError
from techleads.models import Incident
from techleads.services import incident_record

pytestmark = pytest.mark.django_db


def test_an_incident_cannot_be_resolved_before_it_starts(org):
    now = timezone.now()
    with pytest.raises(DomainError, match="resolved before it starts"):
        incident_record(
            actor=org.lea.user,
            department=org.platform,
            title="DB down",
            severity="sev1",
            started_at=now,
            resolved_at=now - timedelta(hours=1),
        )
    assert not Incident.objects.exists()
