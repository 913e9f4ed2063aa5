"""API v1 behaviour: the contract of DESIGN.md, errors, pagination and query counts."""

import json

import pytest
from rest_framework.test import APIClient

from departments.models import Person
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import TechLeadAssignment

pytestmark = pytest.mark.django_db


def test_token_auth_round_trip(org):
    org.hr.set_password("s3cret-pass-phrase")
    org.hr.save()
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "hr", "password": "s3cret-pass-phrase"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/departments/").status_code == 200
    bad = APIClient().post(
        "/api/v1/auth/token/", {"username": "hr", "password": "x"}, format="json"
    )
    assert bad.status_code == 400


def test_department_shows_its_tech_lead(api, org):
    body = api("hr").get(f"/api/v1/departments/{org.platform.pk}/").json()
    assert body["tech_lead"]["id"] == org.lea.pk
    assert body["tech_lead"]["full_name"] == "Lea Lead"
    assert body["tech_lead"]["assignment"] == org.lead.pk
    assert body["tech_lead"]["since"].endswith("Z") or "+" in body["tech_lead"]["since"]
    assert set(body) >= {"id", "name", "slug", "manager", "confluence_space", "knowledge_hub_url"}
    assert api("hr").get(f"/api/v1/departments/{org.data.pk}/").json()["tech_lead"] is None


def test_assign_then_conflict_then_end_twice(api, org):
    hr = api("hr")
    created = hr.post(
        "/api/v1/assignments/",
        {"department": org.data.pk, "person": org.dana.pk, "reason": "Owns the pipelines"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["assigned_by"] == org.hr.pk and body["ended_at"] is None
    conflict = hr.post(
        "/api/v1/assignments/",
        {"department": org.data.pk, "person": org.dana.pk, "reason": "Again"},
        format="json",
    )
    assert conflict.status_code == 409
    assert "already has an active Tech Lead" in conflict.json()["detail"]
    ended = hr.post(f"/api/v1/assignments/{body['id']}/end/", {"reason": "Left"}, format="json")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    again = hr.post(f"/api/v1/assignments/{body['id']}/end/", {}, format="json")
    assert again.status_code == 409


def test_ineligible_is_a_400_whose_person_error_is_the_reason(api, org):
    org.lead.ended_at = org.lead.started_at
    org.lead.save()
    response = api("hr").post(
        "/api/v1/assignments/",
        {"department": org.platform.pk, "person": org.jo.pk, "reason": "Keen"},
        format="json",
    )
    assert response.status_code == 400
    reason = api("hr").get(f"/api/v1/people/{org.jo.pk}/eligibility/").json()["reason"]
    assert response.json() == {"person": [reason]}
    overridden = api("hr").post(
        "/api/v1/assignments/",
        {
            "department": org.platform.pk,
            "person": org.jo.pk,
            "reason": "Keen",
            "override_reason": "Only one on the team",
        },
        format="json",
    )
    assert overridden.status_code == 201
    assert overridden.json()["override_reason"] == "Only one on the team"


def test_handover_201_and_409_without_a_lead(api, org):
    response = api("hr").post(
        f"/api/v1/departments/{org.platform.pk}/handover/",
        {"person": org.ian.pk, "reason": "Ready"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["person"] == org.ian.pk
    none = api("hr").post(
        f"/api/v1/departments/{org.data.pk}/handover/",
        {"person": org.dana.pk, "reason": "x"},
        format="json",
    )
    assert none.status_code == 409


def test_eligibility_endpoint_fields(api, org):
    body = api("hr").get(f"/api/v1/people/{org.lea.pk}/eligibility/").json()
    assert set(body) == {"verdict", "can_be_assigned", "reason", "rule"}
    assert body["verdict"] == "eligible" and body["can_be_assigned"] is True
    assert isinstance(body["rule"], int)


def test_candidates_are_eligible_active_members_with_their_eligibility(api, org):
    PersonFactory(department=org.platform, level=5, is_active=False)
    body = api("hr").get(f"/api/v1/departments/{org.platform.pk}/candidates/").json()
    names = [row["full_name"] for row in body["results"]]
    assert names == ["Ian Engineer", "Lea Lead", "Maya Manager"]
    assert body["results"][0]["eligibility"]["verdict"] == "eligible"
    assert {"employee_id", "track", "level", "step", "is_active"} <= set(body["results"][0])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"department": 999999, "person": 1, "reason": "x"}, "department"),
        ({"department": "abc", "person": 1, "reason": "x"}, "department"),
        ({"department": 1, "person": 1}, "reason"),
        ({"department": 1, "person": 1, "reason": "x" * 6000}, "reason"),
    ],
)
def test_bad_assignment_input_is_a_field_error(api, org, body, field):
    response = api("hr").post("/api/v1/assignments/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b"[]",
        b'"text"',
        b'{"level": -3, "track": "ic", "full_name": "x", "employee_id": "x"}',
        b'{"level": 99999, "track": "ic", "full_name": "x", "employee_id": "x"}',
        b'{"level": "three", "track": "wizard", "full_name": "x", "employee_id": "x"}',
        json.dumps(
            {"full_name": "\u202e\U0001f600 Zoë", "employee_id": "\x00", "track": "ic"}
        ).encode(),
        b'{"full_name": "' + b"x" * 100000 + b'", "employee_id": "y", "track": "ic", "level": 3}',
    ],
)
def test_garbage_gets_a_400_and_writes_nothing(api, org, payload):
    before = Person.objects.count()
    response = api("hr").post("/api/v1/people/", payload, content_type="application/json")
    assert response.status_code == 400
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    "query", ["?level=abc", "?track=wizard", "?department=abc", "?is_active=maybe", "?verdict=x"]
)
def test_malformed_filters_are_400(api, org, query):
    assert api("hr").get(f"/api/v1/people/{query}").status_code == 400


