"""The audit trail page (/audit/) and its CSV export: HR only, filtered by the API's
AuditEntryFilter, each entry a sentence with its raw before/after."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from departments.models import AuditEntry
from departments.services import audit_entry_build, audit_entry_create

pytestmark = pytest.mark.django_db

PAGE, EXPORT = reverse("dashboard:audit"), reverse("dashboard:audit_export")


@pytest.fixture
def trail(org):
    """Besides the org's assignment of Lea (techlead.assign, by HR): an update of Data by
    Maya and a formula-looking note written by the system."""
    audit_entry_create(
        actor=org.maya.user,
        verb="department.update",
        target=org.data,
        department=org.data,
        before={"name": "Data"},
        after={"name": "Data & AI"},
    )
    audit_entry_create(actor=None, verb="person.import_update", target=org.ian, note="=1+1")
    return org


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("role", ["maya", "max", "lea", "ian", "nobody"])
def test_only_hr_reads_the_trail(client, trail, role):
    user = {"maya": trail.maya.user, "max": trail.max.user, "lea": trail.lea.user}.get(role)
    user = user or {"ian": trail.ian.user, "nobody": trail.nobody}[role]
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert b'href="/audit/"' not in client.get(reverse("dashboard:overview")).content


def test_anonymous_visitors_are_sent_to_log_in(client, trail):
    for url in (PAGE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("dashboard:login"))


def test_hr_reads_every_entry_as_a_sentence_newest_first(client, trail):
    client.force_login(trail.hr)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/audit/" aria-current="page"' in page  # in the nav, for HR
    assert "3 entries" in page
    assert "maya recorded department update: Data" in page
    assert "assigned Lea Lead as Tech Lead of" in page
    # Newest first: the import (last written) above the assignment (first written).
    assert page.index("person import update") < page.index("assigned Lea Lead")
    # The raw before/after, folded.
    assert "<details>" in page and "&quot;Data &amp; AI&quot;" in page


def test_the_filters_narrow_the_list(client, trail):
    client.force_login(trail.hr)
    page = client.get(PAGE, {"verb_prefix": "techlead."}).content.decode()
    assert "1 entry" in page and "assigned Lea Lead" in page
    page = client.get(PAGE, {"actor": "maya"}).content.decode()
    assert "1 entry" in page and "department update" in page
    page = client.get(PAGE, {"actor": str(trail.hr.pk)}).content.decode()
    assert "1 entry" in page and "assigned Lea Lead" in page
    page = client.get(PAGE, {"department": trail.data.slug, "search": "data"}).content.decode()
    assert "1 entry" in page
    later = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert "0 entries" in client.get(PAGE, {"since": later}).content.decode()
    assert "3 entries" in client.get(PAGE, {"until": later}).content.decode()
    page = client.get(PAGE, {"verb": "person.import_update"}).content.decode()
    assert "1 entry" in page
    # A malformed value is shown beside its field and filters nothing.
    page = client.get(PAGE, {"since": "yesterday"}).content.decode()
    assert 'class="error"' in page and "3 entries" in page


def test_the_export_is_the_filtered_list_as_csv(client, trail):
    client.force_login(trail.hr)
    response = client.get(EXPORT, {"actor": "maya"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="audit-trail-{today}.csv"'
    (row,) = csv_rows(response)
    entry = AuditEntry.objects.get(verb="department.update")
    assert row == {
        "created_at": entry.created_at.isoformat(),
        "actor": "maya",
        "verb": "department.update",
        "target_type": "departments.department",
        "target_id": str(trail.data.pk),
        "target_repr": "Data",
        "department": "Data",
        "before": '{"name": "Data"}',
        "after": '{"name": "Data & AI"}',
        "note": "",
    }
    assert json.loads(row["after"]) == {"name": "Data & AI"}


def test_the_export_has_every_entry_and_defuses_formulas(client, trail):
    client.force_login(trail.hr)
    rows = csv_rows(client.get(EXPORT))
    assert [r["verb"] for r in rows] == [
        "person.import_update",
        "department.update",
        "techlead.assign",
    ]
    system = rows[0]
    assert system["actor"] == "" and system["department"] == "" and system["before"] == "null"
    assert system["note"] == "'=1+1"  # not a formula to a spreadsheet


def test_a_malformed_filter_is_a_400_not_a_wider_export(client, trail):
    client.force_login(trail.hr)
    response = client.get(EXPORT, {"since": "yesterday"})
    assert response.status_code == 400
    assert b"since" in response.content


def grow(org, size):
    AuditEntry.objects.bulk_create(
        audit_entry_build(
            actor=org.maya.user,
            verb="department.update",
            target=org.data,
            department_id=org.data.pk,
        )
        for _ in range(size)
    )


def app_queries(captured) -> list[str]:
    """The queries of the page itself: the session's own reads and writes (which depend on
    the session settings) left out."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


def test_the_page_runs_the_same_queries_at_any_size(client, org):
    """user, HR group check, the department choices, count, the page of entries with their
    actors and departments."""
    client.force_login(org.hr)
    totals = []
    for size in (10, 30):
        grow(org, size)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        assert len(app_queries(captured)) == 5, app_queries(captured)
        totals.append(len(captured))
    assert totals[0] == totals[1]


def test_the_export_runs_the_same_queries_at_any_size(client, org):
    """user, HR group check, the entries with their actors and departments (one query per
    2000 rows)."""
    client.force_login(org.hr)
    totals = []
    for size in (10, 30):
        grow(org, size)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(EXPORT)
            rows = csv_rows(response)
        assert len(rows) == AuditEntry.objects.count()
        assert len(app_queries(captured)) == 3, app_queries(captured)
        totals.append(len(captured))
    assert totals[0] == totals[1]
