"""The Jira sync endpoint: an integration token or Jira Cloud's webhook signature,
idempotent, audited, clear errors."""

import hashlib
import hmac
import json

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.constants import INTEGRATION_GROUP
from departments.models import AuditEntry
from departments.tests.factories import UserFactory
from techleads.models import ImprovementTask
from techleads.tests.factories import jira_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/improvement-tasks/jira/"


@pytest.fixture
def jira_bot(jira_project):
    """A client with an integration login's token; Platform's project has Jira key PLAT."""
    bot = UserFactory(username="jira-automation")
    bot.groups.add(Group.objects.get(name=INTEGRATION_GROUP))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bot).key}")
    return client


def test_same_payload_twice_then_a_changed_one(jira_bot, org):
    first = jira_bot.post(URL, jira_payload(), format="json")
    assert first.status_code == 201 and first.json()["outcome"] == "created"
    stamp = first.json()["task"]["updated_at"]
    again = jira_bot.post(URL, jira_payload(), format="json")
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    assert again.json()["task"]["updated_at"] == stamp
    done = jira_payload(status={"name": "Done", "statusCategory": {"key": "done"}})
    changed = jira_bot.post(URL, done, format="json")
    assert changed.json()["outcome"] == "updated"
    assert changed.json()["task"]["status"] == "done"
    assert ImprovementTask.objects.count() == 1


def test_unknown_project_or_assignee_is_a_clear_400(jira_bot):
    response = jira_bot.post(URL, jira_payload(project={"key": "NOPE"}), format="json")
    assert response.status_code == 400
    assert "NOPE" in response.json()["issue.fields.project.key"][0]
    ghost = jira_payload(assignee={"emailAddress": "ghost@example.com"})
    assert "issue.fields.assignee" in jira_bot.post(URL, ghost, format="json").json()
    assert jira_bot.post(URL, [], format="json").status_code == 400
    assert not ImprovementTask.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [("lea", 403), ("ian", 403), ("anonymous", 401)])
def test_it_needs_an_integration_token(api, jira_bot, role, expected):
    assert api(role).post(URL, jira_payload(), format="json").status_code == expected


def test_tasks_are_listed_in_scope(api, jira_bot, org):
    jira_bot.post(URL, jira_payload(), format="json")
    assert api("maya").get("/api/v1/improvement-tasks/").json()["count"] == 1
    assert api("max").get("/api/v1/improvement-tasks/").json()["count"] == 0


# Jira Cloud as it really sends it ------------------------------------------------------

SITE = "https://acme.atlassian.net"
IAN_ACCOUNT = "5b10a2844c20165700ede21g"
SECRET = "It's a Secret to Everybody"


