"""A department is named by id or by slug wherever the API takes one: list filters and
request bodies. An unknown one is a 400 saying so; the schema says "integer or string"."""

from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db

UNKNOWN = "No department with id or slug 'nowhere'."


@pytest.fixture(autouse=True)
def may_2030():
    with time_machine.travel(datetime(2030, 5, 15, 9, 30, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def work(api, org):
    """A row of every kind in Platform (and none in Data)."""
    hr = api("hr")
    created = {}
    for path, body in {
        "sops": {"title": "Deploys", "kind": "sop", "department": "platform"},
        "tech-sessions": {
            "department": "platform",
            "topic": "Deploys",
            "presenter": org.lea.pk,
            "scheduled_for": "2030-05-20T14:00:00Z",
            "link": "",
        },
        "improvement-projects": {"department": "platform", "name": "CI", "jira_key": "CI"},
        "allocations": {
            "person": org.ian.pk,
            "duty": "On-call",
            "percent": 40,
            "period_start": "2030-05-01",
            "period_end": "2030-05-31",
        },
        "incidents": {
            "department": "platform",
            "title": "Registry down",
            "severity": "sev1",
            "started_at": "2030-05-15T08:00:00Z",
        },
        "successors": {"department": "platform", "person": org.ian.pk, "readiness": "ready_now"},
    }.items():
        response = hr.post(f"/api/v1/{path}/", body, format="json")
        assert response.status_code == 201, (path, response.content)
        created[path] = response.json()
    task = api("lea").post(
        "/api/v1/improvement-tasks/",
        {"project": created["improvement-projects"]["id"], "title": "Cache"},
        format="json",
    )
    assert task.status_code == 201, task.content
    return created


LISTS = [
    "people",
    "assignments",
    "successors",
    "sops",
    "tech-sessions",
    "improvement-projects",
    "improvement-tasks",
    "allocations",
    "incidents",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_filters_by_department_id_or_slug(api, org, work, path):
    hr = api("hr")

    def ids(query):
        response = hr.get(f"/api/v1/{path}/?page_size=500&{query}")
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    by_slug, by_id = ids("department=platform"), ids(f"department={org.platform.pk}")
    assert by_slug == by_id
    assert by_slug, "Platform has a row of every kind"
    assert set(by_slug).isdisjoint(ids("department=data"))
    assert ids("department=data") == ids(f"department={org.data.pk}")


@pytest.mark.parametrize("path", [*LISTS, "departments"])
@pytest.mark.parametrize("value", ["nowhere", "999999"])
def test_an_unknown_department_in_a_filter_is_a_400_saying_so(api, org, path, value):
    name = "parent" if path == "departments" else "department"

    response = api("hr").get(f"/api/v1/{path}/?{name}={value}")

    assert response.status_code == 400, response.content
    assert response.json() == {name: [f"No department with id or slug '{value}'."]}


def test_involved_department_and_parent_filter_by_slug_too(api, org):
    hr = api("hr")
    child = hr.post(
        "/api/v1/departments/", {"name": "SRE", "slug": "sre", "parent": "platform"}, format="json"
    )
    assert child.status_code == 201, child.content
    assert child.json()["parent"] == org.platform.pk
    process = hr.post(
        "/api/v1/sops/",
        {
            "title": "Hand-offs",
            "kind": "cross_department_process",
            "department": "platform",
            "involved_departments": ["data", org.platform.pk],
        },
        format="json",
    )
    assert process.status_code == 201, process.content
    assert sorted(process.json()["involved_departments"]) == sorted([org.data.pk, org.platform.pk])

    children = hr.get("/api/v1/departments/?parent=platform").json()["results"]
    involving = hr.get("/api/v1/sops/?involved_department=data").json()["results"]

    assert [d["slug"] for d in children] == ["sre"]
    assert [d["id"] for d in involving] == [process.json()["id"]]


def test_a_person_is_created_and_moved_with_a_department_slug(api, org):
    hr = api("hr")
    created = hr.post(
        "/api/v1/people/",
        {
            "employee_id": "E9001",
            "full_name": "New Person",
            "email": "new@example.com",
            "department": "platform",
            "track": "ic",
            "level": 2,
            "step": 1,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["department"] == org.platform.pk

    moved = hr.patch(
        f"/api/v1/people/{created.json()['id']}/", {"department": "data"}, format="json"
    )

    assert moved.status_code == 200, moved.content
    assert moved.json()["department"] == org.data.pk


def test_an_assignment_names_its_department_by_slug(api, org):
    response = api("hr").post(
        "/api/v1/assignments/",
        {"department": "data", "person": org.dana.pk, "reason": "Knows the data best"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["department"] == org.data.pk


def test_a_numeric_string_is_an_id(api, org):
    response = api("hr").post(
        "/api/v1/assignments/",
        {"department": str(org.data.pk), "person": org.dana.pk, "reason": "Knows the data"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["department"] == org.data.pk


@pytest.mark.parametrize(
    "path, body",
    [
        ("assignments", {"person": 1, "reason": "x"}),
        ("sops", {"title": "x", "kind": "sop"}),
        ("incidents", {"title": "x", "severity": "sev1", "started_at": "2030-05-15T08:00:00Z"}),
        ("successors", {"person": 1, "readiness": "ready_now"}),
        ("improvement-projects", {"name": "x"}),
        ("people", {"employee_id": "E1", "full_name": "x", "track": "ic", "level": 1}),
    ],
)
def test_an_unknown_department_in_a_body_is_a_400_saying_so(api, org, path, body):
    response = api("hr").post(f"/api/v1/{path}/", {**body, "department": "nowhere"}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["department"] == [UNKNOWN]


@pytest.mark.parametrize("value", [True, 1.5, {"id": 1}, [1], "x" * 500])
def test_a_department_of_the_wrong_type_is_a_400(api, org, value):
    response = api("hr").post(
        "/api/v1/assignments/",
        {"department": value, "person": org.dana.pk, "reason": "x"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["department"]


def test_the_schema_says_id_or_slug(api):
    schema = api("hr").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    id_or_slug = [{"type": "integer"}, {"type": "string"}]

    for name in ("AssignInputRequest", "PersonRequest", "DocumentRequest", "IncidentRequest"):
        department = components[name]["properties"]["department"]
        assert [{"type": s["type"]} for s in department["oneOf"]] == id_or_slug, name
    involved = components["DocumentRequest"]["properties"]["involved_departments"]
    assert [{"type": s["type"]} for s in involved["items"]["oneOf"]] == id_or_slug
    assert components["Person"]["properties"]["department"]["type"] == "integer"
    for path in ("/api/v1/people/", "/api/v1/improvement-tasks/", "/api/v1/sops/"):
        (param,) = [
            p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "department"
        ]
        assert [{"type": s["type"]} for s in param["schema"]["oneOf"]] == id_or_slug, path


@pytest.mark.parametrize("value", ["%", "%s", "'%(x)s", "50%"])
def test_a_percent_sign_in_a_department_filter_is_a_400_not_a_500(api, org, value):
    """Schemathesis sent ?parent=%... : the error message quoted the value, and
    django-filter's formatting of messages read its "%" as a format (a 500)."""
    response = api("hr").get("/api/v1/departments/", {"parent": value})
    assert response.status_code == 400
    assert response.json()["parent"] == [f"No department with id or slug '{value}'."]
    assert api("hr").get("/api/v1/people/", {"department": value}).status_code == 400