def test_filters_by_field_name(api, org):
    ics = api("hr").get("/api/v1/people/?track=ic&level=3").json()["results"]
    assert {p["full_name"] for p in ics} == {"Ian Engineer"}
    active = api("hr").get("/api/v1/assignments/?active=true").json()
    assert [a["id"] for a in active["results"]] == [org.lead.pk]
    assert api("hr").get("/api/v1/sops/?status=stale&kind=sop").status_code == 200


def test_page_size_is_capped_at_500_not_refused(api, org):
    PersonFactory.create_batch(3, department=org.data)
    body = api("hr").get("/api/v1/people/?page_size=100000").json()
    assert body["count"] == Person.objects.count() and len(body["results"]) == body["count"]
    assert api("hr").get("/api/v1/people/?page_size=abc").status_code == 200
    assert api("hr").get("/api/v1/people/?page=999").status_code == 404
    small = api("hr").get("/api/v1/people/?page_size=2").json()
    assert len(small["results"]) == 2 and small["next"]


def test_bulk_upsert_all_or_nothing_with_row_errors(api, org):
    rows = [
        {
            "employee_id": "B1",
            "full_name": "Bulk One",
            "track": "ic",
            "level": 3,
            "department": "data",
        },
        {"employee_id": "B2", "full_name": "", "track": "ic", "level": -1, "department": "nope"},
    ]
    response = api("hr").post("/api/v1/people/bulk-upsert/", rows, format="json")
    assert response.status_code == 400
    assert set(response.json()["rows"]["2"]) == {"full_name", "level", "department"}
    assert not Person.objects.filter(employee_id="B1").exists()
    ok = api("hr").post("/api/v1/people/bulk-upsert/", {"rows": rows[:1]}, format="json")
    assert ok.json() == {"created": 1, "updated": 0, "unchanged": 0}
    again = api("hr").post("/api/v1/people/bulk-upsert/", {"rows": rows[:1]}, format="json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}


def test_escalation_now_and_then(api, org):
    before = org.lead.started_at
    body = api("hr").get(f"/api/v1/departments/{org.platform.pk}/escalation/").json()
    assert (body["role"], body["person"]["id"]) == ("tech_lead", org.lea.pk)
    earlier = (before.replace(year=before.year - 1)).isoformat()
    then = (
        api("hr").get(f"/api/v1/departments/{org.platform.pk}/escalation/", {"at": earlier}).json()
    )
    assert (then["role"], then["person"]["id"]) == ("manager", org.maya.pk)
    assert (
        api("hr").get(f"/api/v1/departments/{org.platform.pk}/escalation/?at=yesterday").status_code
        == 400
    )


def test_schema_is_served_as_json(org):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/assignments/{id}/end/" in paths
    assert "/api/v1/departments/{id}/handover/" in paths


LIST_ENDPOINTS = [
    "/api/v1/departments/",
    "/api/v1/people/",
    "/api/v1/assignments/",
    "/api/v1/eligibility-rules/",
    "/api/v1/successors/",
    "/api/v1/sops/",
]


def grow(org, n):
    from sops.services import document_create
    from techleads.services import assignment_create, successor_nominate

    for _ in range(n):
        department = DepartmentFactory(manager=org.maya)
        lead, other = PersonFactory.create_batch(2, department=department, level=4)
        assignment_create(department=department, person=lead, assigned_by=org.hr, reason="x")
        successor_nominate(department=department, person=other, actor=org.hr, readiness="ready_now")
        document_create(actor=org.hr, title="Doc", kind="sop", department=department)


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_list_queries_do_not_grow_with_page_size(api, org, url, django_assert_num_queries):
    client = api("hr")
    grow(org, 12)
    counts = []
    for size in (10, 200):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"page_size": size}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # token + user + HR group + COUNT + page (+ one prefetch) at most
    assert counts[1] <= 6, counts


@pytest.mark.parametrize("url", ["/api/v1/departments/{}/", "/api/v1/people/{}/eligibility/"])
def test_detail_queries_are_bounded(api, org, url, django_assert_max_num_queries):
    client = api("hr")
    with django_assert_max_num_queries(6):
        assert (
            client.get(
                url.format(org.platform.pk if "departments" in url else org.lea.pk)
            ).status_code
            == 200
        )


def test_lists_are_scoped_for_a_manager(api, org):
    departments = api("maya").get("/api/v1/departments/").json()["results"]
    assert [d["name"] for d in departments] == ["Platform"]
    people = {p["full_name"] for p in api("maya").get("/api/v1/people/").json()["results"]}
    assert "Dana Data" not in people and "Ian Engineer" in people
    own = api("ian").get("/api/v1/people/").json()["results"]
    assert [p["full_name"] for p in own] == ["Ian Engineer"]
    assert TechLeadAssignment.objects.count() == 1


@pytest.mark.parametrize("path", ["departments/0.5/", "people/1e5/eligibility/", "sops/abc/"])
def test_non_integer_ids_are_404(api, org, path):
    assert api("hr").get(f"/api/v1/{path}").status_code == 404


def test_bulk_upsert_refuses_nested_values(api, org):
    row = {"employee_id": "N", "full_name": "N", "track": "ic", "level": 3, "is_active": {}}
    response = api("hr").post("/api/v1/people/bulk-upsert/", [row], format="json")
    assert response.status_code == 400
    assert response.json()["rows"]["1"] == {"is_active": ["Expected a single value."]}


def test_interactive_docs_are_self_hosted(client, org):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn.jsdelivr" not in page
