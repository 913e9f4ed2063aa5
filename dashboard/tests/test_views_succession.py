"""The succession page, the department page's candidates (flags in words, confirm) and
the nominate form; a flagged candidate is not ready in the health score nor on the
overview."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.health import health_for, health_scores_refresh
from dashboard.tests.pages import body, section
from departments.models import AuditEntry, Department, Person, Track
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import SuccessorCandidate
from techleads.services import assignment_create, successor_nominate

pytestmark = pytest.mark.django_db

SUCCESSION = reverse("dashboard:succession")
LONG_AGO = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)


def nominate(org, person, department=None, **fields):
    fields.setdefault("readiness", "ready_now")
    return successor_nominate(
        department=department or org.platform, person=person, actor=org.hr, **fields
    )


def department_url(department) -> str:
    return reverse("dashboard:department", args=[department.pk])


# -- the succession page ----------------------------------------------------------------


def test_hr_sees_every_department_with_its_risk_and_flags_in_words(client, org):
    nominate(org, org.jo)  # ready now, ineligible: flagged
    client.force_login(org.hr)
    page = body(client.get(SUCCESSION))
    assert "<title>Succession" in page
    assert f'href="{department_url(org.platform)}#successors">Platform</a>' in page
    assert f'href="{department_url(org.data)}#successors">Data</a>' in page
    assert "No Tech Lead" in page  # Data
    assert "No ready successor" in page  # Platform: Jo is flagged
    assert "Jo Junior: Ineligible: their level does not allow the role" in page
    assert 'aria-current="page">Succession</a>' in page


def test_filter_by_risk(client, org):
    client.force_login(org.hr)
    page = body(client.get(SUCCESSION, {"risk": "leadless"}))
    assert ">Data</a>" in page and ">Platform</a>" not in page
    page = body(client.get(SUCCESSION, {"risk": "nonsense"}))
    assert "Select a valid choice" in page  # shown beside the filter; nothing filtered
    assert ">Data</a>" in page and ">Platform</a>" in page


@pytest.mark.parametrize(
    ("user", "status"), [("maya", 200), ("max", 200), ("lea", 403), ("ian", 403)]
)
def test_a_manager_sees_theirs_others_are_refused(client, org, user, status):
    client.force_login(getattr(org, user).user)
    response = client.get(SUCCESSION)
    assert response.status_code == status
    if user == "maya":
        assert ">Platform</a>" in body(response) and ">Data</a>" not in body(response)


def test_anonymous_goes_to_the_login(client):
    assert client.get(SUCCESSION).status_code == 302


def test_the_nav_links_the_page_for_hr_and_managers_only(client, org):
    client.force_login(org.maya.user)
    assert f'href="{SUCCESSION}"' in body(client.get(reverse("dashboard:overview")))
    client.force_login(org.ian.user)
    assert f'href="{SUCCESSION}"' not in body(client.get(reverse("dashboard:overview")))


def test_the_page_runs_the_same_queries_at_any_size(client, org, django_assert_max_num_queries):
    """session, user, HR group check, count, the page's departments with their risk and
    emergency successor, their leads, their flagged candidates with their people (and the
    layout's reads of the viewer): the same number at 5 and 15 more departments."""
    client.force_login(org.hr)
    counts = []
    for size in (5, 15):
        for _ in range(size):
            department = DepartmentFactory()
            nominate(org, PersonFactory(department=department, level=1), department=department)
        with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as queries:
            assert client.get(SUCCESSION).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- the department page ----------------------------------------------------------------


def test_the_candidates_show_rank_confirmation_flags_and_confirm(client, org):
    with time_machine.travel(LONG_AGO, tick=False):
        nominate(org, org.ian, rank=2, emergency=True)
    client.force_login(org.maya.user)
    candidates = section(body(client.get(department_url(org.platform))), "successors-heading")
    assert "rank 2" in candidates and "Emergency successor" in candidates
    assert "Confirmed 2024-01-10" in candidates
    assert "Confirmation expired" in candidates
    assert ">Confirm</button>" in candidates


def test_the_nominate_form_carries_each_persons_verdict(client, org):
    client.force_login(org.maya.user)
    page = body(client.get(department_url(org.platform)))
    assert "Jo Junior (Individual Contributor L2 S1, Platform) — Ineligible" in page
    assert "Dana Data (Individual Contributor L5 S1, Data) — Eligible" in page
    form = page.split('id="id_person"', 1)[1].split("</select>", 1)[0]
    assert "Lea Lead" not in form  # the lead is not a candidate of their own department


def test_a_manager_nominates_with_rank_and_emergency(client, org):
    client.force_login(org.maya.user)
    response = client.post(
        reverse("dashboard:nominate", args=[org.platform.pk]),
        {"person": org.jo.pk, "readiness": "ready_now", "rank": "3", "emergency": "on"},
    )
    assert response.status_code == 302
    candidate = SuccessorCandidate.objects.get()
    assert (candidate.person, candidate.rank, candidate.emergency) == (org.jo, 3, True)
    page = body(client.get(department_url(org.platform)))
    assert "Ineligible: their level does not allow the role" in page  # nominated, and flagged


@pytest.mark.parametrize(("user", "status"), [("maya", 302), ("lea", 403), ("max", 404)])
def test_confirm_from_the_page(client, org, user, status):
    with time_machine.travel(LONG_AGO, tick=False):
        candidate = nominate(org, org.ian)
    client.force_login(getattr(org, user).user)
    response = client.post(reverse("dashboard:successor_confirm", args=[candidate.pk]))
    assert response.status_code == status
    candidate.refresh_from_db()
    assert (candidate.confirmed_at > LONG_AGO) == (status == 302)
    assert AuditEntry.objects.filter(verb="successor.confirm").exists() == (status == 302)


def test_confirm_is_a_post(client, org):
    candidate = nominate(org, org.ian)
    client.force_login(org.hr)
    assert (
        client.get(reverse("dashboard:successor_confirm", args=[candidate.pk])).status_code == 405
    )


# -- a flagged candidate is not ready anywhere ------------------------------------------


def test_the_health_succession_component_ignores_flagged_candidates(org):
    def succession():
        (platform,) = health_for(Department.objects.filter(pk=org.platform.pk))
        return {c.key: c.value for c in platform.health.components}["succession"]

    nominate(org, org.jo)  # ready now but ineligible: not ready, not developing either
    assert succession() == 0.0
    nominate(org, org.ian, readiness="ready_soon")
    assert succession() == 0.5
    nominate(org, org.ian)
    assert succession() == 1.0
    Person.objects.filter(pk=org.ian.pk).update(is_active=False)
    assert succession() == 0.0


def test_the_overview_counts_a_transition_lead_with_only_flagged_candidates(client, org):
    ops = DepartmentFactory(name="Ops", slug="ops")
    senior = PersonFactory(
        full_name="Sam Senior", department=ops, track=Track.MANAGER, level=2, step=3
    )
    assignment_create(
        department=ops, person=senior, assigned_by=org.hr, reason="x", override_reason="y"
    )
    nominate(org, PersonFactory(department=ops, level=1), department=ops)
    health_scores_refresh()  # the overview picks its risks by the stored flag
    client.force_login(org.hr)
    risks = section(body(client.get(reverse("dashboard:overview"))), "risks-heading")
    assert "Ops" in risks
