"""The admin as HR's role-assignment desk, through the Django test client."""

import pytest
from django.urls import reverse

from departments.models import AuditEntry
from departments.tests.factories import DepartmentFactory, PersonFactory, UserFactory
from techleads.models import EligibilityRule, TechLeadAssignment
from techleads.selectors import current_assignment

pytestmark = pytest.mark.django_db

ADD = reverse("admin:techleads_techleadassignment_add")


def end_url(assignment):
    return reverse("admin:techleads_techleadassignment_end", args=[assignment.pk])


def handover_url(assignment):
    return reverse("admin:techleads_techleadassignment_handover", args=[assignment.pk])


def test_assign_form_lists_each_candidate_with_the_reason(hr_client, org):
    page = hr_client.get(ADD, {"department": org.data.pk}).content.decode()
    assert "Assign a Tech Lead to Data" in page
    assert "Dana Data" in page and "Level 3 and above can be Tech Leads" in page


def test_hr_assigns_an_eligible_person(hr_client, org):
    response = hr_client.post(
        ADD, {"department": org.data.pk, "person": org.dana.pk, "reason": "Knows the pipelines"}
    )
    assert response.status_code == 302
    lead = current_assignment(department=org.data)
    assert (lead.person, lead.assigned_by) == (org.dana, org.hr)
    assert AuditEntry.objects.filter(verb="techlead.assign", target_id=str(lead.pk)).exists()


def test_ineligible_person_is_refused_with_the_reason_unless_overridden(hr_client, org):
    junior = PersonFactory(department=org.data, level=1, full_name="Jun Ior")
    form = {"department": org.data.pk, "person": junior.pk, "reason": "Keen"}
    response = hr_client.post(ADD, form)
    assert response.status_code == 200
    assert "below Level 3 cannot be Tech Leads yet" in response.content.decode()
    assert current_assignment(department=org.data) is None

    response = hr_client.post(ADD, {**form, "override_reason": "Only one who knows Spark"})
    assert response.status_code == 302
    assert current_assignment(department=org.data).override_reason == "Only one who knows Spark"


def test_second_lead_is_refused_in_the_form(hr_client, org):
    response = hr_client.post(
        ADD, {"department": org.platform.pk, "person": org.ian.pk, "reason": "x"}
    )
    assert "already has an active Tech Lead" in response.content.decode()
    assert TechLeadAssignment.objects.filter(department=org.platform).count() == 1


def test_end_with_a_reason_and_again_is_refused(hr_client, org):
    response = hr_client.post(end_url(org.lead), {"reason": "Left the company"})
    assert response.status_code == 302
    org.lead.refresh_from_db()
    assert org.lead.end_reason == "Left the company" and org.lead.ended_by == org.hr
    again = hr_client.post(end_url(org.lead), {"reason": "twice"})
    assert "already ended" in again.content.decode()


def test_hand_over_from_the_admin(hr_client, org):
    page = hr_client.get(handover_url(org.lead)).content.decode()
    assert "Ian Engineer (Individual Contributor L3 S1) · eligible" in page
    response = hr_client.post(handover_url(org.lead), {"person": org.ian.pk, "reason": "Ready"})
    assert response.status_code == 302
    assert current_assignment(department=org.platform).person == org.ian
    refused = hr_client.post(
        handover_url(current_assignment(department=org.platform)),
        {"person": org.jo.pk, "reason": "x"},
    )
    assert "below Level 3" in refused.content.decode()


def test_assignments_are_never_deleted_or_edited(hr_client, org):
    url = reverse("admin:techleads_techleadassignment_delete", args=[org.lead.pk])
    assert hr_client.post(url, {"post": "yes"}).status_code == 403
    change = reverse("admin:techleads_techleadassignment_change", args=[org.lead.pk])
    hr_client.post(change, {"reason": "rewritten"})
    org.lead.refresh_from_db()
    assert org.lead.reason == "Knows the platform best"


def test_staff_without_hr_cannot_use_the_desk(client, org):
    staff = UserFactory(username="staffer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(ADD).status_code == 403
    assert client.post(end_url(org.lead), {"reason": "x"}).status_code == 403
    org.lead.refresh_from_db()
    assert org.lead.ended_at is None


def test_person_edit_goes_through_the_audited_service(hr_client, org):
    url = reverse("admin:departments_person_change", args=[org.ian.pk])
    data = {
        "employee_id": org.ian.employee_id,
        "full_name": org.ian.full_name,
        "email": org.ian.email,
        "department": org.platform.pk,
        "track": "ic",
        "level": 5,
        "step": 1,
        "is_active": "on",
        "user": org.ian.user_id,
    }
    assert hr_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(verb="person.update")
    assert (entry.before["level"], entry.after["level"], entry.actor) == (3, 5, org.hr)
    bad = hr_client.post(url, {**data, "level": 0})
    assert bad.status_code == 200 and "Ensure this value is greater than or equal to 1" in (
        bad.content.decode()
    )


def test_rule_edits_are_audited(hr_client):
    rule = EligibilityRule.objects.get(track="ic", min_level=3)
    url = reverse("admin:techleads_eligibilityrule_change", args=[rule.pk])
    data = {
        "track": "ic",
        "min_level": 4,
        "max_level": "",
        "min_step": 1,
        "max_step": "",
        "verdict": "eligible",
        "priority": rule.priority,
        "explanation": rule.explanation,
        "is_active": "on",
    }
    # Ian (IC Level 3) stops being assignable: the first save shows that, the second saves.
    shown = hr_client.post(url, data).context["adminform"].form["previewed"].value()
    assert hr_client.post(url, {**data, "previewed": shown}).status_code == 302
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert (entry.before["min_level"], entry.after["min_level"]) == (3, 4)


@pytest.mark.parametrize("extra", [5, 40])
def test_changelists_run_a_bounded_number_of_queries(
    hr_client, org, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        department = DepartmentFactory()
        PersonFactory.create_batch(2, department=department)
    # session, user, HR group check, then one query (or one prefetch) per listed concern
    for name in ("departments_department", "departments_person", "techleads_techleadassignment"):
        with django_assert_max_num_queries(12):
            assert hr_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
