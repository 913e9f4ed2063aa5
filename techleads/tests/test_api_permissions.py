"""The authorization matrix: every endpoint, every role.

Roles (conftest `org`): hr; maya, manager of Platform; max, manager of Data; lea, Tech
Lead of Platform; ian, an engineer in Platform; nobody, a login without a person;
anonymous. 404 means "out of your scope" (the object is hidden), 403 "in scope, but your
role cannot do this".
"""

import pytest

pytestmark = pytest.mark.django_db

MATRIX = {
    # name: (method, path, body, {role: expected status})
    "list departments": (
        "get",
        "/api/v1/departments/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 200,
            "lea": 200,
            "ian": 200,
            "nobody": 200,
            "anonymous": 401,
        },
    ),
    "read another department": (
        "get",
        "/api/v1/departments/{data}/",
        None,
        {
            "hr": 200,
            "maya": 404,
            "max": 200,
            "lea": 404,
            "ian": 404,
            "nobody": 404,
            "anonymous": 401,
        },
    ),
    "create a department": (
        "post",
        "/api/v1/departments/",
        {"name": "Mobile", "slug": "mobile"},
        {
            "hr": 201,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "rename a department": (
        "patch",
        "/api/v1/departments/{platform}/",
        {"name": "Platform Engineering"},
        {
            "hr": 200,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "read a colleague": (
        "get",
        "/api/v1/people/{jo}/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 404,
            "lea": 200,
            "ian": 404,
            "nobody": 404,
            "anonymous": 401,
        },
    ),
    "promote a colleague": (
        "patch",
        "/api/v1/people/{jo}/",
        {"level": 3},
        {
            "hr": 200,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
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
        {
            "hr": 201,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "eligibility of a colleague": (
        "get",
        "/api/v1/people/{jo}/eligibility/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 404,
            "lea": 200,
            "ian": 404,
            "nobody": 404,
            "anonymous": 401,
        },
    ),
    "candidates of Data": (
        "get",
        "/api/v1/departments/{data}/candidates/",
        None,
        {
            "hr": 200,
            "maya": 404,
            "max": 200,
            "lea": 404,
            "ian": 404,
            "nobody": 404,
            "anonymous": 401,
        },
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
        {
            "hr": 200,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "read the policy": (
        "get",
        "/api/v1/eligibility-rules/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 200,
            "lea": 200,
            "ian": 200,
            "nobody": 200,
            "anonymous": 401,
        },
    ),
    "change the policy": (
        "patch",
        "/api/v1/eligibility-rules/{rule}/",
        {"explanation": "Changed"},
        {
            "hr": 200,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "assign a Tech Lead": (
        "post",
        "/api/v1/assignments/",
        {"department": "{data}", "person": "{dana}", "reason": "Expert"},
        {
            "hr": 201,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "end an assignment": (
        "post",
        "/api/v1/assignments/{lead}/end/",
        {"reason": "Leaving"},
        {
            "hr": 200,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "hand over": (
        "post",
        "/api/v1/departments/{platform}/handover/",
        {"person": "{ian}", "reason": "Ready"},
        {
            "hr": 201,
            "maya": 403,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "read Platform's assignment": (
        "get",
        "/api/v1/assignments/{lead}/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 404,
            "lea": 200,
            "ian": 200,
            "nobody": 404,
            "anonymous": 401,
        },
    ),
    "nominate a successor in Platform": (
        "post",
        "/api/v1/successors/",
        {"department": "{platform}", "person": "{ian}", "readiness": "ready_now"},
        {
            "hr": 201,
            "maya": 201,
            "max": 403,
            "lea": 403,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "escalation of Platform": (
        "get",
        "/api/v1/departments/{platform}/escalation/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 404,
            "lea": 200,
            "ian": 200,
            "nobody": 404,
            "anonymous": 401,
        },
    ),
    "list documents": (
        "get",
        "/api/v1/sops/",
        None,
        {
            "hr": 200,
            "maya": 200,
            "max": 200,
            "lea": 200,
            "ian": 200,
            "nobody": 200,
            "anonymous": 401,
        },
    ),
    "create a Platform SOP": (
        "post",
        "/api/v1/sops/",
        {"title": "Deploys", "kind": "sop", "department": "{platform}"},
        {
            "hr": 201,
            "maya": 403,
            "max": 403,
            "lea": 201,
            "ian": 403,
            "nobody": 403,
            "anonymous": 401,
        },
    ),
    "review a Platform SOP": (
        "post",
        "/api/v1/sops/{sop}/reviews/",
        {"outcome": "confirmed"},
        {
            "hr": 201,
            "maya": 403,
            "max": 403,
            "lea": 201,
            "ian": 403,
            "nobody": 404,
            "anonymous": 401,
        },
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
