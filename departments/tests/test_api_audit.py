"""`GET /api/v1/audit-entries/`: the audit trail for HR, read-only, filtered by the same
AuditEntryFilter as the dashboard's /audit/ page."""

import pytest

from departments.models import AuditEntry
from departments.services import audit_entry_build, audit_entry_create
from departments.tests.api import ROLES

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit-entries/"


@pytest.fixture
def trail(org):
    audit_entry_create(
        actor=org.maya.user,
        verb="department.update",
        target=org.data,
        department=org.data,
        before={"name": "Data"},
        after={"name": "Data & AI"},
    )
    return org


@pytest.mark.parametrize("role", ROLES)
def test_only_hr_reads_the_trail(api, trail, role):
    expected = {"hr": 200, "anonymous": 401}.get(role, 403)
    assert api(role).get(URL).status_code == expected


def test_hr_lists_entries_newest_first_and_filters_them(api, trail):
    body = api("hr").get(URL).json()
    assert body["count"] == 2
    newest = body["results"][0]
    assert newest["verb"] == "department.update"
    assert newest["actor"] == "maya" and newest["actor_id"] == trail.maya.user.pk
    assert newest["department"] == trail.data.pk
    assert newest["before"] == {"name": "Data"} and newest["after"] == {"name": "Data & AI"}
    assert body["results"][1]["verb"] == "techlead.assign"

    hr = api("hr")
    assert hr.get(URL, {"verb_prefix": "techlead."}).json()["count"] == 1
    assert hr.get(URL, {"actor": "maya"}).json()["count"] == 1
    assert hr.get(URL, {"department": "data"}).json()["count"] == 1
    assert hr.get(URL, {"search": "platform"}).json()["count"] == 1
    assert hr.get(URL, {"since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    assert hr.get(URL, {"since": "someday"}).status_code == 400
    assert hr.get(URL, {"colour": "red"}).status_code == 400
    entry = AuditEntry.objects.get(verb="department.update")
    assert hr.get(f"{URL}{entry.pk}/").json()["target_repr"] == "Data"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_writes_through_the_api_not_even_hr(api, trail, method):
    entry = AuditEntry.objects.get(verb="department.update")
    target = URL if method == "post" else f"{URL}{entry.pk}/"
    response = getattr(api("hr"), method)(target, {"note": "rewritten"}, format="json")
    assert response.status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_the_list_runs_the_same_queries_at_any_size(api, org, django_assert_num_queries):
    """token with its user and HR role, the page of entries with their actors and the
    total."""
    hr = api("hr")
    for size in (10, 30):
        AuditEntry.objects.bulk_create(
            audit_entry_build(actor=org.hr, verb="department.update", target=org.data)
            for _ in range(size)
        )
        with django_assert_num_queries(2):
            assert hr.get(URL).status_code == 200
