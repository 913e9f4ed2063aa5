"""The audit trail's admin list at the size of a company: its filters list neither the
departments nor the actors the trail names (a department is chosen by autocomplete, an
actor searched)."""

import pytest
from django.urls import reverse

from departments.services import department_create
from departments.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRAIL = reverse("admin:departments_auditentry_changelist")


@pytest.mark.parametrize("size", [5, 60])
def test_audit_trail_filters_list_no_departments_or_actors(
    hr_client, org, size, django_assert_max_num_queries
):
    for index in range(size):
        actor = UserFactory(hr=True, username=f"crowd-actor-{index:04d}")
        department_create(actor=actor, name=f"Crowd Department {index:04d}", slug=f"c-{index}")

    # The same bound at 5 and 60 departments and actors (one page of 100 rows).
    with django_assert_max_num_queries(12):
        page = hr_client.get(TRAIL, {"verb": "department.create", "q": "Platform"})
    assert page.status_code == 200
    page = page.content.decode()
    assert "Crowd Department" not in page and "crowd-actor" not in page
    assert 'data-field-name="department"' in page

    found = hr_client.get(TRAIL, {"q": "crowd-actor-0001"}).content.decode()
    assert "Crowd Department 0001" in found and "Crowd Department 0002" not in found
