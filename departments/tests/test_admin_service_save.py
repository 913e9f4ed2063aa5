"""The admin validates, then saves through the service: validation itself writes nothing."""

from django.contrib.admin.sites import site
from django.urls import reverse

from departments.models import AuditEntry, Department

# The department page's inlines (assignment history, successors) post their management form.
INLINES = {
    f"{prefix}-{name}": "0"
    for prefix in ("tech_lead_assignments", "successor_candidates")
    for name in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def test_validating_the_admin_form_writes_nothing(rf, org):
    """The service used to run inside form validation, so a form that validated but was
    then not saved (an invalid inline, a re-rendered page) had already written its row."""
    request = rf.post("/admin/departments/department/add/")
    request.user = org.hr
    form_class = site._registry[Department].get_form(request, None)
    form = form_class(data={"name": "Security", "slug": "security"})
    assert form.is_valid()
    assert not Department.objects.filter(slug="security").exists()
    assert not AuditEntry.objects.filter(verb="department.create").exists()


def test_the_admin_saves_through_the_service_and_lands_on_the_new_row(hr_client, org):
    response = hr_client.post(
        reverse("admin:departments_department_add"),
        {"name": "Security", "slug": "security", **INLINES},
    )
    created = Department.objects.get(slug="security")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(verb="department.create", target_id=str(created.pk)).exists()


def test_a_refusal_is_shown_on_the_form_and_nothing_is_written(hr_client, org):
    url = reverse("admin:departments_department_change", args=[org.data.pk])
    response = hr_client.post(
        url,
        {
            "name": "Renamed",
            "slug": "data",
            "parent": org.data.pk,
            "manager": org.max.pk,
            **INLINES,
        },
    )
    assert response.status_code == 200
    assert "A department cannot be its own parent." in response.content.decode()
    org.data.refresh_from_db()
    assert org.data.name == "Data"
    assert not AuditEntry.objects.filter(verb="department.update").exists()


def test_a_page_refused_for_its_inlines_has_written_nothing(hr_client, org):
    """The form is valid but an inline's management data is missing: the page comes back
    with the error, and the department it shows as unsaved must not exist."""
    response = hr_client.post(
        reverse("admin:departments_department_add"), {"name": "Security", "slug": "security"}
    )
    assert response.status_code == 200
    assert "ManagementForm data is missing" in response.content.decode()
    assert not Department.objects.filter(slug="security").exists()
