import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def sop(api, org):
    response = api("lea").post(
        "/api/v1/sops/",
        {"title": "Deploy runbook", "kind": "sop", "department": org.platform.pk},
        format="json",
    )
    assert response.status_code == 201
    return response.json()


def test_create_defaults_owner_interval_and_status(sop, org):
    assert sop["owner"] == org.lea.pk
    assert sop["review_interval_days"] == 90
    assert sop["status"] == "current"
    assert sop["next_review_at"] and sop["last_reviewed_at"]


def test_importing_an_old_review_date_makes_it_stale_and_filterable(api, org):
    api("hr").post(
        "/api/v1/sops/",
        {
            "title": "Old playbook",
            "kind": "playbook",
            "department": org.data.pk,
            "last_reviewed_at": "2020-01-01T09:00:00+01:00",
        },
        format="json",
    )
    stale = api("ian").get("/api/v1/sops/?status=stale").json()["results"]
    assert [d["title"] for d in stale] == ["Old playbook"]


def test_review_resets_and_retire_archives(api, sop):
    url = f"/api/v1/sops/{sop['id']}/reviews/"
    confirmed = api("lea").post(url, {"outcome": "confirmed", "notes": "Still true"}, format="json")
    assert confirmed.status_code == 201 and confirmed.json()["outcome"] == "confirmed"
    retired = api("lea").post(url, {"outcome": "retired"}, format="json")
    assert retired.status_code == 201
    assert api("lea").get(f"/api/v1/sops/{sop['id']}/").json()["status"] == "archived"
    assert api("lea").post(url, {"outcome": "confirmed"}, format="json").status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "kind": "novel", "department": 1},
        {"title": "x", "kind": "sop", "department": 1, "review_interval_days": 0},
        {"title": "x", "kind": "sop", "department": 1, "last_reviewed_at": "yesterday"},
        {"title": "x", "kind": "sop", "department": 1, "url": "not a url"},
    ],
)
def test_bad_documents_are_400(api, org, body):
    body["department"] = org.platform.pk
    assert api("hr").post("/api/v1/sops/", body, format="json").status_code == 400


def test_bad_review_outcome_is_400(api, sop):
    url = f"/api/v1/sops/{sop['id']}/reviews/"
    assert api("lea").post(url, {"outcome": "maybe"}, format="json").status_code == 400
