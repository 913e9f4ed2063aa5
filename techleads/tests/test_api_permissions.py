"""The authorization matrix: every endpoint, every role.

Roles (conftest `org`): hr; maya, manager of Platform; max, manager of Data; lea, Tech
Lead of Platform; ian, an engineer in Platform; nobody, a login without a person;
anonymous. 404 means "out of your scope" (the object is hidden), 403 "in scope, but your
role cannot do this".
"""

import pytest

pytestmark = pytest.mark.django_db


def expect(hr, maya, max_, lea, ian, nobody):
    """Expected status per role, in the order of the docstring; anonymous is always 401."""
    codes = (hr, maya, max_, lea, ian, nobody, 401)
    return dict(zip(["hr", "maya", "max", "lea", "ian", "nobody", "anonymous"], codes, strict=True))


EVERYONE = expect(200, 200, 200, 200, 200, 200)


def hr_only(code):
    return expect(code, 403, 403, 403, 403, 403)


MATRIX = {
    # name: (method, path, body, expected status per role)
    "list departments": ("get", "/api/v1/departments/", None, EVERYONE),
    "read another department": (
        "get",
        "/api/v1/departments/{data}/",
        None,
        expect(200, 404, 200, 404, 404, 404),
    ),
    "create a department": (
        "post",
        "/api/v1/departments/",
        {"name": "Mobile", "slug": "mobile"},
        hr_only(201),
    ),
    "rename a department": (
        "patch",
        "/api/v1/departments/{platform}/",
        {"name": "Platform Engineering"},
        hr_only(200),
    ),
    "read a colleague": ("get", "/api/v1/people/{jo}/", None, expect(200, 200, 404, 200, 404, 404)),
    "promote a colleague": ("patch", "/api/v1/people/{jo}/", {"level": 3}, hr_only(200)),
    "create a person": (
        "post",
        "/api/v1/people/",
        {
            "employee_id": "N1",
            "full_name": "New Person",
            "track": "ic",
            "level": 2,
            "department": "{data}",
        },
        hr_only(201),
    ),
    "eligibility of a colleague": (
        "get",
        "/api/v1/people/{jo}/eligibility/",
        None,
        expect(200, 200, 404, 200, 404, 404),
    ),
    "candidates of Data": (
        "get",
        "/api/v1/departments/{data}/candidates/",
        None,
        expect(200, 404, 200, 404, 404, 404),
    ),
    "bulk upsert people": (
        "post",
        "/api/v1/people/bulk-upsert/",
        [
            {
                "employee_id": "B1",
                "full_name": "Bulk One",
                "track": "ic",
                "level": 3,
                "department": "data",
            }
        ],
        hr_only(200),
    ),
    "read the policy": ("get", "/api/v1/eligibility-rules/", None, EVERYONE),
    "change the policy": (
        "patch",
        "/api/v1/eligibility-rules/{rule}/",
        {"explanation": "Changed"},
        hr_only(200),
    ),
    "assign a Tech Lead": (
        "post",
        "/api/v1/assignments/",
        {"department": "{data}", "person": "{dana}", "reason": "Expert"},
        hr_only(201),
    ),
    "end an assignment": (
        "post",
        "/api/v1/assignments/{lead}/end/",
        {"reason": "Leaving"},
        hr_only(200),
    ),
    "hand over": (
        "post",
        "/api/v1/departments/{platform}/handover/",
        {"person": "{ian}", "reason": "Ready"},
        hr_only(201),
    ),
    "read Platform's assignment": (
        "get",
        "/api/v1/assignments/{lead}/",
        None,
        expect(200, 200, 404, 200, 200, 404),
    ),
    "nominate a successor in Platform": (
        "post",
        "/api/v1/successors/",
        {"department": "{platform}", "person": "{ian}", "readiness": "ready_now"},
        expect(201, 201, 403, 403, 403, 403),
    ),
    "escalation of Platform": (
        "get",
        "/api/v1/departments/{platform}/escalation/",
        None,
        expect(200, 200, 404, 200, 200, 404),
    ),
    "list documents": ("get", "/api/v1/sops/", None, EVERYONE),
    "create a Platform SOP": (
        "post",
        "/api/v1/sops/",
        {"title": "Deploys", "kind": "sop", "department": "{platform}"},
        expect(201, 403, 403, 201, 403, 403),
    ),
    "review a Platform SOP": (
        "post",
        "/api/v1/sops/{sop}/reviews/",
        {"outcome": "confirmed"},
        expect(201, 403, 403, 201, 403, 404),
    ),
}


def fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


@pytest.fixture
def ids(org):
    from sops.services import document_create
    from techleads.models import EligibilityRule

    sop = document_create(actor=org.hr, title="Runbook", kind="sop", department=org.platform)
    return {
        "platform": org.platform.pk,
        "data": org.data.pk,
        "jo": org.jo.pk,
        "ian": org.ian.pk,
        "dana": org.dana.pk,
        "lead": org.lead.pk,
        "rule": EligibilityRule.objects.first().pk,
        "sop": sop.pk,
    }


CASES = [
    (name, role, expected)
    for name, (_, _, _, by_role) in MATRIX.items()
    for role, expected in by_role.items()
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_authorization_matrix(api, ids, name, role, expected):
    method, path, body, _ = MATRIX[name]
    response = getattr(api(role), method)(fill(path, ids), fill(body, ids), format="json")
    assert response.status_code == expected, response.content
