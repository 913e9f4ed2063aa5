"""Security headers on every kind of response, and sessions that end when idle (README,
Security and reliability)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_secure_headers(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"], "no inline script, nothing from elsewhere"
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def hr(hr_client, org):
    return hr_client


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # the overview
        ("/departments/", 200),
        ("/api/v1/departments/", 200),
        ("/api/v1/no-such-thing/", 404),
        ("/no-such-page/", 404),
        ("/admin/", 200),
        ("/api/docs/", 200),
        ("/api/docs/?script=", 200),
    ],
)
def test_every_kind_of_response_carries_the_headers(hr, path, status):
    response = hr.get(path)
    assert response.status_code == status
    assert_secure_headers(response)


def test_static_files_are_not_sniffed(client):
    """Served by WhiteNoise before the page middleware: a stylesheet is not a document, so
    no policy of its own, but its type is never guessed."""
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/login/", "/admin/login/"])
def test_login_pages_carry_the_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_secure_headers(response)


def test_token_api_and_its_errors_carry_the_headers(client, org):
    assert_secure_headers(client.post("/api/v1/auth/token/", {"username": "hr"}))
    token = Token.objects.create(user=org.hr)
    answer = client.get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert answer.status_code == 200
    assert_secure_headers(answer)


def test_pages_have_no_inline_script_or_style(hr, org):
    for path in ["/", "/departments/", f"/departments/{org.platform.pk}/", "/api/docs/"]:
        page = hr.get(path).content.decode()
        assert "<script>" not in page and "<style" not in page, path
        assert " style=" not in page and " onclick=" not in page, path


def test_the_docs_load_their_script_from_a_url(hr):
    page = hr.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in page
    script = hr.get("/api/docs/?script=")
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def log_in(client, user):
    response = client.post(reverse("dashboard:login"), {"username": user, "password": PASSWORD})
    assert response.status_code == 302


def test_a_session_ends_after_the_idle_time_and_each_request_renews_it(client, org, settings):
    assert settings.SESSION_IDLE_MINUTES == 60 and settings.SESSION_COOKIE_AGE == 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "hr")
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get("/departments/").status_code == 200, "renewed here"
    with time_machine.travel(start + timedelta(minutes=100), tick=False):
        assert client.get("/departments/").status_code == 200, "50 minutes idle: still in"
    with time_machine.travel(start + timedelta(minutes=161), tick=False):
        gone = client.get("/departments/")
        assert gone.status_code == 302 and reverse("dashboard:login") in gone["Location"]


def test_the_session_cookie_lasts_the_idle_time(client, org):
    log_in(client, "hr")
    cookie = client.cookies["sessionid"]
    assert int(cookie["max-age"]) == 3600 and cookie["httponly"]
