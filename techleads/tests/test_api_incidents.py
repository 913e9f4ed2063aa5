"""Incidents in API v1: logging and resolving, a resolution never before the start, an
incident stays in its department, bad input, malformed filters, bounded queries.

Every write answers with the record and leaves an audit entry; bad input is a 400 naming
the field and writes nothing; the list costs the same number of queries whatever its
length. The clock is frozen on 15 May 2030 (the `may_2030` fixture).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from departments.models import AuditEntry
from departments.tests.api import last_audit
from techleads.models import Incident
from techleads.services import incident_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_2030")]

INCIDENTS = "/api/v1/incidents/"


@pytest.fixture
def incident(api, org):
    response = api("maya").post(
        INCIDENTS,
        {
            "department": org.platform.pk,
            "title": "Registry down",
            "severity": "sev1",
            "started_at": "2030-05-15T08:00:00Z",
            "handled_by": org.ian.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_manager_logs_an_incident_and_the_lead_resolves_it(api, org, incident):
    assert (incident["is_open"], incident["resolved_at"]) == (True, None)
    assert last_audit() == ("incident.record", "maya", incident["id"])
    assert [i["id"] for i in api("lea").get(f"{INCIDENTS}?open=true").json()["results"]] == [
        incident["id"]
    ]
    resolved = api("lea").patch(
        f"{INCIDENTS}{incident['id']}/",
        {"resolved_at": "2030-05-15T09:15:00Z", "postmortem_url": "https://wiki.example.com/pm"},
        format="json",
    )
    assert resolved.status_code == 200, resolved.content
    assert (resolved.json()["is_open"], resolved.json()["resolved_at"]) == (
        False,
        "2030-05-15T09:15:00Z",
    )
    assert last_audit() == ("incident.update", "lea", incident["id"])
    assert api("lea").get(f"{INCIDENTS}?open=true").json()["count"] == 0
    assert api("lea").get(f"{INCIDENTS}?open=false").json()["count"] == 1
    assert api("lea").get(f"{INCIDENTS}?severity=sev1").json()["count"] == 1


def test_an_incident_cannot_be_resolved_before_it_started(api, org, incident):
    audited = AuditEntry.objects.count()
    early = api("lea").patch(
        f"{INCIDENTS}{incident['id']}/", {"resolved_at": "2030-05-15T07:00:00Z"}, format="json"
    )
    assert early.status_code == 400
    assert "resolved_at" in early.json()
    backwards = api("lea").post(
        INCIDENTS,
        {
            "department": org.platform.pk,
            "title": "Disk full",
            "severity": "sev3",
            "started_at": "2030-05-15T08:00:00Z",
            "resolved_at": "2030-05-14T08:00:00Z",
        },
        format="json",
    )
    assert backwards.status_code == 400
    assert "resolved_at" in backwards.json()
    assert Incident.objects.get().resolved_at is None
    assert AuditEntry.objects.count() == audited


def test_an_incident_stays_in_its_department(api, org, incident):
    moved = api("hr").patch(
        f"{INCIDENTS}{incident['id']}/", {"department": org.data.pk}, format="json"
    )
    assert moved.status_code == 400 and "department" in moved.json()
    assert Incident.objects.get().department == org.platform


def test_an_inactive_handler_is_a_400(api, org, incident):
    org.jo.is_active = False
    org.jo.save()
    url = f"{INCIDENTS}{incident['id']}/"
    response = api("lea").patch(url, {"handled_by": org.jo.pk}, format="json")
    assert response.status_code == 400 and "handled_by" in response.json()
    assert Incident.objects.get().handled_by == org.ian


# Query counts -------------------------------------------------------------------------


def sixty_incidents(org):
    for i in range(60):
        incident_record(
            actor=org.hr,
            department=org.platform,
            title=f"Incident {i}",
            severity="sev3",
            started_at=timezone.now() - timedelta(hours=i),
            handled_by=org.ian,
        )


# name: (path, rows, queries as HR, as the Tech Lead). Every list costs the token with its
# user, their HR role and person (one query) and the page with the total (one query).
LISTS = {
    "incidents": (INCIDENTS, sixty_incidents, 2, 2),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_at_page_size_5_and_50(api, org, name, django_assert_num_queries):
    path, grow, as_hr, as_lead = LISTS[name]
    grow(org)
    url = path.format(platform=org.platform.pk)
    for role, queries in (("hr", as_hr), ("lea", as_lead)):
        client = api(role)
        for page_size in (5, 50):
            with django_assert_num_queries(queries):
                response = client.get(f"{url}?page_size={page_size}")
            assert len(response.json()["results"]) == page_size
