"""Jira keeps improvement tasks in sync: one upsert per delivered issue."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.constants import INTEGRATION_GROUP
from departments.errors import Conflict, DomainError, Forbidden
from departments.models import Person
from departments.selectors import user_is_hr
from departments.services import audit_entry_create, integration_login_ensure, snapshot

from ..constants import TaskStatus
from ..models import ImprovementProject, ImprovementTask
from ..rules import JiraPayloadError, jira_deleted_issue_key, jira_issue_fields
from .improvement import TASK_FIELDS, task_completed_at

# The login signed Jira Cloud webhooks act as: created on first use, revocable by HR.
JIRA_WEBHOOK_LOGIN = "jira-webhook"


@dataclass(frozen=True)
class JiraUpsert:
    task: ImprovementTask | None
    outcome: str  # "created", "updated", "unchanged", or "ignored" (a deletion of no task)


def _require_integration(actor) -> None:
    if user_is_hr(actor):
        return
    if not actor.groups.filter(name=INTEGRATION_GROUP).exists():
        raise Forbidden("Only an integration login or HR can sync Jira issues.")


def jira_webhook_login():
    """The integration login of requests signed with JIRA_WEBHOOK_SECRET."""
    return integration_login_ensure(
        name=JIRA_WEBHOOK_LOGIN,
        note="Acts for Jira Cloud webhooks signed with JIRA_WEBHOOK_SECRET.",
    )


def _field_error(exc: JiraPayloadError) -> DomainError:
    field, messages = next(iter(exc.errors.items()))
    return DomainError(" ".join(messages), field=field)


def _assignee(data: dict) -> Person | None:
    """The active person of the issue's assignee: by Jira accountId, then by email."""
    account_id, email = data["assignee_account_id"], data["assignee_email"]
    if not (account_id or email):
        return None
    active = Person.objects.filter(is_active=True)
    person = active.filter(jira_account_id=account_id).first() if account_id else None
    if person is None and email:
        person = active.filter(email__iexact=email).first()
    if person is None:
        named = " or ".join(
            f"{what} {value!r}"
            for what, value in (("Jira account id", account_id), ("email", email))
            if value
        )
        raise DomainError(f"No active person has the {named}.", field="issue.fields.assignee")
    return person


@transaction.atomic
def improvement_task_upsert_from_jira(*, actor, payload: object, via: str = "") -> JiraUpsert:
    """Create, update or cancel the task of a Jira issue, by issue key, and audit it.

    Redelivering the same payload changes nothing (not even `updated_at`); an unknown
    project key or assignee is a field error, so nothing is half-synced. A deleted issue
    cancels its task, which is kept. `via` names how the request authenticated, for the
    audit entry's note.
    """
    _require_integration(actor)
    try:
        deleted_key = jira_deleted_issue_key(payload)
        if deleted_key is not None:
            return _cancel_deleted(actor=actor, key=deleted_key, via=via)
        data = jira_issue_fields(payload)
    except JiraPayloadError as exc:
        raise _field_error(exc) from exc
    project = ImprovementProject.objects.filter(jira_key=data["project_key"]).first()
    if project is None:
        raise DomainError(
            f"No improvement project has the Jira key {data['project_key']!r}.",
            field="issue.fields.project.key",
        )
    values = {
        "project": project,
        "title": data["title"],
        "status": data["status"],
        "due_date": date.fromisoformat(data["due_date"]) if data["due_date"] else None,
        "assignee": _assignee(data),
        "jira_url": data["url"],
    }
    note = _note(data["issue_key"], payload, via)
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
        audit_entry_create(
            actor=actor,
            verb="task.jira_create",
            target=task,
            after=snapshot(task, TASK_FIELDS),
            department=project.department,
            note=note,
        )
        return JiraUpsert(task=task, outcome="created")
    return _apply(actor=actor, task=task, values=values, verb="task.jira_update", note=note)


def _cancel_deleted(*, actor, key: str, via: str) -> JiraUpsert:
    task = ImprovementTask.objects.select_for_update().filter(jira_issue_key=key).first()
    if task is None:
        return JiraUpsert(task=None, outcome="ignored")
    note = f"{key} was deleted in Jira; the task is kept, cancelled"
    return _apply(
        actor=actor,
        task=task,
        values={"status": TaskStatus.CANCELLED},
        verb="task.jira_cancel",
        note=note + (f", via {via}." if via else "."),
    )


def _apply(*, actor, task: ImprovementTask, values: dict, verb: str, note: str) -> JiraUpsert:
    changed = [name for name, value in values.items() if getattr(task, name) != value]
    if not changed:
        return JiraUpsert(task=task, outcome="unchanged")
    before = snapshot(task, TASK_FIELDS)
    for name in changed:
        setattr(task, name, values[name])
    if "status" in changed:
        task.completed_at = task_completed_at(task.status, None, timezone.now())
        changed.append("completed_at")
    task.save(update_fields=[*changed, "updated_at"])
    audit_entry_create(
        actor=actor,
        verb=verb,
        target=task,
        before=before,
        after=snapshot(task, TASK_FIELDS),
        department=task.project.department,
        note=note,
    )
    return JiraUpsert(task=task, outcome="updated")


def _note(key: str, payload: object, via: str) -> str:
    event = payload.get("webhookEvent") if isinstance(payload, dict) else None
    note = f"From Jira {key}" + (f" ({event[:100]})" if isinstance(event, str) else "")
    return note + (f", via {via}." if via else ".")
