"""The succession API: successors/ with rank, emergency, confirmation and flags;
POST successors/{id}/confirm/; GET departments/succession/ with each department's risk
against a fixed organisation, per role, filtered and in a bounded number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from departments.models import Person, Track
from departments.tests.api import last_audit
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.services import assignment_create, successor_nominate

pytestmark = pytest.mark.django_db

SUCCESSION = "/api/v1/departments/succession/"
NOMINATED = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)


def nominate(org, person, department=None, **fields):
    fields.setdefault("readiness", "ready_now")
    return successor_nominate(
        department=department or org.platform, person=person, actor=org.hr, **fields
    )


@pytest.fixture
def fixed(org):
    """Platform: Lea (eligible) leads, Ian ready now (risk none), Jo ready now but
    ineligible (flagged). Data: leadless. Ops: a transition lead, one flagged ready
    candidate. Web: an eligible lead, only a developing candidate. Managers: Maya Platform
    and Ops, Max Data and Web."""
    ian = nominate(org, org.ian, rank=1, emergency=True)
    jo = nominate(org, org.jo, rank=2)
    ops = DepartmentFactory(name="Ops", slug="ops", manager=org.maya)
    senior = PersonFactory(department=ops, track=Track.MANAGER, level=3)
    assignment_create(
        department=ops, person=senior, assigned_by=org.hr, reason="x", override_reason="y"
    )
    junior = PersonFactory(department=ops, level=1)
    ops_flagged = nominate(org, junior, department=ops)
    web = DepartmentFactory(name="Web", slug="web", manager=org.max)
    web_lead = PersonFactory(department=web, level=4)
    assignment_create(department=web, person=web_lead, assigned_by=org.hr, reason="x")
    nominate(org, PersonFactory(department=web, level=3), department=web, readiness="developing")
    return {
        "ian": ian,
        "jo": jo,
        "ops": ops,
        "web": web,
        "ops_flagged": ops_flagged,
        "senior": senior,
    }


def rows(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {row["department"]: row for row in response.json()["results"]}


def test_each_risk_against_a_fixed_organisation(api, org, fixed):
    found = rows(api("hr").get(SUCCESSION))
    assert found[org.platform.pk] == {
        "department": org.platform.pk,
        "tech_lead": {
            "id": org.lea.pk,
            "full_name": "Lea Lead",
            "assignment": org.lead.pk,
            "since": found[org.platform.pk]["tech_lead"]["since"],
        },
        "lead_verdict": "eligible",
        "ready_now": 1,
        "emergency": org.ian.pk,
        "flagged": [fixed["jo"].pk],
        "risk": "none",
    }
    assert found[org.data.pk] | {"tech_lead": None} == {
        "department": org.data.pk,
        "tech_lead": None,
        "lead_verdict": None,
        "ready_now": 0,
        "emergency": None,
        "flagged": [],
        "risk": "leadless",
    }
    ops = found[fixed["ops"].pk]
    assert (ops["lead_verdict"], ops["ready_now"], ops["flagged"], ops["risk"]) == (
        "transition",
        0,
        [fixed["ops_flagged"].pk],
        "transition_without_successor",
    )
    web = found[fixed["web"].pk]
    assert (web["lead_verdict"], web["ready_now"], web["risk"]) == (
        "eligible",
        0,
        "no_ready_successor",
    )


@pytest.mark.parametrize(
    ("risk", "expected"),
    [
        ("leadless", ["data"]),
        ("transition_without_successor", ["ops"]),
        ("no_ready_successor", ["web"]),
        ("none", ["platform"]),
    ],
)
def test_filter_by_risk(api, org, fixed, risk, expected):
    slugs = {org.platform.pk: "platform", org.data.pk: "data"}
    slugs |= {fixed["ops"].pk: "ops", fixed["web"].pk: "web"}
    found = rows(api("hr").get(SUCCESSION, {"risk": risk}))
    assert [slugs[pk] for pk in found] == expected


@pytest.mark.parametrize("params", [{"risk": "high"}, {"risk": ""}, {"riskk": "none"}])
def test_a_bad_filter_is_a_400(api, fixed, params):
    response = api("hr").get(SUCCESSION, params)
    assert response.status_code == (200 if params == {"risk": ""} else 400), response.content


@pytest.mark.parametrize(
    ("role", "status", "departments"),
    [
        ("hr", 200, {"platform", "data", "ops", "web"}),
        ("maya", 200, {"platform", "ops"}),
        ("max", 200, {"data", "web"}),
        ("lea", 403, None),
        ("ian", 403, None),
        ("nobody", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_succession_role_matrix(api, org, fixed, role, status, departments):
    response = api(role).get(SUCCESSION)
    assert response.status_code == status, response.content
    if departments is not None:
        slugs = {org.platform.pk: "platform", org.data.pk: "data"}
        slugs |= {fixed["ops"].pk: "ops", fixed["web"].pk: "web"}
        assert {slugs[row["department"]] for row in response.json()["results"]} == departments


def _grow(org, n: int) -> None:
    for _ in range(n):
        department = DepartmentFactory()
        lead = PersonFactory(department=department, level=4)
        assignment_create(department=department, person=lead, assigned_by=org.hr, reason="x")
        nominate(org, PersonFactory(department=department, level=1), department=department)


def test_succession_queries_do_not_grow_with_departments(
    api, org, fixed, django_assert_max_num_queries
):
    client = api("hr")
    counts = []
    for grown in (3, 12):
        _grow(org, grown)
        # token with its user and HR group, count, rows (risk annotated), their leads, their
        # flagged candidates
        with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as queries:
            response = client.get(SUCCESSION, {"page_size": 500})
        assert response.json()["count"] == len(response.json()["results"])
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- successors/ ------------------------------------------------------------------------


def test_successors_show_rank_emergency_confirmation_and_flags(api, org):
    with time_machine.travel(NOMINATED, tick=False):
        ian = nominate(org, org.ian, rank=2, emergency=True)
    with time_machine.travel(NOMINATED + timedelta(days=1), tick=False):
        row = api("hr").get(f"/api/v1/successors/{ian.pk}/").json()
    expires = NOMINATED + timedelta(days=settings.SUCCESSION_CONFIRMATION_DAYS)
    assert {k: row[k] for k in ("rank", "emergency", "confirmed_at", "expires_at", "flags")} == {
        "rank": 2,
        "emergency": True,
        "confirmed_at": "2025-01-10T09:00:00Z",
        "expires_at": expires.isoformat().replace("+00:00", "Z"),
        "flags": [],
    }


def test_nominating_an_ineligible_person_is_allowed_and_flagged(api, org):
    response = api("maya").post(
        "/api/v1/successors/",
        {"department": "platform", "person": org.jo.pk, "readiness": "ready_now", "rank": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["flags"], response.json()["rank"]) == (["ineligible"], 3)


def test_a_candidate_from_another_department_can_be_nominated(api, org):
    response = api("maya").post(
        "/api/v1/successors/",
        {"department": "platform", "person": org.dana.pk, "readiness": "ready_soon"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_marking_emergency_through_the_api_moves_the_mark(api, org):
    ian = nominate(org, org.ian, emergency=True)
    jo = nominate(org, org.jo)
    response = api("maya").patch(f"/api/v1/successors/{jo.pk}/", {"emergency": True}, format="json")
    assert response.status_code == 200, response.content
    listed = api("maya").get("/api/v1/successors/", {"emergency": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [jo.pk]
    assert api("maya").get(f"/api/v1/successors/{ian.pk}/").json()["emergency"] is False


@pytest.mark.parametrize("rank", [0, -1, "first"])
def test_a_bad_rank_is_a_400(api, org, rank):
    response = api("hr").post(
        "/api/v1/successors/",
        {"department": "platform", "person": org.ian.pk, "readiness": "ready_now", "rank": rank},
        format="json",
    )
    assert response.status_code == 400
    assert "rank" in response.json()


def test_flagged_filter(api, org):
    nominate(org, org.ian)
    jo = nominate(org, org.jo)
    listed = api("hr").get("/api/v1/successors/", {"flagged": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [jo.pk]
    assert api("hr").get("/api/v1/successors/", {"flagged": "maybe"}).status_code == 400


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("hr", 200),
        ("maya", 200),
        ("max", 404),  # not his department: out of scope
        ("lea", 403),
        ("ian", 403),
        ("nobody", 404),
        ("anonymous", 401),
    ],
)
def test_confirm_role_matrix(api, org, role, status):
    with time_machine.travel(NOMINATED, tick=False):
        candidate = nominate(org, org.ian)
    response = api(role).post(f"/api/v1/successors/{candidate.pk}/confirm/")
    assert response.status_code == status, response.content
    candidate.refresh_from_db()
    if status == 200:
        assert response.json()["flags"] == []
        assert candidate.confirmed_at > NOMINATED
        assert last_audit()[:2] == ("successor.confirm", org.hr.username if role == "hr" else role)
    else:
        assert candidate.confirmed_at == NOMINATED


def test_confirm_an_expired_candidate(api, org):
    with time_machine.travel(NOMINATED, tick=False):
        candidate = nominate(org, org.ian)
    later = NOMINATED + timedelta(days=settings.SUCCESSION_CONFIRMATION_DAYS + 1)
    with time_machine.travel(later, tick=False):
        client = api("maya")
        assert client.get(f"/api/v1/successors/{candidate.pk}/").json()["flags"] == ["expired"]
        response = client.post(f"/api/v1/successors/{candidate.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["confirmed_at"] == later.isoformat().replace("+00:00", "Z")
    assert response.json()["flags"] == []


def test_the_inactive_candidate_is_flagged(api, org):
    candidate = nominate(org, org.ian)
    Person.objects.filter(pk=org.ian.pk).update(is_active=False)
    assert api("hr").get(f"/api/v1/successors/{candidate.pk}/").json()["flags"] == ["inactive"]
