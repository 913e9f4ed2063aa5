"""Shared helpers for API tests: a client logged in (by token) as one of the org's roles,
and the audit entry the last write left."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from departments.models import AuditEntry

ROLES = ["hr", "maya", "max", "lea", "ian", "nobody", "anonymous"]


def user_for(org, role):
    return {
        "hr": org.hr,
        "maya": org.maya.user,
        "max": org.max.user,
        "lea": org.lea.user,
        "ian": org.ian.user,
        "nobody": org.nobody,
        "anonymous": None,
    }[role]


def client_for(org, role) -> APIClient:
    client = APIClient()
    user = user_for(org, role)
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(org):
    """api("hr").get(...): a token-authenticated client per role."""
    return lambda role: client_for(org, role)


def last_audit() -> tuple[str, str, int]:
    """(verb, actor's username, target id) of the newest audit entry."""
    entry = AuditEntry.objects.select_related("actor").order_by("-id").first()
    return entry.verb, entry.actor.username, int(entry.target_id)
