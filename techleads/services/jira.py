"""Jira keeps improvement tasks in sync: one upsert per delivered issue."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.constants import INTEGRATION_GROUP
from departments.errors import Conflict, DomainError, Forbidden
from departments.models import Person
from departments.selectors import user_is_hr

from ..models import (
    ImprovementProject,
    ImprovementTask,
)
from ..rules import JiraPayloadError, jira_issue_fields
from .improvement import task_completed_at


@dataclass(frozen=True)
class JiraUpsert:
    task: ImprovementTask
    outcome: str  # "created", "updated" or "unchanged"


def _require_integration(actor) -> None:
    if actor is None or user_is_hr(actor):
        return
    if not actor.groups.filter(name=INTEGRATION_GROUP).exists():
        raise Forbidden("Only an integration login or HR can sync Jira issues.")


@transaction.atomic
def improvement_task_upsert_from_jira(*, actor, payload: object) -> JiraUpsert:
    """Create or update the task of a Jira issue, by issue key.

    Redelivering the same payload changes nothing (not even `updated_at`); an unknown
    project key or assignee is a field error, so nothing is half-synced.
    """
    _require_integration(actor)
    try:
        data = jira_issue_fields(payload)
    except JiraPayloadError as exc:
        field, messages = next(iter(exc.errors.items()))
        raise DomainError(" ".join(messages), field=field) from exc
    project = ImprovementProject.objects.filter(jira_key=data["project_key"]).first()
    if project is None:
        raise DomainError(
            f"No improvement project has the Jira key {data['project_key']!r}.",
            field="issue.fields.project.key",
        )
    assignee = None
    if data["assignee_email"]:
        assignee = Person.objects.filter(
            email__iexact=data["assignee_email"], is_active=True
        ).first()
        if assignee is None:
            raise DomainError(
                f"No active person has the email {data['assignee_email']!r}.",
                field="issue.fields.assignee",
            )
    values = {
        "project": project,
        "title": data["title"],
        "status": data["status"],
        "due_date": date.fromisoformat(data["due_date"]) if data["due_date"] else None,
        "assignee": assignee,
        "jira_url": data["url"],
    }
    task = (
        ImprovementTask.objects.select_for_update().filter(jira_issue_key=data["issue_key"]).first()
    )
    if task is None:
        try:
            with transaction.atomic():  # two deliveries at once: the unique key decides
                task = ImprovementTask.objects.create(
                    jira_issue_key=data["issue_key"],
                    owner=project.owner,
                    completed_at=task_completed_at(data["status"], None, timezone.now()),
                    **values,
                )
        except IntegrityError as exc:
            raise Conflict(f"{data['issue_key']} is being synced by another request.") from exc
        return JiraUpsert(task=task, outcome="created")
    changed = [name for name, value in values.items() if getattr(task, name) != value]
    if not changed:
        return JiraUpsert(task=task, outcome="unchanged")
    for name in changed:
        setattr(task, name, values[name])
    if "status" in changed:
        task.completed_at = task_completed_at(task.status, None, timezone.now())
        changed.append("completed_at")
    task.save(update_fields=[*changed, "updated_at"])
    return JiraUpsert(task=task, outcome="updated")
