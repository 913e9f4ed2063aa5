"""The documents' admin at the size of a company: its list filters list no department,
its pages no person."""

import factory
import pytest
from django.urls import reverse

from departments.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [5, 60])
def test_documents_list_and_add_page_list_no_departments_or_people(
    hr_client, org, size, django_assert_max_num_queries
):
    DepartmentFactory.create_batch(
        size, name=factory.Sequence(lambda n: f"Crowd Department {n:04d}")
    )
    PersonFactory.create_batch(
        size, department=org.platform, full_name=factory.Sequence(lambda n: f"Crowd {n:04d}")
    )
    for url in (
        reverse("admin:sops_document_changelist"),
        reverse("admin:sops_document_add"),
        reverse("admin:sops_reviewpolicy_add"),
    ):
        # The same bound at 5 and 60: no query reads a list of departments or people.
        with django_assert_max_num_queries(10):
            page = hr_client.get(url).content.decode()
        assert "Crowd" not in page, url

    changelist = hr_client.get(
        reverse("admin:sops_document_changelist"), {"department__id__exact": org.data.pk}
    ).content.decode()
    assert f'<option value="{org.data.pk}" selected>Data</option>' in changelist
