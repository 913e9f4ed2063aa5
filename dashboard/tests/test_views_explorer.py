"""The eligibility explorer: filters on the SQL annotation, one sentence per verdict."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_filters_by_verdict_and_explains_each_verdict(client, org):
    client.force_login(org.hr)
    url = reverse("dashboard:explorer")
    page = client.get(url, {"verdict": "ineligible"}).content.decode()
    assert "Jo Junior" in page and "Ian Engineer" not in page
    assert "below Level 3 cannot be Tech Leads yet" in page
    page = client.get(url, {"track": "manager", "department": org.data.pk}).content.decode()
    assert "Max Manager" in page and "Maya Manager" not in page and "1 person" in page
    page = client.get(url, {"level": 5}).content.decode()
    assert "Dana Data" in page and "Lea Lead" not in page


def test_a_malformed_filter_is_shown_not_a_500(client, org):
    client.force_login(org.hr)
    response = client.get(reverse("dashboard:explorer"), {"level": "abc", "verdict": "maybe"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


def test_a_manager_explores_only_their_people(client, org):
    client.force_login(org.maya.user)
    page = client.get(reverse("dashboard:explorer")).content.decode()
    assert "Ian Engineer" in page and "Dana Data" not in page


def test_the_explorer_runs_the_same_queries_at_any_size(
    client, org, grow, django_assert_num_queries
):
    """session, user, HR group check, the department choices, count, the eligibility rules,
    the page of people with their verdicts and departments."""
    client.force_login(org.hr)
    for size in (10, 20):
        grow(size)
        with django_assert_num_queries(7):
            assert client.get(reverse("dashboard:explorer")).status_code == 200
