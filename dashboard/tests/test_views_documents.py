"""The documents list and a document page with its review history and "mark reviewed"."""

import pytest
from django.urls import reverse

from sops.services import document_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def runbook(org):
    """A never-reviewed (stale) SOP of Platform, owned by its Tech Lead, Lea."""
    return document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.platform, last_reviewed_at=None
    )


@pytest.fixture
def guide(org):
    return document_create(actor=org.hr, title="Guide", kind="best_practice", department=org.data)


def test_the_list_filters_by_status_kind_department_and_owner(client, org, runbook, guide):
    client.force_login(org.hr)
    url = reverse("dashboard:documents")
    page = client.get(url, {"status": "stale"}).content.decode()
    assert ">Runbook</a>" in page and ">Guide</a>" not in page and "1 document<" in page
    page = client.get(url, {"kind": "best_practice"}).content.decode()
    assert ">Guide</a>" in page and ">Runbook</a>" not in page
    page = client.get(url, {"department": org.data.pk}).content.decode()
    assert ">Guide</a>" in page and ">Runbook</a>" not in page
    page = client.get(url, {"owner": org.lea.pk}).content.decode()
    assert ">Runbook</a>" in page and ">Guide</a>" not in page
    assert client.get(url, {"department": "x", "status": "?"}).status_code == 200


def test_the_owner_marks_a_document_reviewed(client, org, runbook):
    client.force_login(org.lea.user)
    page = client.get(reverse("dashboard:document", args=[runbook.pk])).content.decode()
    assert "Mark reviewed" in page and "Not reviewed yet." in page
    done = client.post(
        reverse("dashboard:review", args=[runbook.pk]),
        {"outcome": "updated", "notes": "New on-call rota"},
        follow=True,
    )
    page = done.content.decode()
    assert "Review recorded." in page and ">Lea Lead</a> · New on-call rota" in page
    runbook.refresh_from_db()
    assert runbook.status == "current"


def test_retiring_archives_and_the_form_goes_away(client, org, runbook):
    client.force_login(org.hr)
    client.post(reverse("dashboard:review", args=[runbook.pk]), {"outcome": "retired"})
    runbook.refresh_from_db()
    assert runbook.status == "archived"
    page = client.get(reverse("dashboard:document", args=[runbook.pk])).content.decode()
    assert "Mark reviewed" not in page
    again = client.post(reverse("dashboard:review", args=[runbook.pk]), {"outcome": "confirmed"})
    assert "archived; it cannot be reviewed" in again.content.decode()


def test_an_unknown_outcome_is_a_form_error(client, org, runbook):
    client.force_login(org.lea.user)
    response = client.post(reverse("dashboard:review", args=[runbook.pk]), {"outcome": "meh"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_an_employee_reads_but_cannot_review(client, org, runbook):
    client.force_login(org.ian.user)
    page = client.get(reverse("dashboard:document", args=[runbook.pk])).content.decode()
    assert "Runbook" in page and "Mark reviewed" not in page
    refused = client.post(reverse("dashboard:review", args=[runbook.pk]), {"outcome": "retired"})
    assert refused.status_code == 403
    runbook.refresh_from_db()
    assert runbook.status == "stale"


def test_a_login_without_a_person_reads_no_documents(client, org, runbook):
    client.force_login(org.nobody)
    assert client.get(reverse("dashboard:document", args=[runbook.pk])).status_code == 404


def test_the_list_runs_the_same_queries_at_any_size(client, org, grow, django_assert_num_queries):
    """session, user, HR group check, the department choices, count, the page of documents
    with their departments and owners."""
    client.force_login(org.hr)
    for size in (10, 20):
        grow(size)
        with django_assert_num_queries(6):
            assert client.get(reverse("dashboard:documents")).status_code == 200


def test_the_page_runs_the_same_queries_at_any_size(
    client, org, runbook, grow, django_assert_num_queries
):
    """session, user, HR group check (remembered for the review permission), the document
    with its department and owner, its reviews with their reviewers."""
    client.force_login(org.hr)
    url = reverse("dashboard:document", args=[runbook.pk])
    for size in (3, 6):
        grow(size)
        for _ in range(size):
            client.post(reverse("dashboard:review", args=[runbook.pk]), {"outcome": "confirmed"})
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
