"""Whatever a client sends under /api/, the answer is JSON and never a 500 it caused: bodies
nested too deep are a 400, bodies too large a 413, unknown paths and ids a 404, wrong
methods a 405, and a server fault a JSON 500. Pages elsewhere keep their HTML."""

import json

import pytest
from rest_framework.test import APIClient

from techleads.api.views import PersonViewSet

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    """A JSON object nested `depth` levels deep: {"a": {"a": ... {} ...}}."""
    return '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)


def post_raw(client, path, body: str | bytes):
    return client.generic("POST", path, body, content_type="application/json")


def assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


@pytest.mark.parametrize(
    "role, path",
    [
        ("hr", "/api/v1/people/bulk-upsert/"),
        ("hr", "/api/v1/assignments/"),
        ("hr", "/api/v1/people/"),
        ("hr", "/api/v1/improvement-tasks/jira/"),
        ("anonymous", "/api/v1/auth/token/"),
    ],
)
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_body_nested_too_deep_is_a_400_saying_so(api, role, path, depth):
    body = assert_json(post_raw(api(role), path, nested(depth)), 400)

    assert body == {"detail": "JSON parse error - nested deeper than 32 levels."}


def test_a_list_nested_too_deep_is_a_400_too(api):
    body = "[" * 5_000 + "]" * 5_000

    response = post_raw(api("hr"), "/api/v1/people/bulk-upsert/", body)

    assert assert_json(response, 400)["detail"].startswith("JSON parse error - nested deeper")


def test_nesting_up_to_the_limit_is_parsed(api):
    deep_but_allowed = nested(32)
    too_deep = nested(33)

    allowed = assert_json(post_raw(api("hr"), "/api/v1/assignments/", deep_but_allowed), 400)
    refused = assert_json(post_raw(api("hr"), "/api/v1/assignments/", too_deep), 400)

    assert "department" in allowed  # parsed, then refused field by field
    assert refused == {"detail": "JSON parse error - nested deeper than 32 levels."}


def test_malformed_json_is_still_a_400(api):
    body = assert_json(post_raw(api("hr"), "/api/v1/assignments/", '{"department": '), 400)

    assert body["detail"].startswith("JSON parse error")


def test_the_token_endpoint_still_takes_json_and_forms(org):
    client = APIClient()
    credentials = {"username": "hr", "password": "correct-horse-battery"}

    as_json = client.post("/api/v1/auth/token/", credentials, format="json")
    as_form = client.post("/api/v1/auth/token/", credentials)

    assert assert_json(as_json, 200)["token"] == assert_json(as_form, 200)["token"]


@pytest.mark.parametrize(
    "role, path",
    [
        ("hr", "/api/v1/people/bulk-upsert/"),
        ("hr", "/api/v1/people/"),
        ("anonymous", "/api/v1/auth/token/"),
    ],
)
def test_a_body_over_the_size_limit_is_a_json_413(api, settings, role, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = [{"employee_id": f"E{n}", "full_name": "x" * 50} for n in range(200)]
    body = json.dumps(rows)
    assert len(body) > 10_000

    response = post_raw(api(role), path, body)

    assert assert_json(response, 413) == {
        "detail": f"Request body too large: {len(body)} bytes; the limit is 10000 bytes."
    }


def test_a_body_within_the_size_limit_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = post_raw(api("hr"), "/api/v1/people/bulk-upsert/", json.dumps([]))

    assert assert_json(response, 400) == {"rows": ["Expected a non-empty list of people."]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/abc/",
        "/api/v1/people/1/nope/",
        "/api/v1/no-such-thing/",
        "/api/v2/people/",
        "/api/",
        "/api/v1/departments/abc/health/",
    ],
)
@pytest.mark.parametrize("role", ["hr", "anonymous"])
def test_an_unknown_path_under_api_is_a_json_404(api, path, role):
    assert assert_json(api(role).get(path), 404) == {"detail": "Not found."}


def test_an_unknown_id_is_a_json_404(api):
    assert assert_json(api("hr").get("/api/v1/people/999999/"), 404) == {
        "detail": "No Person matches the given query."
    }


def test_an_unknown_path_elsewhere_is_still_the_html_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_json_405(api, org):
    response = api("hr").delete(f"/api/v1/people/{org.ian.pk}/")

    assert assert_json(response, 405) == {"detail": 'Method "DELETE" not allowed.'}


def test_a_request_django_refuses_is_a_json_400(api):
    response = api("hr").get("/api/v1/people/", HTTP_HOST="evil.example.com")

    assert assert_json(response, 400) == {"detail": "Bad request."}


def test_a_server_fault_is_a_json_500(api, monkeypatch):
    def crash(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(PersonViewSet, "list", crash)
    client = api("hr")
    client.raise_request_exception = False

    response = client.get("/api/v1/people/")

    assert assert_json(response, 500) == {"detail": "Server error."}


def test_a_server_fault_elsewhere_is_still_the_html_page(hr_client, monkeypatch):
    from dashboard import views

    def crash(request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "overview", crash)
    hr_client.raise_request_exception = False

    response = hr_client.get("/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_writing_to_the_api_s_own_documents_is_a_json_405(client, path):
    """They answered 405 in YAML and in HTML: everything under /api/ answers JSON."""
    response = client.post(path, {})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "not allowed" in response.json()["detail"]
    assert client.get(path).status_code == 200
