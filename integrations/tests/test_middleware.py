"""PostgreSQL (or any database) unreachable: a 503 everywhere, never a 500, and the next
request after it is back succeeds."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponse
from django.test import RequestFactory

from integrations.middleware import DatabaseUnavailableMiddleware


@contextmanager
def database_down():
    """Every query fails as it does when the server is unreachable."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


@pytest.fixture
def logged_in(client, org):
    client.force_login(org.hr)
    return client


def test_pages_are_a_plain_503_page(logged_in):
    with database_down():
        response = logged_in.get("/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "<title>Service unavailable</title>" in body and "Traceback" not in body


def test_the_login_page_is_a_503_too(client, db):
    with database_down():
        response = client.post("/login/", {"username": "hr", "password": "x"})
    assert response.status_code == 503


def test_the_api_answers_json_503(api):
    hr = api("hr")
    with database_down():
        response = hr.get("/api/v1/departments/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "database" in response.json()["detail"]


def test_probes_while_the_database_is_down(client, db):
    with database_down():
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_the_next_request_after_the_outage_succeeds(logged_in, api):
    with database_down():
        assert logged_in.get("/").status_code == 503
    assert logged_in.get("/").status_code == 200
    assert api("hr").get("/api/v1/departments/").status_code == 200


@pytest.mark.parametrize("error", [OperationalError("gone"), InterfaceError("closed")])
def test_an_error_in_a_lower_middleware_is_a_503_not_a_500(rf: RequestFactory, error, settings):
    """Django turns an exception raised by a middleware (the session's save, say) into a
    500 response before the middleware above sees it; this one replaces that response."""
    settings.DEBUG = False

    def session_save_fails(request):
        raise error

    inner = convert_exception_to_response(session_save_fails)
    middleware = DatabaseUnavailableMiddleware(inner)
    page = middleware(rf.get("/people/"))
    assert page.status_code == 503 and page["Content-Type"].startswith("text/html")
    api = middleware(rf.get("/api/v1/people/"))
    assert api.status_code == 503 and api["Content-Type"] == "application/json"


def test_other_errors_pass_through(rf: RequestFactory):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse("fine"))
    assert middleware(rf.get("/")).status_code == 200
    assert middleware.process_exception(rf.get("/"), ValueError("bug")) is None
