from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from departments.models import AuditEntry
from sops.models import Document

pytestmark = pytest.mark.django_db


def test_document_created_in_the_admin_gets_defaults_and_an_audit_entry(hr_client, org):
    response = hr_client.post(
        reverse("admin:sops_document_add"),
        {
            "title": "Deploy runbook",
            "kind": "sop",
            "department": org.platform.pk,
            "url": "https://confluence.example.com/PLAT/deploy",
            "description": "",
            "review_interval_days": "",
            "last_reviewed_at_0": "",
            "last_reviewed_at_1": "",
            # the read-only review history inline still posts its management form
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="Deploy runbook")
    assert (document.owner, document.review_interval_days, document.status) == (
        org.lea,
        90,
        "current",
    )
    assert AuditEntry.objects.filter(verb="document.create", target_id=str(document.pk)).exists()


def test_document_page_shows_the_review_history(hr_client, org):
    from sops.services import document_create, document_review_record

    document = document_create(
        actor=org.hr,
        title="Deploy runbook",
        kind="sop",
        department=org.platform,
        url="https://confluence.example.com/PLAT/deploy",
    )
    document_review_record(document=document, actor=org.lea.user, outcome="confirmed", notes="ok")
    page = hr_client.get(reverse("admin:sops_document_change", args=[document.pk]))
    assert (
        "Document reviews" in page.content.decode()
        and "Confirmed accurate" in page.content.decode()
    )


def test_document_list_and_staleness_pages_render(hr_client, org):
    for name in ("sops_document", "sops_stalenessrun", "sops_notification", "sops_reviewpolicy"):
        assert hr_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_hr_edits_the_staleness_schedule_in_the_admin(hr_client):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="sops.tasks.check_staleness")
    url = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    page = hr_client.get(url)
    assert page.status_code == 200
    # A new time is a new crontab, added from the task's page ("+"); HR does not browse
    # the scheduler's internals (superusers only).
    add = reverse("admin:django_celery_beat_crontabschedule_add")
    assert add in page.content.decode()
    assert hr_client.get(add, {"_popup": 1}).status_code == 200
    assert (
        hr_client.get(reverse("admin:django_celery_beat_crontabschedule_changelist")).status_code
        == 403
    )


# Reviews go through the review service, never through "Last reviewed at" -----------------


@pytest.fixture
def runbook(org):
    from sops.services import document_create

    document = document_create(
        actor=org.hr,
        title="Deploy runbook",
        kind="sop",
        department=org.platform,
        url="https://confluence.example.com/PLAT/deploy",
        last_reviewed_at=timezone.now() - timedelta(days=200),  # imported: long unreviewed
    )
    document.refresh_from_db()
    assert document.status == "stale"
    return document


def change_url(document):
    return reverse("admin:sops_document_change", args=[document.pk])


def review_url(document):
    return reverse("admin:sops_document_review", args=[document.pk])


