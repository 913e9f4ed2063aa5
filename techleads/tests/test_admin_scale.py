"""The admin at the size of a company: no add, change or list page HR uses renders a
list of every department or every person (a list filter, a select, an inline), and
their queries do not grow with the organisation."""

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.services import tech_session_schedule

pytestmark = pytest.mark.django_db

# Lists with a department filter (a relation to Department, direct or through a row).
FILTERED_LISTS = [
    "departments_person",
    "techleads_techleadassignment",
    "techleads_successorcandidate",
    "techleads_techsession",
    "techleads_improvementproject",
    "techleads_improvementtask",
    "techleads_allocation",
    "techleads_incident",
]


def crowd(org, size: int) -> None:
    """`size` departments of nobody, and `size` people of Platform, chosen nowhere."""
    DepartmentFactory.create_batch(
        size, name=factory.Sequence(lambda n: f"Crowd Department {n:04d}")
    )
    PersonFactory.create_batch(
        size,
        department=org.platform,
        full_name=factory.Sequence(lambda n: f"Crowd Member {n:04d}"),
    )


def changelist(name):
    return reverse(f"admin:{name}_changelist")


@pytest.mark.parametrize("size", [5, 60])
def test_department_filters_list_no_departments(
    hr_client, org, size, django_assert_max_num_queries
):
    crowd(org, size)
    for name in FILTERED_LISTS:
        # The same bound at 5 and 60 departments: the filter reads no department.
        with django_assert_max_num_queries(12):
            response = hr_client.get(changelist(name))
        page = response.content.decode()
        assert response.status_code == 200, name
        assert "Crowd Department" not in page, name
        assert "data-model-name=" in page and 'data-field-name="department"' in page, name
        assert "admin/js/autocomplete.js" in page, name


def test_department_filter_still_filters_and_shows_its_choice(hr_client, org):
    crowd(org, 5)
    url = changelist("departments_person")
    page = hr_client.get(url, {"department__id__exact": org.data.pk}).content.decode()

    assert org.dana.full_name in page and org.ian.full_name not in page
    assert f'<option value="{org.data.pk}" selected>Data</option>' in page
    assert "Crowd Department" not in page

    # Searching keeps the department, the filter's box keeps the search.
    searched = hr_client.get(url, {"department__id__exact": org.data.pk, "q": "Dana"})
    assert '<input type="hidden" name="q" value="Dana">' in searched.content.decode()


def test_a_cleared_department_filter_lists_everyone(hr_client, org):
    page = hr_client.get(changelist("departments_person"), {"department__id__exact": ""})
    assert page.status_code == 200
    assert org.dana.full_name in page.content.decode()
    assert org.ian.full_name in page.content.decode()


@pytest.mark.parametrize("size", [5, 60])
def test_add_pages_list_no_people_or_departments(
    hr_client, org, size, django_assert_max_num_queries
):
    crowd(org, size)
    pages = [
        reverse("admin:techleads_techsession_add"),  # invitees and mandatory invitees
        reverse("admin:techleads_techleadassignment_add"),  # department, person
        reverse("admin:techleads_successorcandidate_add"),
        reverse("admin:techleads_improvementtask_add"),
        reverse("admin:techleads_allocation_add"),
        reverse("admin:departments_department_add"),
        reverse("admin:departments_person_add"),
    ]
    for url in pages:
        with django_assert_max_num_queries(10):
            page = hr_client.get(url).content.decode()
        assert "Crowd Member" not in page and org.ian.full_name not in page, url
        assert "Crowd Department" not in page, url
        assert "admin/js/autocomplete.js" in page, url


def test_session_add_page_picks_invitees_by_autocomplete(hr_client, org):
    page = hr_client.get(reverse("admin:techleads_techsession_add")).content.decode()
    assert 'name="invitees"' in page and 'name="mandatory"' in page
    assert page.count('data-model-name="department" data-field-name="manager"') == 2  # people


def test_assign_page_picks_department_and_person_by_autocomplete(hr_client, org):
    url = reverse("admin:techleads_techleadassignment_add")
    page = hr_client.get(url).content.decode()
    assert 'data-model-name="techleadassignment" data-field-name="department"' in page
    assert 'data-model-name="department" data-field-name="manager"' in page  # people search

    # A department chosen, its people are the choices (with their verdicts), as before.
    chosen = hr_client.get(url, {"department": org.data.pk}).content.decode()
    assert org.dana.full_name in chosen and org.ian.full_name not in chosen


@pytest.mark.parametrize("size", [5, 40])
def test_session_change_page_reads_invitees_in_one_query(
    hr_client, org, size, django_assert_max_num_queries
):
    crowd(org, size)
    invited = list(org.platform.people.filter(full_name__startswith="Crowd"))
    session = tech_session_schedule(
        actor=org.hr,
        department=org.platform,
        topic="Deploys",
        scheduled_for=timezone.now(),
        invitees=invited,
    )
    with django_assert_max_num_queries(12):
        page = hr_client.get(reverse("admin:techleads_techsession_change", args=[session.pk]))
    assert all(person.full_name in page.content.decode() for person in invited)