def cloud_webhook(event="jira:issue_updated", *, key="PLAT-7", **fields) -> dict:
    """A Jira Cloud admin webhook's body, as Jira sends it (assignee by accountId, the
    issue's REST URL in `self`, the changelog of the edit)."""
    person = {
        "self": f"{SITE}/rest/api/2/user?accountId={IAN_ACCOUNT}",
        "accountId": IAN_ACCOUNT,
        "avatarUrls": {"48x48": "https://avatar-management.example/ian.png"},
        "displayName": "Ian Engineer",
        "active": True,
        "timeZone": "Europe/Oslo",
        "accountType": "atlassian",
    }
    issue_fields = {
        "summary": "Automate the release checklist",
        "issuetype": {"id": "10002", "name": "Task", "subtask": False},
        "project": {
            "self": f"{SITE}/rest/api/2/project/10000",
            "id": "10000",
            "key": "PLAT",
            "name": "Platform",
            "projectTypeKey": "software",
        },
        "status": {
            "self": f"{SITE}/rest/api/2/status/3",
            "name": "In Progress",
            "id": "3",
            "statusCategory": {
                "self": f"{SITE}/rest/api/2/statuscategory/4",
                "id": 4,
                "key": "indeterminate",
                "colorName": "yellow",
                "name": "In Progress",
            },
        },
        "resolution": None,
        "resolutiondate": None,
        "assignee": person,
        "reporter": {**person, "accountId": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"},
        "duedate": "2026-12-15",
        "priority": {"name": "Medium", "id": "3"},
        "labels": ["release"],
        "created": "2026-11-20T09:14:02.000+0000",
        "updated": "2026-11-28T16:40:11.000+0000",
        **fields,
    }
    body = {
        "timestamp": 1764348011421,
        "webhookEvent": event,
        "issue_event_type_name": "issue_generic",
        "user": {**person, "accountId": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"},
        "issue": {
            "id": "10007",
            "self": f"{SITE}/rest/api/2/issue/10007",
            "key": key,
            "fields": issue_fields,
        },
        "changelog": {
            "id": "10400",
            "items": [
                {
                    "field": "status",
                    "fieldtype": "jira",
                    "fieldId": "status",
                    "from": "10000",
                    "fromString": "To Do",
                    "to": "3",
                    "toString": "In Progress",
                }
            ],
        },
    }
    if event == "jira:issue_deleted":
        del body["changelog"], body["issue_event_type_name"]
    return body


def done_as(resolution: str) -> dict:
    return {
        "status": {"name": "Done", "statusCategory": {"key": "done", "name": "Done"}},
        "resolution": {"self": f"{SITE}/rest/api/2/resolution/10001", "name": resolution},
    }


def signed(body: dict, secret: str = SECRET) -> tuple[bytes, str]:
    raw = json.dumps(body).encode()
    return raw, "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@pytest.fixture
def webhook(jira_project, org, settings):
    """Jira Cloud's admin webhook: no token, the body signed with the shared secret; Ian
    has his Jira account id."""
    settings.JIRA_WEBHOOK_SECRET = SECRET
    org.ian.jira_account_id = IAN_ACCOUNT
    org.ian.save()
    client = APIClient()

    def post(body: dict, *, signature: str | None = None, raw: bytes | None = None):
        data, good = signed(body)
        headers = {} if signature == "" else {"HTTP_X_HUB_SIGNATURE": signature or good}
        return client.post(URL, raw or data, content_type="application/json", **headers)

    return post


def test_a_signed_webhook_without_a_token_is_accepted(webhook, org):
    response = webhook(cloud_webhook())
    assert response.status_code == 201, response.json()
    task = ImprovementTask.objects.get()
    assert (task.jira_issue_key, task.assignee, task.status) == ("PLAT-7", org.ian, "in_progress")
    entry = AuditEntry.objects.get(verb="task.jira_create")
    assert entry.actor.username == "jira-webhook"
    assert entry.actor.groups.filter(name=INTEGRATION_GROUP).exists()
    assert "via Jira webhook signature" in entry.note
    assert entry.department == org.platform


@pytest.mark.parametrize(
    "signature",
    [
        "",  # none at all
        "sha256=" + "0" * 64,
        "sha256=" + hmac.new(b"another secret", b"{}", hashlib.sha256).hexdigest(),
        "sha1=" + hmac.new(SECRET.encode(), b"{}", hashlib.sha1).hexdigest(),
        "sha256=",
        "sha256=\u00e9\u00e9",
        "garbage",
    ],
)
def test_a_bad_or_missing_signature_without_a_token_is_a_401(webhook, signature):
    response = webhook(cloud_webhook(), signature=signature)
    assert response.status_code == 401
    assert not ImprovementTask.objects.exists()


def test_a_signature_of_another_body_is_a_401(webhook):
    _, signature_of_other = signed(cloud_webhook(key="PLAT-8"))
    assert webhook(cloud_webhook(), signature=signature_of_other).status_code == 401


def test_signatures_are_off_without_a_secret(webhook, settings):
    settings.JIRA_WEBHOOK_SECRET = ""
    raw, signature = signed(cloud_webhook(), secret="")
    assert webhook(cloud_webhook(), raw=raw, signature=signature).status_code == 401


def test_the_token_still_works_and_is_audited_as_its_login(jira_bot, org):
    org.ian.jira_account_id = IAN_ACCOUNT
    org.ian.save()
    assert jira_bot.post(URL, cloud_webhook(), format="json").status_code == 201
    entry = AuditEntry.objects.get(verb="task.jira_create")
    assert entry.actor.username == "jira-automation"
    assert "signature" not in entry.note


def test_a_revoked_webhook_login_stops_signed_deliveries(webhook, org):
    from departments.services import integration_revoke

    assert webhook(cloud_webhook()).status_code == 201
    login = AuditEntry.objects.get(verb="task.jira_create").actor
    integration_revoke(actor=org.hr, login=login)
    assert webhook(cloud_webhook(summary="Changed")).status_code == 401


def test_the_assignee_is_matched_by_account_id_before_email(webhook, org):
    org.jo.email = "ian.old@example.com"
    org.jo.save()
    assignee = {"accountId": IAN_ACCOUNT, "emailAddress": "ian.old@example.com"}
    assert webhook(cloud_webhook(assignee=assignee)).status_code == 201
    assert ImprovementTask.objects.get().assignee == org.ian


def test_an_unknown_account_id_falls_back_to_the_email(webhook, org):
    assignee = {"accountId": "712020:unknown", "emailAddress": "IAN@example.com"}
    assert webhook(cloud_webhook(assignee=assignee)).status_code == 201
    assert ImprovementTask.objects.get().assignee == org.ian


def test_an_unknown_assignee_is_still_a_400(webhook):
    response = webhook(cloud_webhook(assignee={"accountId": "712020:unknown"}))
    assert response.status_code == 400
    assert "712020:unknown" in response.json()["issue.fields.assignee"][0]
    no_id = webhook(cloud_webhook(assignee={"displayName": "Someone"}))
    assert "issue.fields.assignee" in no_id.json()
    assert not ImprovementTask.objects.exists()


def test_jira_url_is_the_browse_url_of_the_issue(webhook):
    body = webhook(cloud_webhook()).json()
    assert body["task"]["jira_url"] == f"{SITE}/browse/PLAT-7"


@pytest.mark.parametrize(
    ("resolution", "status"),
    [("Done", "done"), ("Won't Do", "cancelled"), ("Duplicate", "cancelled"), ("Fixed", "done")]
    + [("Cannot Reproduce", "cancelled"), ("Won't Fix", "cancelled")],
)
def test_a_resolution_that_is_not_done_cancels(webhook, resolution, status):
    assert webhook(cloud_webhook(**done_as(resolution))).json()["task"]["status"] == status


def test_a_deleted_issue_cancels_its_task_with_a_note(webhook, org):
    webhook(cloud_webhook())
    response = webhook(cloud_webhook("jira:issue_deleted"))
    assert response.status_code == 200
    assert response.json()["outcome"] == "updated"
    task = ImprovementTask.objects.get()
    assert (task.status, task.completed_at) == ("cancelled", None)
    entry = AuditEntry.objects.get(verb="task.jira_cancel")
    assert (entry.before["status"], entry.after["status"]) == ("in_progress", "cancelled")
    assert "deleted in Jira" in entry.note and "via Jira webhook signature" in entry.note
    again = webhook(cloud_webhook("jira:issue_deleted"))
    assert again.json()["outcome"] == "unchanged"
    assert AuditEntry.objects.filter(verb="task.jira_cancel").count() == 1


def test_a_deleted_issue_never_synced_is_ignored(webhook):
    response = webhook(cloud_webhook("jira:issue_deleted", key="PLAT-99"))
    assert response.status_code == 200
    assert response.json() == {"outcome": "ignored", "task": None}
    assert not ImprovementTask.objects.exists()


def test_every_change_is_audited_and_a_redelivery_is_not(webhook):
    webhook(cloud_webhook())
    webhook(cloud_webhook())
    webhook(cloud_webhook(summary="Automate the whole release"))
    verbs = list(AuditEntry.objects.filter(verb__startswith="task.").values_list("verb", flat=True))
    assert sorted(verbs) == ["task.jira_create", "task.jira_update"]
    update = AuditEntry.objects.get(verb="task.jira_update")
    assert update.after["title"] == "Automate the whole release"
    assert "PLAT-7" in update.note
