"""The staleness check: statuses, digests, escalation, HR report, idempotency."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sops.models import Document, Notification, StalenessRun
from sops.services import document_create, document_review_record, document_update
from sops.staleness import staleness_check_run

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture
def docs(org):
    """Platform (owner Lea): a current SOP, one 80 days old (due soon in a week), one
    stale; Data: an ownerless playbook."""
    now = timezone.now()

    def make(title, age, department=org.platform, **kw):
        return document_create(
            actor=org.hr,
            title=title,
            kind="sop",
            department=department,
            last_reviewed_at=now - age * DAY,
            **kw,
        )

    return {
        "fresh": make("Fresh", 1),
        "ageing": make("Ageing", 70),
        "old": make("Old", 100),
        "orphan": make("Orphan", 100, department=org.data),
    }


def test_first_run_is_full_and_each_owner_gets_one_digest(org, docs):
    run = staleness_check_run()
    assert run.full_scan and run.finished_at and run.errors == ""
    digests = Notification.objects.filter(kind="digest")
    assert [(n.recipient, n.documents.count()) for n in digests] == [(org.lea, 1)]
    assert "Old" in digests.get().body
    hr = Notification.objects.get(kind="hr_report")
    assert hr.recipient is None and list(hr.documents.all()) == [docs["orphan"]]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org.lea.email, org.hr.email])
    assert run.notifications_sent == 2


def test_second_run_the_same_day_sends_nothing(org, docs):
    staleness_check_run()
    sent = len(mail.outbox)
    run = staleness_check_run()
    assert not run.full_scan
    assert (run.status_changes, run.notifications_sent) == (0, 0)
    assert len(mail.outbox) == sent
    assert Notification.objects.count() == 2


def test_time_passing_moves_statuses_and_reports_only_the_change(org, docs):
    staleness_check_run()
    with time_machine.travel(timezone.now() + 8 * DAY):
        run = staleness_check_run()
    assert run.status_changes == 1
    docs["ageing"].refresh_from_db()
    assert docs["ageing"].status == "due_soon"
    latest = Notification.objects.filter(kind="digest").order_by("-id").first()
    assert list(latest.documents.all()) == [docs["ageing"]]
    with time_machine.travel(timezone.now() + 30 * DAY):
        staleness_check_run()
    docs["ageing"].refresh_from_db()
    assert docs["ageing"].status == "stale"


def test_incremental_run_agrees_with_a_full_one(org, docs):
    staleness_check_run()
    with time_machine.travel(timezone.now() + 25 * DAY):
        staleness_check_run()
        incremental = dict(Document.objects.values_list("title", "status"))
        staleness_check_run(full=True)
        assert dict(Document.objects.values_list("title", "status")) == incremental


def test_long_stale_documents_escalate_once_to_the_manager(org, docs, settings):
    settings.STALENESS_ESCALATION_DAYS = 5
    staleness_check_run()
    escalations = {
        n.recipient: list(n.documents.all()) for n in Notification.objects.filter(kind="escalation")
    }
    assert escalations == {org.maya: [docs["old"]], org.max: [docs["orphan"]]}
    before = Notification.objects.count()
    staleness_check_run()
    assert Notification.objects.count() == before


def test_review_resets_the_clock_and_a_later_lapse_is_reported_again(org, docs):
    staleness_check_run()
    document_review_record(document=docs["old"], actor=org.lea.user, outcome="confirmed")
    docs["old"].refresh_from_db()
    assert docs["old"].status == "current" and docs["old"].escalated_at is None
    with time_machine.travel(timezone.now() + 91 * DAY):
        staleness_check_run()
    digest = Notification.objects.filter(kind="digest", recipient=org.lea).order_by("-id").first()
    assert docs["old"] in digest.documents.all()


def test_inactive_owner_goes_to_hr(org, docs):
    document_update(actor=org.hr, document=docs["old"], owner=org.ian)
    org.ian.is_active = False
    org.ian.save()
    staleness_check_run()
    hr = Notification.objects.get(kind="hr_report")
    assert set(hr.documents.all()) == {docs["old"], docs["orphan"]}


def test_a_crashed_run_leaves_emails_for_the_next(org, docs):
    from unittest import mock

    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionError("smtp down"),
    ):
        run = staleness_check_run()
    assert "smtp down" in run.errors and len(mail.outbox) == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    staleness_check_run()
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_long_digests_are_capped(org, settings):
    from sops import staleness

    old = timezone.now() - 200 * DAY
    for i in range(5):
        document_create(
            actor=org.hr,
            title=f"Doc {i}",
            kind="sop",
            department=org.platform,
            last_reviewed_at=old,
        )
    settings.STALENESS_ESCALATION_DAYS = 1000
    original = staleness.DIGEST_LIMIT
    staleness.DIGEST_LIMIT = 2
    try:
        staleness_check_run()
    finally:
        staleness.DIGEST_LIMIT = original
    digest = Notification.objects.get(kind="digest")
    assert (digest.documents.count(), digest.more_documents) == (2, 3)
    assert "… and 3 more." in digest.body


def test_the_command_prints_progress_and_a_summary(org, docs, capsys):
    call_command("check_staleness")
    out = capsys.readouterr().out
    assert "recomputing statuses (full)" in out
    assert out.strip().splitlines()[-1].startswith("check_staleness: ")
    assert StalenessRun.objects.count() == 1


def test_a_failing_run_is_recorded(org, docs):
    from unittest import mock

    with mock.patch("sops.staleness.statuses_recompute", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            staleness_check_run()
    run = StalenessRun.objects.get()
    assert run.errors == "RuntimeError: disk full" and run.finished_at


def test_the_daily_schedule_exists_and_is_editable(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="sops.tasks.check_staleness")
    assert task.enabled and task.crontab.hour == "6"
