"""Integration logins (the Jira endpoint's, an HRIS sync's): `manage.py create_integration
NAME` and HR's admin page create them and show the token once; rotating replaces the
token, revoking stops the login; every change is audited."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.constants import INTEGRATION_GROUP
from departments.errors import DomainError, Forbidden
from departments.models import AuditEntry
from departments.services import integration_create, integration_revoke, integration_rotate

pytestmark = pytest.mark.django_db
BULK = "/api/v1/people/bulk-upsert/"


def token_works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(BULK, [{"employee_id": "NOBODY-YET"}], format="json")
    return response.status_code == 400  # authenticated, allowed, and the row is refused


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("create_integration", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The command --------------------------------------------------------------------------


def test_the_command_creates_a_login_and_prints_its_token_once(org):
    out, err = run("jira-automation")
    key = out.strip()
    assert key == Token.objects.get(user__username="jira-automation").key
    assert "shown only this once" in err
    login = get_user_model().objects.get(username="jira-automation")
    assert login.groups.filter(name=INTEGRATION_GROUP).exists()
    assert not login.has_usable_password() and not login.is_staff
    assert token_works(key)
    entry = AuditEntry.objects.get(verb="integration.create")
    assert (entry.actor, entry.target_id) == (None, str(login.pk))
    assert key not in str(entry.after) + entry.note


def test_running_it_again_refuses_unless_rotating(org):
    first = run("hris-sync")[0].strip()
    with pytest.raises(CommandError, match="already exists.*--rotate"):
        run("hris-sync")
    assert token_works(first)
    second = run("hris-sync", "--rotate")[0].strip()
    assert second != first
    assert token_works(second) and not token_works(first)
    assert AuditEntry.objects.filter(verb="integration.rotate").count() == 1


def test_it_never_turns_a_person_s_login_into_an_integration(org):
    with pytest.raises(CommandError, match="already exists"):
        run("lea")
    with pytest.raises(CommandError, match="lea is not an integration login"):
        run("lea", "--rotate")
    assert not Token.objects.filter(user__username="lea").exists()


@pytest.mark.parametrize("name", ["", "has spaces", "x" * 151])
def test_a_bad_name_is_refused(db, name):
    with pytest.raises(CommandError):
        run(name)
    assert not Token.objects.exists()


# The services -------------------------------------------------------------------------


def test_revoking_stops_the_token_and_rotating_brings_the_login_back(org):
    login, key = integration_create(actor=org.hr, name="jira-automation")
    integration_revoke(actor=org.hr, login=login)
    login.refresh_from_db()
    assert not login.is_active and not token_works(key)
    integration_revoke(actor=org.hr, login=login)  # again: nothing to change
    assert AuditEntry.objects.filter(verb="integration.revoke").count() == 1
    fresh = integration_rotate(actor=org.hr, login=login)
    login.refresh_from_db()
    assert login.is_active and token_works(fresh)


def test_only_hr_manages_integration_logins(org):
    with pytest.raises(Forbidden):
        integration_create(actor=org.lea.user, name="sneaky")
    login, _ = integration_create(actor=org.hr, name="jira-automation")
    with pytest.raises(Forbidden):
        integration_revoke(actor=org.maya.user, login=login)
    with pytest.raises(DomainError, match="already exists"):
        integration_create(actor=org.hr, name="jira-automation")


# The admin ----------------------------------------------------------------------------

CHANGELIST = "admin:departments_integrationlogin_changelist"
ADD = "admin:departments_integrationlogin_add"


def test_hr_creates_a_login_and_sees_the_token_once(hr_client, org):
    response = hr_client.post(reverse(ADD), {"username": "jira-automation"}, follow=True)
    assert response.status_code == 200
    key = Token.objects.get(user__username="jira-automation").key
    assert key in response.content.decode()  # the message, on the page after the save
    assert AuditEntry.objects.get(verb="integration.create").actor == org.hr
    listing = hr_client.get(reverse(CHANGELIST))
    # Only integrations: the people's logins (hr, lea...) are not listed.
    assert [u.username for u in listing.context["cl"].result_list] == ["jira-automation"]
    assert key not in listing.content.decode()  # once only


def test_a_taken_name_is_a_form_error(hr_client, org):
    response = hr_client.post(reverse(ADD), {"username": "lea"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not AuditEntry.objects.filter(verb="integration.create").exists()


def test_hr_revokes_and_rotates_from_the_list(hr_client, org):
    login, key = integration_create(actor=org.hr, name="jira-automation")
    url = reverse(CHANGELIST)
    hr_client.post(url, {"action": "revoke", "_selected_action": [login.pk]})
    login.refresh_from_db()
    assert not login.is_active and not token_works(key)
    response = hr_client.post(
        url, {"action": "rotate", "_selected_action": [login.pk]}, follow=True
    )
    fresh = Token.objects.get(user=login).key
    assert fresh in response.content.decode()
    assert token_works(fresh)
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"integration.revoke", "integration.rotate"} <= verbs
    page = hr_client.get(reverse("admin:departments_integrationlogin_change", args=[login.pk]))
    assert page.status_code == 200 and fresh not in page.content.decode()


def test_only_hr_sees_integration_logins(client, org):
    staff = org.lea.user
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.post(reverse(ADD), {"username": "sneaky"}).status_code == 403
    assert not get_user_model().objects.filter(username="sneaky").exists()
