import pytest
from django.urls import reverse

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
    assert hr_client.get(url).status_code == 200
    assert (
        hr_client.get(reverse("admin:django_celery_beat_crontabschedule_changelist")).status_code
        == 200
    )
