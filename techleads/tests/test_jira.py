"""Improvement tasks kept in sync with Jira: the webhook's payload mapped by a pure rule
(every bad field named), and the upsert service: idempotent, refusing what it cannot place,
for integration logins only. The endpoint is test_api_jira.py's."""

import pytest
from django.contrib.auth.models import Group

from departments.constants import INTEGRATION_GROUP
from departments.errors import DomainError, Forbidden
from departments.tests.factories import UserFactory
from techleads.models import ImprovementTask
from techleads.rules import jira_issue_fields
from techleads.services import improvement_task_upsert_from_jira
from techleads.tests.factories import jira_payload

# The payload ---------------------------------------------------------------------------


def test_jira_payload_maps_status_categories_and_fields():
    data = jira_issue_fields(jira_payload())
    assert data["status"] == "in_progress"
    assert (data["issue_key"], data["project_key"], data["due_date"]) == (
        "PLAT-7",
        "PLAT",
        "2026-12-15",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([], "issue"),
        ({"issue": {"key": "PLAT-7"}}, "issue.fields"),
        (jira_payload(duedate="15/12/2026"), "issue.fields.duedate"),
        (jira_payload(status={"name": "Sleeping"}), "issue.fields.status"),
        (jira_payload(summary=""), "issue.fields.summary"),
    ],
)
def test_bad_jira_payloads_name_the_field(payload, field):
    with pytest.raises(ValueError, match=field.split(".")[-1]) as exc:
        jira_issue_fields(payload)
    assert field in exc.value.errors


@pytest.mark.parametrize(
    "status",
    [{"statusCategory": {"key": ["done"]}}, {"name": ["Done"]}, {"statusCategory": "done"}, 7],
)
def test_odd_status_shapes_are_a_field_error_not_a_crash(status):
    with pytest.raises(ValueError, match="status"):
        jira_issue_fields(jira_payload(status=status))


# The upsert ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_jira_upsert_is_idempotent_and_applies_changes(org, jira_project):
    first = improvement_task_upsert_from_jira(actor=org.hr, payload=jira_payload())
    assert first.outcome == "created"
    stamp = first.task.updated_at
    again = improvement_task_upsert_from_jira(actor=org.hr, payload=jira_payload())
    assert again.outcome == "unchanged"
    assert ImprovementTask.objects.get().updated_at == stamp
    done = jira_payload(status={"name": "Done", "statusCategory": {"key": "done"}})
    changed = improvement_task_upsert_from_jira(actor=org.hr, payload=done)
    assert changed.outcome == "updated"
    task = ImprovementTask.objects.get()
    assert (task.status, task.assignee, task.owner) == ("done", org.ian, org.lea)
    assert task.completed_at is not None


@pytest.mark.django_db
def test_jira_upsert_refuses_unknown_project_and_assignee(org, jira_project):
    with pytest.raises(DomainError) as exc:
        improvement_task_upsert_from_jira(
            actor=org.hr, payload=jira_payload(project={"key": "NOPE"})
        )
    assert exc.value.field == "issue.fields.project.key"
    with pytest.raises(DomainError) as exc:
        improvement_task_upsert_from_jira(
            actor=org.hr, payload=jira_payload(assignee={"emailAddress": "ghost@example.com"})
        )
    assert exc.value.field == "issue.fields.assignee"
    assert not ImprovementTask.objects.exists()


@pytest.mark.django_db
def test_jira_upsert_needs_an_integration_login(org, jira_project):
    with pytest.raises(Forbidden):
        improvement_task_upsert_from_jira(actor=org.lea.user, payload=jira_payload())
    bot = UserFactory(username="jira-bot")
    bot.groups.add(Group.objects.get(name=INTEGRATION_GROUP))
    assert improvement_task_upsert_from_jira(actor=bot, payload=jira_payload()).outcome == "created"
