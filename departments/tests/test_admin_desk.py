"""The admin is HR's desk: branded as the product, the scheduler's internals left to
superusers, and every service write made through it listed in its Recent actions."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.urls import reverse

from departments.tests.factories import UserFactory
from sops.services import document_create
from techleads.models import TechLeadAssignment
from techleads.selectors import current_assignment

pytestmark = pytest.mark.django_db

INTERNALS = ["clockedschedule", "crontabschedule", "intervalschedule", "solarschedule"]


def changelist(model: str) -> str:
    return reverse(f"admin:django_celery_beat_{model}_changelist")


def test_the_admin_is_branded_as_the_product(hr_client):
    page = hr_client.get(reverse("admin:index")).content.decode()
    assert "Tech Lead management" in page
    assert "<title>HR&#x27;s desk | Tech Lead admin</title>" in page
    assert "Django administration" not in page


def test_hr_keeps_periodic_tasks_but_not_the_schedulers_internals(hr_client):
    page = hr_client.get(reverse("admin:index")).content.decode()
    assert changelist("periodictask") in page
    for model in INTERNALS:
        assert changelist(model) not in page, model
        assert hr_client.get(changelist(model)).status_code == 403, model
    assert hr_client.get(changelist("periodictask")).status_code == 200


def test_a_superuser_sees_the_schedulers_internals(client, seeded):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    for model in INTERNALS:
        assert changelist(model) in page, model
        assert client.get(changelist(model)).status_code == 200, model


def entries(obj, flag):
    return LogEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name, action_flag=flag
    )


def test_assign_end_and_hand_over_are_in_recent_actions(hr_client, org):
    hr_client.post(
        reverse("admin:techleads_techleadassignment_add"),
        {"department": org.data.pk, "person": org.dana.pk, "reason": "Knows the pipelines"},
    )
    lead = current_assignment(department=org.data)
    assert entries(lead, ADDITION).get().user == org.hr

    hr_client.post(
        reverse("admin:techleads_techleadassignment_end", args=[lead.pk]), {"reason": "Left"}
    )
    assert entries(lead, CHANGE).get().change_message == "Ended."

    hr_client.post(
        reverse("admin:techleads_techleadassignment_handover", args=[org.lead.pk]),
        {"person": org.ian.pk, "reason": "Ready"},
    )
    successor = current_assignment(department=org.platform)
    assert successor.person == org.ian
    assert entries(org.lead, CHANGE).get().change_message == "Handed over to Ian Engineer."
    assert entries(successor, ADDITION).exists()
    assert TechLeadAssignment.objects.count() == 3

    page = hr_client.get(reverse("admin:index")).content.decode()
    assert "None available" not in page
    assert str(successor) in page


def test_a_review_and_an_integration_login_are_in_recent_actions(hr_client, org):
    document = document_create(actor=org.hr, title="Runbook", kind="sop", department=org.platform)
    hr_client.post(
        reverse("admin:sops_document_review", args=[document.pk]),
        {"outcome": "confirmed", "notes": "Checked"},
    )
    assert entries(document, CHANGE).get().change_message == "Marked reviewed: confirmed accurate."

    # Saved through the service by Django's change form, which logs it itself.
    response = hr_client.post(
        reverse("admin:departments_integrationlogin_add"), {"username": "jira-sync"}
    )
    assert response.status_code == 302
    login = LogEntry.objects.get(object_repr="jira-sync", action_flag=ADDITION)
    hr_client.post(
        reverse("admin:departments_integrationlogin_changelist"),
        {"action": "revoke", "_selected_action": [login.object_id]},
    )
    revoked = LogEntry.objects.get(object_id=login.object_id, action_flag=CHANGE)
    assert revoked.change_message == "Revoked the token and deactivated the login."
