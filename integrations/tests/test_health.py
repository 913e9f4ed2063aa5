"""The probes a load balancer calls: /healthz (alive) and /readyz (can serve requests)."""

import socket
from unittest import mock

import pytest
from django.db import OperationalError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_is_ok_without_the_database(client):
    # No `db` fixture: pytest-django fails any query, so this proves none is made.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readyz_checks_the_database_with_one_query(client, settings, django_assert_num_queries):
    settings.REDIS_URL = ""
    with django_assert_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "not configured"},
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_the_database_when_it_fails(client, settings):
    settings.REDIS_URL = ""
    with mock.patch(
        "integrations.health.connection.cursor", side_effect=OperationalError("refused")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_readyz_is_503_naming_the_broker_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "unavailable"}


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_pings_the_configured_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_probes_are_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    response = client.get("/api/v1/departments/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
