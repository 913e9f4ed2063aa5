"""The overview: figures, chart and heat map, each number linking to its list; scope."""

import re

import pytest
from django.urls import reverse

from dashboard.health import health_scores_refresh
from sops.services import document_create
from sops.staleness import staleness_check_run

pytestmark = pytest.mark.django_db


def test_figures_chart_and_heat_map_link_to_the_lists_behind_them(client, org):
    document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.data, last_reviewed_at=None
    )
    client.force_login(org.hr)
    page = client.get("/").content.decode()
    # One department with a Tech Lead (Platform), one without (Data), labelled so.
    assert re.search(r"<strong>1</strong><span>departments with a Tech Lead", page)
    assert re.search(r"<strong>1</strong><span>without a Tech Lead", page)
    assert "No Tech Lead" in page
    # The chart has an accessible name, and its stale segment links to Data's stale documents.
    assert '<svg class="chart" role="group" aria-labelledby="chart-title"' in page
    stale = f"/documents/?department={org.data.pk}&amp;status=stale"
    assert f'<a href="{stale}" aria-label="Data: 1 stale">' in page
    # The heat map repeats the figure as text, with the same link.
    assert f'<a href="{stale}">1</a>' in page
    assert 'href="/documents/?status=stale"><strong>1</strong>' in page


def test_empty_states_and_the_last_staleness_run(client, org):
    client.force_login(org.hr)
    page = client.get("/").content.decode()
    assert "The staleness check has not run yet." in page
    assert "No succession risks." in page and "No reviews coming up." in page
    staleness_check_run(full=True)
    assert "The staleness check has not run yet." not in client.get("/").content.decode()


def test_a_manager_sees_only_their_departments(client, org):
    client.force_login(org.maya.user)
    page = client.get("/").content.decode()
    assert ">Platform</a>" in page and ">Data</a>" not in page


def test_the_overview_runs_the_same_queries_at_any_size(
    client, org, grow, django_assert_num_queries
):
    """session, user, HR group check; the table's page: count, ids; the lowest-health
    candidates; health inputs and acknowledgements of the page's and the candidates'
    departments at once; departments with their lead, the leads' assignments, document
    counts by status; organisation figures, leadless departments, succession risks and
    their count, upcoming reviews, last staleness run, recent role changes."""
    client.force_login(org.hr)
    for size in (10, 30):  # 12 departments, then 42: more than a page
        grow(size)
        health_scores_refresh()
        with django_assert_num_queries(18):
            assert client.get("/").status_code == 200


def test_role_changes_list_the_audit_trail_in_scope(client, org):
    client.force_login(org.max.user)  # manager of Data, where nothing changed
    assert "Lea Lead" not in client.get(reverse("dashboard:role_changes")).content.decode()
    client.force_login(org.hr)
    page = client.get(reverse("dashboard:role_changes")).content.decode()
    assert "hr assigned Lea Lead as Tech Lead of" in page


def test_role_changes_run_the_same_queries_at_any_size(
    client, org, grow, django_assert_num_queries
):
    """session, user, HR group check, count, the page of audit entries with actors and
    departments."""
    client.force_login(org.hr)
    for size in (10, 30):
        grow(size)
        with django_assert_num_queries(5):
            assert client.get(reverse("dashboard:role_changes")).status_code == 200