def change_form(document, **changes):
    data = {
        "title": document.title,
        "kind": document.kind,
        "department": document.department_id,
        "owner": document.owner_id or "",
        "url": document.url,
        "description": document.description,
        "review_interval_days": document.review_interval_days,
        "reviews-TOTAL_FORMS": 0,
        "reviews-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_last_reviewed_at_is_read_only_on_the_change_form(hr_client, org, runbook):
    before = runbook.last_reviewed_at
    page = hr_client.get(change_url(runbook)).content.decode()
    assert 'name="last_reviewed_at_0"' not in page
    assert "Mark reviewed" in page and review_url(runbook) in page
    today = timezone.localtime()
    response = hr_client.post(
        change_url(runbook),
        change_form(
            runbook,
            title="Deploy runbook (v2)",
            last_reviewed_at_0=f"{today:%Y-%m-%d}",
            last_reviewed_at_1=f"{today:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    runbook.refresh_from_db()
    assert runbook.title == "Deploy runbook (v2)"  # the rest of the form still saves
    assert (runbook.last_reviewed_at, runbook.status) == (before, "stale")
    assert not runbook.reviews.exists()
    update = AuditEntry.objects.get(verb="document.update", target_id=str(runbook.pk))
    assert "last_reviewed_at" not in {
        name for name in update.after if update.after[name] != update.before.get(name)
    }


def test_an_import_still_gives_the_real_last_review_when_adding(hr_client, org):
    page = hr_client.get(reverse("admin:sops_document_add")).content.decode()
    assert 'name="last_reviewed_at_0"' in page
    response = hr_client.post(
        reverse("admin:sops_document_add"),
        {
            "title": "Old runbook",
            "kind": "sop",
            "department": org.platform.pk,
            "url": "",
            "description": "",
            "review_interval_days": "",
            "last_reviewed_at_0": "2020-01-02",
            "last_reviewed_at_1": "10:00:00",
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="Old runbook")
    assert (document.last_reviewed_at.year, document.status) == (2020, "stale")


@pytest.mark.parametrize("outcome", ["confirmed", "updated"])
def test_mark_reviewed_records_a_review_and_resets_the_clock(hr_client, org, runbook, outcome):
    page = hr_client.get(review_url(runbook))
    assert page.status_code == 200 and "Deploy runbook" in page.content.decode()
    response = hr_client.post(review_url(runbook), {"outcome": outcome, "notes": "Checked it"})
    assert response.status_code == 302 and response.url == change_url(runbook)
    runbook.refresh_from_db()
    review = runbook.reviews.get()
    assert (review.outcome, review.notes, review.reviewed_by) == (outcome, "Checked it", org.hr)
    assert runbook.status == "current"
    assert timezone.now() - runbook.last_reviewed_at < timedelta(minutes=1)
    entry = AuditEntry.objects.get(verb=f"document.review.{outcome}", target_id=str(runbook.pk))
    assert (entry.actor, entry.note) == (org.hr, "Checked it")
    assert not AuditEntry.objects.filter(verb="document.update").exists()


def test_mark_reviewed_as_retired_archives_the_document(hr_client, org, runbook):
    response = hr_client.post(review_url(runbook), {"outcome": "retired", "notes": "Gone"})
    assert response.status_code == 302
    runbook.refresh_from_db()
    assert runbook.status == "archived" and runbook.archived_at is not None
    assert runbook.reviews.get().outcome == "retired"
    assert AuditEntry.objects.filter(verb="document.review.retired").exists()
    # An archived document is reviewed no more: the service's reason is shown, nothing kept.
    again = hr_client.post(review_url(runbook), {"outcome": "confirmed"})
    assert again.status_code == 200 and "archived" in again.content.decode()
    assert runbook.reviews.count() == 1


def test_mark_reviewed_needs_an_outcome(hr_client, org, runbook):
    response = hr_client.post(review_url(runbook), {"outcome": "", "notes": "x"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not runbook.reviews.exists()


def test_the_mark_reviewed_action_reviews_every_selected_document(hr_client, org, runbook):
    from sops.services import document_create

    other = document_create(actor=org.hr, title="Backups", kind="playbook", department=org.data)
    changelist = reverse("admin:sops_document_changelist")
    selected = {"action": "mark_reviewed", "_selected_action": [runbook.pk, other.pk]}
    page = hr_client.post(changelist, selected)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Deploy runbook" in text and "Backups" in text and 'name="outcome"' in text
    assert not runbook.reviews.exists()  # the intermediate page only asks
    response = hr_client.post(
        changelist, {**selected, "apply": "1", "outcome": "confirmed", "notes": "Quarterly"}
    )
    assert response.status_code == 302
    for document in (runbook, other):
        document.refresh_from_db()
        assert document.status == "current"
        assert document.reviews.get().notes == "Quarterly"
    assert AuditEntry.objects.filter(verb="document.review.confirmed").count() == 2


def test_only_hr_marks_documents_reviewed_in_the_admin(client, org, runbook):
    staff = org.lea.user  # the Tech Lead may review on the dashboard, not in HR's admin
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(review_url(runbook)).status_code == 403
    assert client.post(review_url(runbook), {"outcome": "confirmed"}).status_code == 403
    changelist = reverse("admin:sops_document_changelist")
    client.post(
        changelist,
        {
            "action": "mark_reviewed",
            "_selected_action": [runbook.pk],
            "apply": "1",
            "outcome": "confirmed",
        },
    )
    assert not runbook.reviews.exists()
    runbook.refresh_from_db()
    assert runbook.status == "stale"
