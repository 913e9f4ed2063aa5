"""The authorization matrix: every endpoint, every role.

Roles (conftest `org`): hr; maya, manager of Platform; max, manager of Data; lea, Tech
Lead of Platform; ian, an engineer in Platform; nobody, a login without a person;
anonymous. 404 means "out of your scope" (the object is hidden), 403 "in scope, but your
role cannot do this".
"""

from datetime import timedelta

import pytest
from django.utils import timezone

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
    # Tech sessions: the department's Tech Lead (or HR) runs them; reads follow the scope.
    "list tech sessions": ("get", "/api/v1/tech-sessions/", None, EVERYONE),
    "read a Platform session": (
        "get",
        "/api/v1/tech-sessions/{session}/",
        None,
        expect(200, 200, 404, 200, 200, 404),
    ),
    "schedule a Platform session": (
        "post",
        "/api/v1/tech-sessions/",
        {"department": "{platform}", "topic": "Deploys", "scheduled_for": "2030-01-10T10:00Z"},
        expect(201, 403, 403, 201, 403, 403),
    ),
    "record a Platform session": (
        "post",
        "/api/v1/tech-sessions/{session}/record/",
        {"status": "cancelled"},
        expect(200, 403, 404, 200, 403, 404),
    ),
    # Improvement projects and tasks: the lead delegates, the assignee moves the status.
    "list improvement projects": ("get", "/api/v1/improvement-projects/", None, EVERYONE),
    "start a Platform project": (
        "post",
        "/api/v1/improvement-projects/",
        {"department": "{platform}", "name": "Faster CI"},
        expect(201, 403, 403, 201, 403, 403),
    ),
    "rename a Platform project": (
        "patch",
        "/api/v1/improvement-projects/{project}/",
        {"name": "Release automation 2"},
        expect(200, 403, 404, 200, 403, 404),
    ),
    "delegate a Platform task": (
        "post",
        "/api/v1/improvement-tasks/",
        {"project": "{project}", "title": "Cache the wheels", "assignee": "{ian}"},
        expect(201, 403, 403, 201, 403, 403),
    ),
    "retitle Ian's task": (
        "patch",
        "/api/v1/improvement-tasks/{task}/",
        {"title": "Cache everything"},
        expect(200, 403, 404, 200, 403, 404),
    ),
    "move Ian's task along": (
        "patch",
        "/api/v1/improvement-tasks/{task}/",
        {"status": "in_progress"},
        expect(200, 403, 404, 200, 200, 404),
    ),
    # Capacity: the lead distributes it; a manager and HR read it.
    "list allocations": ("get", "/api/v1/allocations/", None, EVERYONE),
    "allocate Jo": (
        "post",
        "/api/v1/allocations/",
        {
            "person": "{jo}",
            "duty": "Support rotation",
            "percent": 50,
            "period_start": "2030-01-01",
            "period_end": "2030-01-31",
        },
        expect(201, 403, 403, 201, 403, 403),
    ),
    "remove Jo's allocation": (
        "delete",
        "/api/v1/allocations/{allocation}/",
        None,
        expect(204, 403, 404, 204, 404, 404),
    ),
    "capacity of Platform": (
        "get",
        "/api/v1/departments/{platform}/capacity/",
        None,
        expect(200, 200, 404, 200, 200, 404),
    ),
    # Incidents: HR, the department's manager or its Tech Lead keep the log.
    "list incidents": ("get", "/api/v1/incidents/", None, EVERYONE),
    "log a Platform incident": (
        "post",
        "/api/v1/incidents/",
        {
            "department": "{platform}",
            "title": "Registry down",
            "severity": "sev2",
            "started_at": "2030-01-10T10:00Z",
        },
        expect(201, 201, 403, 201, 403, 403),
    ),
    "resolve a Platform incident": (
        "patch",
        "/api/v1/incidents/{incident}/",
        {"resolved_at": "2030-01-10T12:00Z"},
        expect(200, 200, 404, 200, 403, 404),
    ),
    "escalation list": ("get", "/api/v1/departments/escalation/", None, EVERYONE),
    # Cross-department processes: a person acknowledges (HR's login has none).
    "acknowledge a process": (
        "post",
        "/api/v1/sops/{process}/acknowledge/",
        None,
        expect(403, 201, 201, 201, 201, 403),
    ),
    "coverage of a process": (
        "get",
        "/api/v1/sops/{process}/coverage/",
        None,
        expect(200, 200, 200, 200, 200, 404),
    ),
    # Department health: every department in scope.
    "health of every department": ("get", "/api/v1/departments/health/", None, EVERYONE),
    "health of Platform": (
        "get",
        "/api/v1/departments/{platform}/health/",
        None,
        expect(200, 200, 404, 200, 200, 404),
    ),
    "health of Data": (
        "get",
        "/api/v1/departments/{data}/health/",
        None,
        expect(200, 404, 200, 404, 404, 404),
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
    from techleads.services import (
        allocation_set,
        improvement_project_create,
        improvement_task_create,
        incident_record,
        tech_session_schedule,
    )

    sop = document_create(actor=org.hr, title="Runbook", kind="sop", department=org.platform)
    process = document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    soon = timezone.now() + timedelta(days=7)
    session = tech_session_schedule(
        actor=org.hr, department=org.platform, topic="How deploys work", scheduled_for=soon
    )
    project = improvement_project_create(
        actor=org.hr, department=org.platform, name="Release automation", owner=org.lea
    )
    task = improvement_task_create(
        actor=org.hr, project=project, title="Automate the checklist", assignee=org.ian
    )
    allocation = allocation_set(
        actor=org.hr,
        person=org.jo,
        percent=40,
        period_start=soon.date(),
        period_end=soon.date(),
        duty="On-call",
    )
    incident = incident_record(
        actor=org.hr,
        department=org.platform,
        title="Builds failing",
        severity="sev3",
        started_at=timezone.now() - timedelta(hours=2),
    )
    return {
        "platform": org.platform.pk,
        "data": org.data.pk,
        "jo": org.jo.pk,
        "ian": org.ian.pk,
        "dana": org.dana.pk,
        "lead": org.lead.pk,
        "rule": EligibilityRule.objects.first().pk,
        "sop": sop.pk,
        "process": process.pk,
        "session": session.pk,
        "project": project.pk,
        "task": task.pk,
        "allocation": allocation.pk,
        "incident": incident.pk,
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
