"""Trends pages: twelve weeks from the daily snapshot, scoped like every page, the figures
in a table beside each chart, and a fixed number of queries whatever the history's size."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dashboard.services import snapshot_record
from dashboard.trends import WEEKS, weekly_trend
from departments.models import Department
from sops.services import document_create

pytestmark = pytest.mark.django_db


def record_weeks(org, weeks: int) -> None:
    """A snapshot on the last day of each of `weeks` weeks up to today, a stale document
    added to Data before each one, so each week's figures differ."""
    today = timezone.localdate()
    for week in range(weeks - 1, -1, -1):
        document_create(
            actor=org.hr,
            title=f"Runbook {week}",
            kind="sop",
            department=org.data,
            last_reviewed_at=None,
        )
        snapshot_record(day=today - timedelta(days=7 * week))


def test_a_week_is_its_last_day_and_a_week_without_a_snapshot_is_a_gap(org):
    today = timezone.localdate()
    snapshot_record(day=today - timedelta(days=9))  # the week before this one: 0 stale
    document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.data, last_reviewed_at=None
    )
    snapshot_record(day=today - timedelta(days=8))  # its last day: 1 stale
    snapshot_record(day=today)
    trend = weekly_trend(scope=None)
    assert len(trend.weeks) == WEEKS and trend.weeks[-1].end == today
    assert [w.figures is None for w in trend.weeks] == [True] * 10 + [False, False]
    assert trend.weeks[-2].figures["documents_stale"] == 1
    assert trend.weeks[-2].figures["departments"] == 2
    # A department's own trend, and a set of departments summed per day.
    assert weekly_trend(scope=org.platform).weeks[-1].figures["with_lead"] == 1
    both = Department.objects.all()
    assert weekly_trend(scope=both).weeks[-1].figures["with_lead"] == 1


def test_hr_sees_the_organisation_as_charts_and_tables(client, org):
    record_weeks(org, 3)
    client.force_login(org.hr)
    page = client.get("/trends/").content.decode()
    assert "<title>Trends · Tech Lead management</title>" in page
    assert page.count('role="img"') == 2
    assert 'aria-labelledby="docs-trend-title docs-trend-desc"' in page
    # Three recorded weeks with 1, 2 and 3 stale documents; nine weeks not recorded.
    for stale in (1, 2, 3):
        assert f'<td data-label="Stale">{stale}</td>' in page
    assert page.count("Not recorded") == 2 * 9
    assert '<td data-label="With a Tech Lead">1</td>' in page


def test_a_manager_sees_their_departments_and_not_the_others(client, org):
    record_weeks(org, 1)
    client.force_login(org.maya.user)
    page = client.get("/trends/").content.decode()
    # Platform only: one department, with its lead, and none of Data's stale documents.
    assert '<td data-label="Departments">1</td>' in page
    assert '<td data-label="Stale">0</td>' in page
    assert client.get(f"/departments/{org.platform.pk}/trends/").status_code == 200
    assert client.get(f"/departments/{org.data.pk}/trends/").status_code == 404


@pytest.mark.parametrize(
    ("login", "expected"),
    [
        ("lea", '<td data-label="Departments">1</td>'),  # the Tech Lead: Platform
        ("ian", '<td data-label="Departments">1</td>'),  # an employee: their department
        ("nobody", "No snapshot has been recorded yet"),  # a login without a person
    ],
)
def test_others_see_their_own_scope(client, org, login, expected):
    record_weeks(org, 1)
    client.force_login(org.nobody if login == "nobody" else getattr(org, login).user)
    assert expected in client.get("/trends/").content.decode()
    assert client.get(f"/departments/{org.data.pk}/trends/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    assert client.get("/trends/").status_code == 302
    assert client.get(f"/departments/{org.platform.pk}/trends/").status_code == 302


def test_empty_history_says_how_to_record_one(client, org):
    client.force_login(org.hr)
    assert "manage.py record_snapshot" in client.get("/trends/").content.decode()


@pytest.mark.parametrize(("login", "organisation", "department"), [("hr", 4, 5), ("maya", 6, 7)])
def test_the_trends_run_the_same_queries_at_any_history(
    client, org, grow, login, organisation, department, django_assert_num_queries
):
    """session, user, HR group check, (a manager: their person), the weeks' snapshots (one
    query, summed per day for a manager); a department's page: the department in scope,
    then its snapshots."""
    client.force_login(org.hr if login == "hr" else org.maya.user)
    with time_machine.travel(timezone.now() - timedelta(days=100), tick=False):
        snapshot_record()
    for weeks, size in ((1, 5), (WEEKS, 15)):
        grow(size)
        record_weeks(org, weeks)
        with django_assert_num_queries(organisation):
            assert client.get("/trends/").status_code == 200
        with django_assert_num_queries(department):
            assert client.get(f"/departments/{org.platform.pk}/trends/").status_code == 200
