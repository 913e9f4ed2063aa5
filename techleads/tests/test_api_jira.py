"""The Jira sync endpoint: integration token only, idempotent, clear errors."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.constants import INTEGRATION_GROUP
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
