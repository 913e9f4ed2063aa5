"""Assign, hand over, end and nominate from a department page: each calls its service, a
refusal is a form error and writes nothing, an action the role lacks is a 403."""

import pytest
from django.urls import reverse

from departments.tests.factories import PersonFactory
from techleads.models import TechLeadAssignment
from techleads.selectors import current_assignment

pytestmark = pytest.mark.django_db


def test_hr_assigns_and_an_ineligible_person_is_refused_with_the_reason(hr_client, org):
    url = reverse("dashboard:assign", args=[org.data.pk])
    junior = PersonFactory(department=org.data, level=1, full_name="Jun Ior")
    refused = hr_client.post(url, {"person": junior.pk, "reason": "Keen"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert '<p class="error" role="alert">Individual Contributors below Level 3' in page
    assert current_assignment(department=org.data) is None
    done = hr_client.post(url, {"person": org.dana.pk, "reason": "Expert"}, follow=True)
    assert "Dana Data is now the Tech Lead of Data." in done.content.decode()
    assert current_assignment(department=org.data).person == org.dana


def test_an_override_reason_assigns_an_ineligible_person_and_is_recorded(hr_client, org):
    junior = PersonFactory(department=org.data, level=2)
    hr_client.post(
        reverse("dashboard:assign", args=[org.data.pk]),
        {"person": junior.pk, "reason": "Only one left", "override_reason": "Interim, 3 months"},
    )
    lead = current_assignment(department=org.data)
    assert lead.person == junior and lead.override_reason == "Interim, 3 months"


def test_assigning_where_there_is_a_lead_is_a_form_error(hr_client, org):
    response = hr_client.post(
        reverse("dashboard:assign", args=[org.platform.pk]), {"person": org.ian.pk, "reason": "x"}
    )
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert current_assignment(department=org.platform) == org.lead


def test_missing_fields_and_someone_from_another_department_are_form_errors(hr_client, org):
    url = reverse("dashboard:assign", args=[org.data.pk])
    page = hr_client.post(url, {"person": org.ian.pk}).content.decode()
    assert "Select a valid choice" in page and "This field is required" in page
    assert not TechLeadAssignment.objects.filter(department=org.data).exists()


def test_hand_over_then_end(hr_client, org):
    done = hr_client.post(
        reverse("dashboard:hand_over", args=[org.platform.pk]),
        {"person": org.ian.pk, "reason": "Ready"},
        follow=True,
    )
    assert "Handed over: Ian Engineer is now the Tech Lead." in done.content.decode()
    assert current_assignment(department=org.platform).person == org.ian
    org.lead.refresh_from_db()
    assert org.lead.ended_at is not None
    hr_client.post(
        reverse("dashboard:end", args=[org.platform.pk]), {"reason": "Reorg", "confirm": "on"}
    )
    assert current_assignment(department=org.platform) is None


def test_ending_without_a_lead_is_a_form_error(hr_client, org):
    response = hr_client.post(
        reverse("dashboard:end", args=[org.data.pk]), {"reason": "x", "confirm": "on"}
    )
    assert "Data has no active Tech Lead." in response.content.decode()


def test_actions_are_posts(hr_client, org):
    assert hr_client.get(reverse("dashboard:end", args=[org.platform.pk])).status_code == 405


def test_a_manager_cannot_assign_but_can_nominate(client, org):
    client.force_login(org.maya.user)
    for action in ("assign", "hand_over", "end"):
        refused = client.post(
            reverse(f"dashboard:{action}", args=[org.platform.pk]),
            {"person": org.ian.pk, "reason": "x"},
        )
        assert refused.status_code == 403
    assert current_assignment(department=org.platform) == org.lead
    client.post(
        reverse("dashboard:nominate", args=[org.platform.pk]),
        {"person": org.ian.pk, "readiness": "ready_now", "notes": "Runs the sessions"},
    )
    assert org.platform.successor_candidates.get().person == org.ian


def test_out_of_scope_is_a_404_before_the_role_is_checked(client, org):
    client.force_login(org.maya.user)
    response = client.post(
        reverse("dashboard:nominate", args=[org.data.pk]),
        {"person": org.dana.pk, "readiness": "ready_now"},
    )
    assert response.status_code == 404
    client.force_login(org.lea.user)  # a Tech Lead sees the page but does not nominate
    response = client.post(
        reverse("dashboard:nominate", args=[org.platform.pk]),
        {"person": org.ian.pk, "readiness": "ready_now"},
    )
    assert response.status_code == 403
