"""The Person admin behind the no-orphans guard, no deletes, and its transfer page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from continuity.selectors import person_holdings
from departments.models import AuditEntry, Person
from techleads.models import TechLeadAssignment

pytestmark = pytest.mark.django_db


def person_data(person, **changes):
    """The person change form as the browser posts it (a checkbox is sent only if on)."""
    data = {
        "employee_id": person.employee_id,
        "full_name": person.full_name,
        "email": person.email,
        "jira_account_id": person.jira_account_id,
        "department": person.department_id or "",
        "track": person.track,
        "level": person.level,
        "step": person.step,
        "user": person.user_id or "",
        "transfer_to": "",
        **changes,
    }
    if data.pop("is_active", person.is_active):
        data["is_active"] = "on"
    return data


def change_url(person):
    return reverse("admin:departments_person_change", args=[person.pk])


def test_deactivating_a_holder_is_a_form_error_listing_the_holdings(hr_client, org, holdings):
    response = hr_client.post(change_url(org.lea), person_data(org.lea, is_active=False))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lea Lead still holds 8 item(s)" in page
    assert "Tech Lead of Platform" in page and "Deploy runbook" in page
    assert 'name="transfer_to"' in page
    assert Person.objects.get(pk=org.lea.pk).is_active


def test_deactivating_with_transfer_to_transfers_first(hr_client, org, holdings):
    response = hr_client.post(
        change_url(org.lea), person_data(org.lea, is_active=False, transfer_to=org.ian.pk)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Person.objects.get(pk=org.lea.pk).is_active
    assert person_holdings(org.lea) == []


def test_moving_the_lead_is_refused_then_allowed_with_transfer_to(hr_client, org):
    refused = hr_client.post(change_url(org.lea), person_data(org.lea, department=org.data.pk))
    assert refused.status_code == 200
    assert "Lea Lead still holds 1 item(s): Tech Lead of Platform" in refused.content.decode()

    allowed = hr_client.post(
        change_url(org.lea),
        person_data(org.lea, department=org.data.pk, transfer_to=org.ian.pk),
    )
    assert allowed.status_code == 302
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian


def test_people_are_never_deleted_not_even_by_a_superuser(client, org):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)

    changelist = client.get(reverse("admin:departments_person_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    delete = client.post(reverse("admin:departments_person_delete", args=[org.jo.pk]))
    assert delete.status_code == 403
    assert Person.objects.filter(pk=org.jo.pk).exists()


def test_transfer_page_previews_then_moves(hr_client, org, holdings):
    url = reverse("admin:departments_person_transfer", args=[org.lea.pk])
    page = hr_client.get(url).content.decode()
    assert "Lea Lead holds 8 items" in page
    form = {
        "to": org.ian.pk,
        "reason": "Lea leaves",
        f"item_document_{holdings.document.pk}": "on",
        f"to_document_{holdings.document.pk}": org.dana.pk,
        f"item_tech_session_{holdings.session.pk}": "on",
    }
    audits = AuditEntry.objects.count()

    preview = hr_client.post(url, {**form, "dry_run": "on"})
    assert preview.status_code == 200
    assert "Deploy runbook: to Dana Data" in preview.content.decode()
    assert AuditEntry.objects.count() == audits

    done = hr_client.post(url, form)
    assert done.status_code == 302
    assert [h.type for h in person_holdings(org.dana)] == ["document"]
    assert AuditEntry.objects.count() == audits + 2


def test_transfer_refusal_is_shown_on_the_receiver(hr_client, org, holdings):
    url = reverse("admin:departments_person_transfer", args=[org.lea.pk])
    response = hr_client.post(
        url, {"to": org.jo.pk, "reason": "x", f"item_tech_lead_{org.lead.pk}": "on"}
    )
    assert response.status_code == 200
    assert "Jo Junior: " in response.content.decode()
    assert len(person_holdings(org.lea)) == 8


def test_the_transfer_action_opens_the_transfer_page(hr_client, org):
    response = hr_client.post(
        reverse("admin:departments_person_changelist"),
        {"action": "transfer_holdings", "_selected_action": [org.lea.pk]},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:departments_person_transfer", args=[org.lea.pk])
