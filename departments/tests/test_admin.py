"""Departments and people in the admin (registered in techleads/admin.py), as HR.

Writes go through the audited services; changelists cost the same number of queries
whatever the number of rows.
"""

import pytest
from django.urls import reverse

from departments.models import AuditEntry, Department, Person
from departments.tests.factories import DepartmentFactory, PersonFactory, UserFactory
from techleads.services import assignment_create

pytestmark = pytest.mark.django_db

DEPARTMENTS = reverse("admin:departments_department_changelist")
PEOPLE = reverse("admin:departments_person_changelist")


def department_data(department, **changes):
    """The department change form as the browser posts it (inlines are read-only)."""
    return {
        "name": department.name,
        "slug": department.slug,
        "parent": department.parent_id or "",
        "manager": department.manager_id or "",
        "confluence_space": department.confluence_space,
        "knowledge_hub_url": department.knowledge_hub_url,
        **{
            f"{prefix}-{key}": value
            for prefix in ("tech_lead_assignments", "successor_candidates")
            for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
        },
        **changes,
    }


def test_department_list_shows_the_lead_or_no_tech_lead(hr_client, org):
    page = hr_client.get(DEPARTMENTS).content.decode()
    assert "Lea Lead" in page and "No Tech Lead" in page
    only_leadless = hr_client.get(DEPARTMENTS, {"has_lead": "no"}).content.decode()
    assert "Data" in only_leadless and "Lea Lead" not in only_leadless


def test_department_page_offers_assign_or_hand_over_and_shows_history(hr_client, org):
    data_page = hr_client.get(reverse("admin:departments_department_change", args=[org.data.pk]))
    assign = reverse("admin:techleads_techleadassignment_add") + f"?department={org.data.pk}"
    assert assign in data_page.content.decode()

    platform_page = hr_client.get(
        reverse("admin:departments_department_change", args=[org.platform.pk])
    ).content.decode()
    assert "Tech Lead history" in platform_page and "Knows the platform best" in platform_page
    assert reverse("admin:techleads_techleadassignment_handover", args=[org.lead.pk]) in (
        platform_page
    )


def test_department_edit_is_audited(hr_client, org):
    url = reverse("admin:departments_department_change", args=[org.data.pk])
    response = hr_client.post(url, department_data(org.data, confluence_space="DATA2"))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(verb="department.update")
    assert (entry.before["confluence_space"], entry.after["confluence_space"], entry.actor) == (
        org.data.confluence_space,
        "DATA2",
        org.hr,
    )


def test_a_department_cannot_be_its_own_parent(hr_client, org):
    url = reverse("admin:departments_department_change", args=[org.data.pk])
    response = hr_client.post(url, department_data(org.data, parent=org.data.pk))
    assert response.status_code == 200
    assert "cannot be its own parent" in response.content.decode()
    org.data.refresh_from_db()
    assert org.data.parent is None


def test_person_created_in_the_admin_is_audited(hr_client, org):
    response = hr_client.post(
        reverse("admin:departments_person_add"),
        {
            "employee_id": "N-100",
            "full_name": "Nora Nilsen",
            "email": "nora@example.com",
            "department": org.data.pk,
            "track": "ic",
            "level": 3,
            "step": 1,
            "is_active": "on",
            "user": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    nora = Person.objects.get(employee_id="N-100")
    assert AuditEntry.objects.filter(verb="person.create", target_id=str(nora.pk)).exists()


def test_nobody_edits_their_own_record_in_the_admin(client, org):
    """An HR user who is also a person cannot change their own track, level or step."""
    hr_person = PersonFactory(full_name="Hana HR", department=org.data, level=1, user=org.hr)
    org.hr.is_staff = True
    org.hr.save()
    client.force_login(org.hr)
    url = reverse("admin:departments_person_change", args=[hr_person.pk])
    response = client.post(
        url,
        {
            "employee_id": hr_person.employee_id,
            "full_name": hr_person.full_name,
            "email": hr_person.email,
            "department": org.data.pk,
            "track": "ic",
            "level": 9,
            "step": 1,
            "is_active": "on",
            "user": org.hr.pk,
        },
    )
    assert response.status_code == 200
    assert "Nobody edits their own record." in response.content.decode()
    hr_person.refresh_from_db()
    assert hr_person.level == 1


def test_people_search_and_eligibility_column(hr_client, org):
    page = hr_client.get(PEOPLE, {"q": org.jo.employee_id}).content.decode()
    assert "Jo Junior" in page and "ineligible" in page and "Ian Engineer" not in page
    transition = hr_client.get(PEOPLE, {"verdict": "eligible"}).content.decode()
    assert "Dana Data" in transition and "Jo Junior" not in transition


def test_people_autocomplete_for_department_manager(hr_client, org):
    response = hr_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Dana",
            "app_label": "departments",
            "model_name": "department",
            "field_name": "manager",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Dana Data"]


def test_staff_without_hr_see_no_departments_or_people(client, org):
    staff = UserFactory(username="staffer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(DEPARTMENTS).status_code == 403
    assert client.get(PEOPLE).status_code == 403
    assert "Departments" not in client.get(reverse("admin:index")).content.decode()


def grow(extra: int, hr_user) -> None:
    """`extra` departments, each with a manager, a Tech Lead and two more people."""
    for _ in range(extra):
        department = DepartmentFactory()
        manager, lead, *_ = PersonFactory.create_batch(4, department=department)
        Department.objects.filter(pk=department.pk).update(manager=manager)
        assignment_create(department=department, person=lead, assigned_by=hr_user, reason="r")


@pytest.mark.parametrize("extra", [10, 50])
def test_changelist_queries_do_not_grow_with_rows(hr_client, org, extra, django_assert_num_queries):
    grow(extra, org.hr)
    # Every page: session, user, the HR group check, the paginator's COUNT, and the
    # user's and group's model permissions (for the apps in the sidebar that use them).
    # Then the rows, with their foreign keys joined, plus:
    expected = {
        # (A department filter is an autocomplete box: it reads no department.)
        DEPARTMENTS: 8,  # the active leads with their people (one prefetch)
        PEOPLE: 9,  # the policy (once, for every verdict), the level filter
        reverse("admin:techleads_techleadassignment_changelist"): 9,  # the date range
        reverse("admin:sops_document_changelist"): 7,
        # date range, verb/type filters
        reverse("admin:departments_auditentry_changelist"): 11,
    }
    for url, queries in expected.items():
        with django_assert_num_queries(queries):
            assert hr_client.get(url).status_code == 200
