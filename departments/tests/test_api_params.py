"""Query parameters of API v1: a GET takes exactly the parameters its operation documents
(plus `format`); anything else is a 400 naming it and the accepted ones, never silently
ignored. `ordering` takes only the documented orderings."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ACCEPTED = re.compile(r"Accepted: (.*)\.$")


def accepted_in(body) -> set[str]:
    """The accepted parameters a 400 for an unknown parameter lists."""
    match = ACCEPTED.search(body["detail"])
    assert match, body
    return {name.strip() for name in match.group(1).split(",")}


@pytest.mark.parametrize(
    "path, unknown",
    [
        ("/api/v1/people/?email=ian@example.com", ["email"]),
        ("/api/v1/people/?full_name=Ian&nickname=x", ["full_name", "nickname"]),
        ("/api/v1/assignments/?ended=false", ["ended"]),
        ("/api/v1/sops/?kind=sop&owner_name=lea", ["owner_name"]),
        ("/api/v1/departments/health/?ordering=score", ["ordering"]),
        ("/api/v1/eligibility-rules/?search=ic", ["search"]),
    ],
)
def test_an_unknown_query_parameter_on_a_list_is_a_400_naming_it(api, path, unknown):
    response = api("hr").get(path)

    assert response.status_code == 400, response.content
    body = response.json()
    noun = "parameters" if len(unknown) > 1 else "parameter"
    assert body["detail"].startswith(f"Unknown query {noun}: {', '.join(unknown)}.")
    for name in unknown:
        assert body[name] == ["Unknown query parameter."]
    assert {"page", "page_size", "format"} <= accepted_in(body)
    assert not set(unknown) & accepted_in(body)


def test_the_400_lists_the_list_s_filters_search_and_ordering(api):
    body = api("hr").get("/api/v1/people/?email=x").json()

    assert {
        "department",
        "track",
        "level",
        "step",
        "is_active",
        "active",
        "employee_id",
        "verdict",
        "search",
        "ordering",
        "page",
        "page_size",
        "format",
    } <= accepted_in(body)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/departments/{platform}/escalation/?when=2030-01-01T00:00:00Z",
        "/api/v1/departments/escalation/?when=2030-01-01T00:00:00Z",
        "/api/v1/departments/{platform}/capacity/?from=2030-01-01",
        "/api/v1/departments/{platform}/candidates/?verdict=eligible",
        "/api/v1/departments/{platform}/health/?verbose=1",
        "/api/v1/departments/{platform}/?expand=people",
        "/api/v1/people/{ian}/eligibility/?at=2030-01-01",
    ],
)
def test_an_unknown_query_parameter_on_any_get_is_a_400(api, org, path):
    path = path.format(platform=org.platform.pk, ian=org.ian.pk)

    response = api("hr").get(path)

    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("Unknown query parameter: ")


def test_a_head_request_is_checked_like_its_get(api):
    assert api("hr").head("/api/v1/people/?email=x").status_code == 400
    assert api("hr").head("/api/v1/people/").status_code == 200


def test_the_documented_parameters_still_work(api, org):
    response = api("hr").get(
        "/api/v1/people/?page=1&page_size=2&format=json&ordering=-level,id&search=a"
        f"&department={org.platform.pk}&is_active=true&track=ic"
    )

    assert response.status_code == 200, response.content
    levels = [p["level"] for p in response.json()["results"]]
    assert levels == sorted(levels, reverse=True)
    for path in (
        f"/api/v1/departments/{org.platform.pk}/escalation/?at=2030-01-01T00:00:00Z",
        "/api/v1/departments/escalation/?at=2030-01-01T00:00:00Z&page=1&page_size=5",
        f"/api/v1/departments/{org.platform.pk}/capacity/?period_start=2030-01-01&page_size=5",
        f"/api/v1/departments/{org.platform.pk}/candidates/?page=1&page_size=5",
        "/api/v1/departments/health/?page=1&page_size=5",
        f"/api/v1/people/{org.ian.pk}/?format=json",
    ):
        assert api("hr").get(path).status_code == 200, path


def test_an_anonymous_request_is_still_a_401_first(api):
    assert api("anonymous").get("/api/v1/people/?email=x").status_code == 401


def test_people_active_is_is_active_as_the_contract_names_it(api, org):
    PersonFactory(full_name="Gone Person", department=org.platform, is_active=False)

    def names(query):
        response = api("hr").get(f"/api/v1/people/?page_size=500&{query}")
        assert response.status_code == 200, response.content
        return {p["full_name"] for p in response.json()["results"]}

    assert names("active=false") == {"Gone Person"} == names("is_active=false")
    assert "Gone Person" not in names("active=true")
    assert names("active=true") == names("is_active=true")
    assert api("hr").get("/api/v1/people/?active=maybe").status_code == 400


def test_an_unknown_ordering_is_a_400_naming_the_allowed_ones(api):
    response = api("hr").get("/api/v1/people/?ordering=nonsense")

    assert response.status_code == 400, response.content
    (message,) = response.json()["ordering"]
    assert message.startswith("Unknown ordering: nonsense.")
    for allowed in ("full_name", "-full_name", "level", "-level", "id", "employee_id"):
        assert allowed in message
    bad_among_good = api("hr").get("/api/v1/people/?ordering=level,email")
    assert bad_among_good.status_code == 400
    assert bad_among_good.json()["ordering"][0].startswith("Unknown ordering: email.")


def test_the_schema_lists_the_allowed_orderings(api):
    schema = api("hr").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    (ordering,) = [
        p
        for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]
        if p["name"] == "ordering"
    ]

    assert set(ordering["schema"]["items"]["enum"]) == {
        "full_name",
        "-full_name",
        "employee_id",
        "-employee_id",
        "level",
        "-level",
        "id",
        "-id",
    }
    assert (ordering["style"], ordering["explode"]) == ("form", False)


@pytest.fixture
def may_2030():
    with time_machine.travel(datetime(2030, 5, 15, 9, 30, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def one_of_each(api, org, may_2030):
    """A row in every collection, so every detail operation has an id to ask for."""
    hr = api("hr")
    bodies = {
        "/api/v1/successors/": {
            "department": org.data.pk,
            "person": org.dana.pk,
            "readiness": "ready_now",
        },
        "/api/v1/sops/": {
            "title": "Hand-offs",
            "kind": "cross_department_process",
            "department": org.platform.pk,
            "involved_departments": [org.data.pk],
        },
        "/api/v1/tech-sessions/": {
            "department": org.platform.pk,
            "topic": "Deploys",
            "presenter": org.lea.pk,
            "scheduled_for": "2030-05-20T14:00:00Z",
            "link": "",
        },
        "/api/v1/improvement-projects/": {
            "department": org.platform.pk,
            "name": "CI",
            "jira_key": "CI",
        },
        "/api/v1/allocations/": {
            "person": org.ian.pk,
            "duty": "On-call",
            "percent": 40,
            "period_start": "2030-05-01",
            "period_end": "2030-05-31",
        },
        # Before the incident: its incident.opened event is a webhook delivery.
        "/api/v1/webhooks/": {"url": "https://hooks.example.com/t", "events": ["incident.opened"]},
        "/api/v1/incidents/": {
            "department": org.platform.pk,
            "title": "Registry down",
            "severity": "sev1",
            "started_at": "2030-05-15T08:00:00Z",
        },
    }
    for path, body in bodies.items():
        response = hr.post(path, body, format="json")
        assert response.status_code == 201, (path, response.content)
    project = hr.get("/api/v1/improvement-projects/").json()["results"][0]["id"]
    response = api("lea").post(
        "/api/v1/improvement-tasks/", {"project": project, "title": "Cache"}, format="json"
    )
    assert response.status_code == 201, response.content


def test_every_get_accepts_exactly_the_parameters_its_operation_documents(api, one_of_each):
    """What the schema documents is what the endpoint takes: schemathesis (and every client
    generated from the schema) sends only documented parameters, and all must work."""
    hr = api("hr")
    schema = hr.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    checked = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        url = path
        if "{id}" in path:
            collection = path.split("{id}")[0]
            listed = hr.get(collection).json()
            url = path.replace("{id}", str(listed["results"][0]["id"]))
        documented = {
            p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"
        }

        response = hr.get(url, {"zz_not_a_parameter": "1"})

        assert response.status_code == 400, (url, response.content)
        assert accepted_in(response.json()) == documented | {"format"}, url
        checked.append(path)
    assert len(checked) >= 25
