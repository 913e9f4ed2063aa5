"""Fixtures of the continuity tests: Lea (Platform's Tech Lead) holding one of each item."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sops.services import document_create
from techleads.models import SuccessorCandidate
from techleads.services import (
    improvement_project_create,
    improvement_task_create,
    tech_session_schedule,
)


@pytest.fixture
def holdings(org):
    """Lea holds the role, manages Data, owns a document, a tool and a project, is assigned
    a task, is a successor candidate of Data and presents a session; plus what she no
    longer holds (an archived document, a done task, a closed project)."""
    hr = org.hr
    org.data.manager = org.lea
    org.data.save()
    document = document_create(
        actor=hr,
        title="Deploy runbook",
        kind="playbook",
        department=org.platform,
        owner=org.lea,
        last_reviewed_at=timezone.now() - timedelta(days=80),
    )
    tool = document_create(
        actor=hr, title="Release bot", kind="tool", department=org.platform, owner=org.lea
    )
    archived = document_create(
        actor=hr, title="Old wiki", kind="sop", department=org.platform, owner=org.lea
    )
    archived.status = "archived"
    archived.save(update_fields=["status"])
    project = improvement_project_create(
        actor=hr, department=org.platform, name="Release automation", owner=org.lea
    )
    closed = improvement_project_create(
        actor=hr, department=org.platform, name="Done thing", owner=org.lea, is_active=False
    )
    task = improvement_task_create(
        actor=hr, project=project, title="Automate the checklist", assignee=org.lea
    )
    improvement_task_create(
        actor=hr, project=project, title="Finished", assignee=org.lea, status="done"
    )
    # Candidates may come from any department; the model, not the nomination service,
    # so the test does not depend on who may be nominated where.
    successor = SuccessorCandidate.objects.create(
        department=org.data, person=org.lea, readiness="ready_soon"
    )
    session = tech_session_schedule(
        actor=hr,
        department=org.platform,
        topic="How releases work",
        scheduled_for=timezone.now() + timedelta(days=7),
        presenter=org.lea,
    )
    return SimpleNamespace(
        document=document,
        tool=tool,
        archived=archived,
        project=project,
        closed=closed,
        task=task,
        successor=successor,
        session=session,
    )
