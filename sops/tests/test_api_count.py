"""The documents list's total: from the summary when its filters allow, so a list of a
million documents runs no COUNT over them; a COUNT when only one answers (a search)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sops.services import document_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/sops/"


@pytest.fixture
def documents(org):
    for n in range(7):
        department = org.platform if n < 5 else org.data
        document_create(
            actor=org.hr,
            title=f"Runbook {n}",
            kind="tool" if n % 3 == 0 else "sop",
            department=department,
            last_reviewed_at=None if n % 2 else timezone.now(),  # never reviewed: stale
        )


def counted(client, query=""):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL + query).json()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    return body, counts


@pytest.mark.parametrize(
    "query",
    ["", "?status=stale", "?kind=tool", "?department=platform", "?department=data&status=stale"],
)
def test_the_total_comes_from_the_summary_and_is_the_true_count(api, org, documents, query):
    body, counts = counted(api("hr"), query + ("&" if query else "?") + "page_size=2")
    assert not counts  # no COUNT over the documents
    every = api("hr").get(URL + query + ("&" if query else "?") + "page_size=500").json()
    assert body["count"] == len(every["results"]) and len(body["results"]) <= 2


def test_a_search_counts_the_usual_way(api, org, documents):
    body, counts = counted(api("hr"), "?search=Runbook%201&page_size=2")
    assert body["count"] == 1 and counts


def test_a_page_past_the_summary_s_total_is_a_404(api, org, documents):
    assert api("hr").get(URL + "?page=9&page_size=2").status_code == 404
