"""The demo organisation shows succession readiness: an emergency successor, a flagged
candidate and an expired confirmation, read through the same selectors as every face."""

import pytest
from django.core.management import call_command

from techleads.models import SuccessorCandidate
from techleads.selectors import annotated_flags, departments_with_risk, successors_with_flags

pytestmark = pytest.mark.django_db


def test_demo_has_an_emergency_successor_a_flagged_one_and_an_expired_one(capsys):
    call_command("seed_demo", password="demo-password-1")
    flags = {
        (c.department.slug, c.person.full_name): annotated_flags(c)
        for c in successors_with_flags().select_related("department", "person")
    }
    assert any("expired" in f for (slug, _), f in flags.items() if slug == "platform")
    assert any("ineligible" in f for (slug, _), f in flags.items() if slug == "web")
    emergency = SuccessorCandidate.objects.get(emergency=True)
    assert emergency.department.slug == "payments"
    risks = {d.slug: d.succession_risk for d in departments_with_risk()}
    assert risks["payments"] == "none"  # its emergency successor is ready now, unflagged
    assert risks["it-operations"] == "leadless"
    assert risks["mobile"] == "transition_without_successor"
