"""Builders of the role's test data that is not a model: what Jira sends."""


def jira_payload(**fields) -> dict:
    """A Jira "issue updated" webhook for PLAT-7 (Ian's, in progress), with `fields` changed:
    what the Jira sync endpoint and improvement_task_upsert_from_jira receive."""
    issue_fields = {
        "summary": "Automate the release checklist",
        "project": {"key": "PLAT"},
        "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
        "duedate": "2026-12-15",
        "assignee": {"emailAddress": "ian@example.com"},
        **fields,
    }
    return {
        "webhookEvent": "jira:issue_updated",
        "issue": {"key": "PLAT-7", "fields": issue_fields},
    }
