"""Login protection (README, Security and reliability): after LOGIN_FAILURE_LIMIT failed
logins for one username from one address within LOGIN_LOCKOUT_MINUTES, that pair is
refused, the right password included, until the period has passed; a success resets the
count; X-Forwarded-For counts only with USE_X_FORWARDED_FOR; HR clears a lockout in the
admin, audited."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from departments.models import AuditEntry
from departments.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
PASSWORD = "correct-horse-battery"  # UserFactory's
LIMIT = 10
LOCKED_TEXT = "Too many failed login attempts"


@pytest.fixture
def user(db):
    return UserFactory(username="alex")


def token_attempt(client, password, username="alex", **extra):
    return client.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def fail_token(client, times, **extra):
    return [token_attempt(client, "wrong", **extra).status_code for _ in range(times)]


def test_the_defaults_are_the_contract():
    assert settings.LOGIN_FAILURE_LIMIT == LIMIT
    assert settings.LOGIN_LOCKOUT_MINUTES == 15
    assert settings.USE_X_FORWARDED_FOR is False


def test_token_endpoint_locks_after_the_limit_then_unlocks_after_the_period(user):
    client = APIClient()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        statuses = fail_token(client, LIMIT - 1)
        assert statuses == [400] * (LIMIT - 1)
        assert token_attempt(client, "wrong").status_code in (400, 429)  # the limit-th
        refused = token_attempt(client, PASSWORD)
        assert refused.status_code == 429
        assert refused.json() == {"detail": refused.json()["detail"]}
        assert LOCKED_TEXT in refused.json()["detail"]
        assert "token" not in refused.json()
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert token_attempt(client, PASSWORD).status_code == 429, "still locked"
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        unlocked = token_attempt(client, PASSWORD)
        assert unlocked.status_code == 200 and unlocked.json()["token"]


def test_another_username_or_address_is_not_locked(user):
    UserFactory(username="blair")
    client = APIClient()
    fail_token(client, LIMIT)
    assert token_attempt(client, PASSWORD).status_code == 429
    assert token_attempt(client, PASSWORD, username="blair").status_code == 200
    other_address = token_attempt(client, PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


def test_a_success_resets_the_count(user):
    client = APIClient()
    fail_token(client, LIMIT - 1)
    assert token_attempt(client, PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username="alex").exists()
    assert fail_token(client, LIMIT - 1) == [400] * (LIMIT - 1), "counting from zero again"
    assert token_attempt(client, PASSWORD).status_code == 200


def test_the_dashboard_login_page_shows_the_lockout(user):
    client = Client()
    login = reverse("dashboard:login")
    for _ in range(LIMIT):
        client.post(login, {"username": "alex", "password": "wrong"})
    page = client.post(login, {"username": "alex", "password": PASSWORD})
    assert page.status_code == 429
    body = page.content.decode()
    assert LOCKED_TEXT in body and 'role="alert"' in body
    assert '<form method="post"' in body, "the login form is still there"
    assert "_auth_user_id" not in client.session


def test_the_dashboard_login_works_below_the_limit_and_resets(user):
    client = Client()
    login = reverse("dashboard:login")
    for _ in range(LIMIT - 1):
        assert client.post(login, {"username": "alex", "password": "wrong"}).status_code == 200
    assert client.post(login, {"username": "alex", "password": PASSWORD}).status_code == 302
    assert not AccessAttempt.objects.filter(username="alex").exists()


def test_the_admin_login_shows_the_lockout(user):
    user.is_staff = True
    user.save()
    client = Client()
    login = reverse("admin:login")
    for _ in range(LIMIT):
        client.post(login, {"username": "alex", "password": "wrong"})
    page = client.post(login, {"username": "alex", "password": PASSWORD, "next": "/admin/"})
    assert page.status_code == 429
    body = page.content.decode()
    assert LOCKED_TEXT in body and 'class="errornote"' in body
    assert "_auth_user_id" not in client.session


def test_x_forwarded_for_is_ignored_by_default(user):
    """Two forwarded addresses from one REMOTE_ADDR: one count."""
    client = APIClient()
    for n in range(LIMIT):
        token_attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 2 + 1}")
    refused = token_attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert refused.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_x_forwarded_for_counts_with_use_x_forwarded_for(user, settings):
    settings.USE_X_FORWARDED_FOR = True
    client = APIClient()
    for n in range(LIMIT):
        token_attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 2 + 1}")
    # Five failures each: neither address is locked.
    for address in ("203.0.113.1", "203.0.113.2"):
        ok = token_attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {address}")
        assert ok.status_code == 200, address
    fail_token(client, LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.3")
    assert token_attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.3").status_code == 429
    assert token_attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.4").status_code == 200


def test_hr_clears_a_lockout_in_the_admin_and_it_is_audited(user, hr_client, org):
    fail_token(APIClient(), LIMIT)
    assert token_attempt(APIClient(), PASSWORD).status_code == 429
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = hr_client.get(changelist)
    assert page.status_code == 200
    assert "alex" in page.content.decode() and "Locked Out" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="alex")
    done = hr_client.post(
        changelist, {"action": "reset", ACTION_CHECKBOX_NAME: [attempt.pk]}, follow=True
    )
    assert "1 lockout record(s) cleared." in done.content.decode()
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(verb="login_lockout_reset")
    assert entry.actor == org.hr and entry.before["username"] == "alex"
    assert entry.before["failures"] == LIMIT
    assert token_attempt(APIClient(), PASSWORD).status_code == 200


def test_only_hr_sees_the_lockouts(user, client, org):
    org.ian.user.is_staff = True
    org.ian.user.save()
    client.force_login(org.ian.user)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert client.get(changelist).status_code == 403


def test_the_schema_documents_the_lockout(api):
    schema = api("hr").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    responses = schema["paths"][TOKEN]["post"]["responses"]
    assert set(responses) == {"200", "429"}
    locked = responses["429"]["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][locked.rsplit("/", 1)[-1]]["required"] == ["detail"]
