"""The departments list and a department page: scope, content, bounded queries."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_list_searches_and_filters_by_tech_lead(client, org):
    client.force_login(org.hr)
    url = reverse("dashboard:departments")
    page = client.get(url).content.decode()
    assert ">Platform</a>" in page and ">Data</a>" in page and "No Tech Lead" in page
    page = client.get(url, {"has_tech_lead": "false"}).content.decode()
    assert ">Data</a>" in page and ">Platform</a>" not in page
    page = client.get(url, {"search": "plat"}).content.decode()
    assert ">Platform</a>" in page and ">Data</a>" not in page
    assert client.get(url, {"has_tech_lead": "maybe"}).status_code == 200  # a bad filter is ignored


def test_the_page_shows_lead_people_with_verdicts_and_hr_actions(client, org):
    client.force_login(org.hr)
    page = client.get(reverse("dashboard:department", args=[org.platform.pk])).content.decode()
    assert ">Lea Lead</a></strong> since" in page
    assert "Jo Junior" in page and "below Level 3 cannot be Tech Leads yet" in page
    # The hand-over form lists the candidates with their verdicts.
    assert "Ian Engineer (Individual Contributor L3 S1) · eligible" in page
    assert "Jo Junior (Individual Contributor L2 S1) · ineligible" in page
    assert "Hand over" in page and "End the assignment" in page


def test_a_manager_sees_their_department_with_the_nominate_form_only(client, org):
    client.force_login(org.maya.user)
    page = client.get(reverse("dashboard:department", args=[org.platform.pk])).content.decode()
    assert "Nominate a successor" in page and "Hand over" not in page
    assert client.get(reverse("dashboard:department", args=[org.data.pk])).status_code == 404
    assert client.get(reverse("dashboard:department", args=[999999])).status_code == 404


def test_an_employee_sees_no_department_page(client, org):
    client.force_login(org.ian.user)
    assert client.get(reverse("dashboard:department", args=[org.data.pk])).status_code == 404


def test_the_list_runs_the_same_queries_at_any_size(client, org, grow, django_assert_num_queries):
    """session, user, HR group check, count, the page's ids, the page's departments with
    their lead, the leads' assignments, health inputs and acknowledgements, document
    counts by status."""
    client.force_login(org.hr)
    for size in (10, 20):
        grow(size)
        with django_assert_num_queries(10):
            assert client.get(reverse("dashboard:departments")).status_code == 200


def test_the_page_runs_the_same_queries_at_any_size(client, org, grow, django_assert_num_queries):
    """session, user, HR group check, the department, the eligibility rules, its lead,
    its people with their verdicts, health inputs with the escalation point and open
    incidents, the person to call, the next tech session, its manager,
    the hand-over candidates, the nominate form's people, successor candidates, documents,
    Tech Lead history; the counts of the people's and the documents' pages; its
    acknowledgements."""
    client.force_login(org.hr)
    url = reverse("dashboard:department", args=[org.platform.pk])
    for size in (10, 20):  # Platform: 15 people, then 35; 10 documents, then 30
        grow(size)
        with django_assert_num_queries(19):
            assert client.get(url).status_code == 200
