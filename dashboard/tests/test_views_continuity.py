"""The continuity pages (HR): transfer a person's holdings, hand over with the lead's
holdings, and the orphans report."""

import pytest
from django.urls import reverse

from continuity.selectors import person_holdings
from departments.models import AuditEntry, Person
from departments.tests.factories import PersonFactory
from sops.models import Document
from sops.services import document_create
from techleads.models import TechLeadAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def runbook(org):
    return document_create(
        actor=org.hr, title="Deploy runbook", kind="playbook", department=org.platform,
        owner=org.lea,
    )  # fmt: skip


@pytest.fixture
def hr_page(client, org):
    client.force_login(org.hr)
    return client


@pytest.mark.parametrize(
    ("name", "args"),
    [("person_transfer", ["lea"]), ("orphans", []), ("hand_over_holdings", ["platform"])],
)
@pytest.mark.parametrize(("user", "status"), [("hr", 200), ("maya", 403), ("lea", 403)])
def test_only_hr_opens_the_continuity_pages(client, org, name, args, user, status):
    client.force_login(org.hr if user == "hr" else getattr(org, user).user)
    url = reverse(f"dashboard:{name}", args=[getattr(org, a).pk for a in args])
    assert client.get(url).status_code == status


def test_anonymous_is_sent_to_log_in(client, org):
    response = client.get(reverse("dashboard:orphans"))
    assert response.status_code == 302 and "/login/" in response.url


def test_transfer_page_lists_the_holdings_with_a_receiver_each(hr_page, org, runbook):
    page = hr_page.get(reverse("dashboard:person_transfer", args=[org.lea.pk])).content.decode()
    assert "<title>Transfer what Lea Lead holds" in page
    assert "Tech Lead of Platform" in page and "Deploy runbook" in page
    assert f'name="to_document_{runbook.pk}"' in page
    assert f'href="/documents/{runbook.pk}/"' in page


def test_preview_writes_nothing_then_confirm_moves(hr_page, org, runbook):
    url = reverse("dashboard:person_transfer", args=[org.lea.pk])
    form = {"to": org.ian.pk, "reason": "Lea leaves", f"item_document_{runbook.pk}": "on"}
    audits = AuditEntry.objects.count()

    preview = hr_page.post(url, {**form, "dry_run": "on"})
    assert preview.status_code == 200
    assert "Deploy runbook: to Ian Engineer" in preview.content.decode()
    assert AuditEntry.objects.count() == audits
    assert Document.objects.get(pk=runbook.pk).owner == org.lea

    done = hr_page.post(url, form)
    assert done.status_code == 302 and done.url == reverse("dashboard:person", args=[org.lea.pk])
    assert Document.objects.get(pk=runbook.pk).owner == org.ian
    assert AuditEntry.objects.count() == audits + 1


def test_a_refused_item_is_an_error_on_the_receiver_and_nothing_moves(hr_page, org, runbook):
    url = reverse("dashboard:person_transfer", args=[org.lea.pk])
    response = hr_page.post(
        url,
        {
            "to": org.jo.pk,
            "reason": "Lea leaves",
            f"item_tech_lead_{org.lead.pk}": "on",
            f"item_document_{runbook.pk}": "on",
        },
    )
    assert response.status_code == 200
    assert "Jo Junior: " in response.content.decode()
    assert [h.type for h in person_holdings(org.lea)] == ["tech_lead", "document"]


def test_hand_over_with_holdings_moves_the_checked_items(hr_page, org, runbook):
    url = reverse("dashboard:hand_over_holdings", args=[org.platform.pk])
    page = hr_page.get(url).content.decode()
    assert "Deploy runbook" in page and "Transfer holdings" in page

    response = hr_page.post(
        url,
        {
            "person": org.ian.pk,
            "reason": "Lea moves on",
            "transfer": "on",
            f"item_document_{runbook.pk}": "on",
            f"to_document_{runbook.pk}": org.dana.pk,
        },
    )

    assert response.status_code == 302
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian
    assert Document.objects.get(pk=runbook.pk).owner == org.dana


def test_hand_over_without_transfer_keeps_the_holdings(hr_page, org, runbook):
    url = reverse("dashboard:hand_over_holdings", args=[org.platform.pk])
    hr_page.post(
        url,
        {"person": org.ian.pk, "reason": "Lea moves on", f"item_document_{runbook.pk}": "on"},
    )
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian
    assert Document.objects.get(pk=runbook.pk).owner == org.lea


def test_the_department_page_links_to_the_hand_over_with_holdings(hr_page, org):
    page = hr_page.get(reverse("dashboard:department", args=[org.platform.pk])).content.decode()
    assert reverse("dashboard:hand_over_holdings", args=[org.platform.pk]) in page


def test_orphans_lists_what_inactive_people_hold(
    hr_page, org, runbook, django_assert_max_num_queries
):
    gone = PersonFactory(full_name="Gina Gone", department=org.platform, is_active=False)
    Document.objects.filter(pk=runbook.pk).update(owner=gone)

    with django_assert_max_num_queries(12):
        page = hr_page.get(reverse("dashboard:orphans")).content.decode()

    assert "<title>Orphans" in page
    assert f'href="/documents/{runbook.pk}/"' in page
    assert "Gina Gone" in page
    assert reverse("dashboard:person_transfer", args=[gone.pk]) in page


def test_orphans_cost_the_same_queries_at_any_size(hr_page, org):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            hr_page.get(reverse("dashboard:orphans"))
        return len(ctx)

    def add(n):
        for i in range(n):
            gone = PersonFactory(department=org.platform, is_active=False)
            document_create(actor=org.hr, title=f"Doc {gone.pk} {i}", kind="sop",
                            department=org.platform, owner=gone)  # fmt: skip

    add(3)
    few = count_queries()
    add(30)
    assert count_queries() == few


def test_deactivating_through_the_people_api_leaves_no_orphans(hr_page, org, runbook):
    # The dashboard's orphans report stays empty when the guard is used with transfer_to.
    from continuity.services import person_deactivate

    person_deactivate(actor=org.hr, person=org.lea, transfer_to=org.ian)
    page = hr_page.get(reverse("dashboard:orphans")).content.decode()
    assert "Nothing is held by an inactive person." in page
    assert not Person.objects.get(pk=org.lea.pk).is_active
