"""The admin's successor candidates: rank, emergency mark, confirmation and flags shown;
nominating, changing and confirming go through the services (audited)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from departments.models import AuditEntry
from techleads.models import SuccessorCandidate
from techleads.services import successor_nominate

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:techleads_successorcandidate_changelist")
ADD = reverse("admin:techleads_successorcandidate_add")
LONG_AGO = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)


def form(**fields) -> dict:
    return {"readiness": "ready_now", "rank": "1", "notes": "", **fields}


def test_the_list_shows_rank_emergency_expiry_and_flags(hr_client, org):
    with time_machine.travel(LONG_AGO, tick=False):
        successor_nominate(
            department=org.platform, person=org.jo, actor=org.hr, readiness="ready_now"
        )
    page = hr_client.get(CHANGELIST).content.decode()
    for column in ("Rank", "Emergency", "Confirmed at", "Expires at", "Flags"):
        assert column in page
    assert "Confirmation expired" in page and "their level does not allow the role" in page


def test_hr_nominates_through_the_service(hr_client, org):
    response = hr_client.post(
        ADD,
        form(department=org.platform.pk, person=org.ian.pk, emergency="on", rank="2"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate = SuccessorCandidate.objects.get()
    assert (candidate.rank, candidate.emergency, candidate.nominated_by) == (2, True, org.hr)
    assert AuditEntry.objects.filter(verb="successor.nominate").count() == 1


def test_a_refusal_is_a_form_error(hr_client, org):
    response = hr_client.post(ADD, form(department=org.platform.pk, person=org.lea.pk))
    assert response.status_code == 200
    assert "already the Tech Lead of this department" in response.content.decode()
    assert not SuccessorCandidate.objects.exists()


def test_changing_moves_the_emergency_mark(hr_client, org):
    ian = successor_nominate(
        department=org.platform, person=org.ian, actor=org.hr, readiness="ready_now", emergency=True
    )
    jo = successor_nominate(
        department=org.platform, person=org.jo, actor=org.hr, readiness="ready_now"
    )
    url = reverse("admin:techleads_successorcandidate_change", args=[jo.pk])
    response = hr_client.post(url, form(emergency="on"))
    assert response.status_code == 302
    ian.refresh_from_db()
    jo.refresh_from_db()
    assert (ian.emergency, jo.emergency) == (False, True)


def test_the_confirm_action(hr_client, org):
    with time_machine.travel(LONG_AGO, tick=False):
        candidate = successor_nominate(
            department=org.platform, person=org.ian, actor=org.hr, readiness="ready_now"
        )
    response = hr_client.post(CHANGELIST, {"action": "confirm", "_selected_action": [candidate.pk]})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.confirmed_at > LONG_AGO
    assert AuditEntry.objects.filter(verb="successor.confirm").count() == 1


def test_not_hr_sees_nothing(client, org):
    client.force_login(org.maya.user)
    assert client.get(CHANGELIST).status_code in (302, 403)
