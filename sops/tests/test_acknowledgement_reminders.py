"""Acknowledgement reminders: who is reminded of which processes, once, and when again."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from departments.tests.factories import PersonFactory
from sops import staleness
from sops.models import Notification, StalenessRun
from sops.services import document_create, document_review_record, process_acknowledge
from sops.staleness import acknowledgement_reminders_create, staleness_check_run

pytestmark = pytest.mark.django_db
DAYS = 7
# The first moment of a reminder period (epoch days a multiple of 7), and the middle of it.
PERIOD_START = datetime(2026, 1, 1, tzinfo=UTC)
MIDWEEK = PERIOD_START + timedelta(days=3, hours=12)


@pytest.fixture(autouse=True)
def clock(settings):
    """Every test starts in the middle of a period; the clock ticks, as between runs."""
    settings.ACKNOWLEDGEMENT_REMINDER_DAYS = DAYS
    with time_machine.travel(MIDWEEK, tick=True):
        yield


def process_create(org, title, involved, **kw):
    return document_create(
        actor=org.hr,
        title=title,
        kind="cross_department_process",
        department=org.platform,
        url=f"https://wiki.example.com/{title.lower().replace(' ', '-')}",
        involved_departments=involved,
        **kw,
    )


@pytest.fixture
def process(org):
    """Platform's incident process, involving Platform (Maya, Lea, Ian, Jo); Data (Max,
    Dana) is not involved."""
    return process_create(org, "Incident hand-over", [org.platform])


def reminders(person=None):
    found = Notification.objects.filter(kind=Notification.Kind.ACKNOWLEDGEMENT)
    return found.filter(recipient=person) if person else found


def emails_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_a_person_who_has_not_acknowledged_gets_one_reminder_and_an_email(org, process):
    run = staleness_check_run()
    reminder = reminders(org.ian).get()
    assert reminder.subject == "1 process(es) to acknowledge"
    assert list(reminder.documents.all()) == [process]
    assert reminder.more_documents == 0
    assert (
        "- Incident hand-over, version 1 (Platform) https://wiki.example.com/incident-hand-over"
        in reminder.body
    )
    assert reminder.get_kind_display() == "Acknowledgement reminder"
    [email] = emails_to(org.ian)
    assert (email.subject, email.body) == (reminder.subject, reminder.body)
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None
    # Maya, Lea, Ian and Jo: every active person of Platform.
    assert run.reminders_checked and run.acknowledgement_reminders == 4
    assert run.notifications_sent == 4


def test_someone_who_acknowledged_gets_none(org, process):
    process_acknowledge(document=process, person=org.lea)
    staleness_check_run()
    assert not reminders(org.lea).exists() and emails_to(org.lea) == []
    assert reminders(org.ian).count() == 1


def test_people_of_an_uninvolved_department_get_none(org, process):
    staleness_check_run()
    assert not reminders(org.dana).exists() and not reminders(org.max).exists()
    assert emails_to(org.dana) == []


def test_inactive_people_get_none(org, process):
    org.jo.is_active = False
    org.jo.save()
    staleness_check_run()
    assert not reminders(org.jo).exists()
    assert set(reminders().values_list("recipient__full_name", flat=True)) == {
        "Maya Manager",
        "Lea Lead",
        "Ian Engineer",
    }


def test_archived_processes_do_not_count(org, process):
    retired = process_create(org, "Old release train", [org.platform, org.data])
    document_review_record(document=retired, actor=org.hr, outcome="retired")
    staleness_check_run()
    assert not reminders(org.dana).exists()
    assert list(reminders(org.ian).get().documents.all()) == [process]


def test_archiving_the_only_pending_process_sends_nothing_new(org, process):
    staleness_check_run()
    before = reminders().count()
    document_review_record(document=process, actor=org.hr, outcome="retired")
    run = staleness_check_run()
    assert run.reminders_checked and run.acknowledgement_reminders == 0
    assert reminders().count() == before


def test_running_the_check_twice_sends_nothing_twice(org, process):
    staleness_check_run()
    sent = len(mail.outbox)
    again = staleness_check_run()
    full = staleness_check_run(full=True)  # looks again, finds the same keys stored
    assert full.reminders_checked
    assert again.acknowledgement_reminders == full.acknowledgement_reminders == 0
    assert full.notifications_sent == 0
    assert reminders(org.ian).count() == 1 and len(mail.outbox) == sent


def test_a_new_process_is_reminded_at_the_next_run(org, process):
    staleness_check_run()
    second = process_create(org, "On-call swap", [org.platform])
    run = staleness_check_run()
    assert not run.full_scan and run.acknowledgement_reminders == 4
    latest = reminders(org.ian).order_by("-id").first()
    assert latest.subject == "2 process(es) to acknowledge"
    assert set(latest.documents.all()) == {process, second}


def test_a_material_new_version_asks_again(org, process):
    process_acknowledge(document=process, person=org.ian)
    staleness_check_run()
    assert not reminders(org.ian).exists()
    document_review_record(document=process, actor=org.hr, outcome="updated", material=True)
    staleness_check_run()
    reminder = reminders(org.ian).get()  # acknowledging version 1 does not cover version 2
    assert "Incident hand-over, version 2" in reminder.body
    assert len(emails_to(org.ian)) == 1
    process.refresh_from_db()
    process_acknowledge(document=process, person=org.ian)
    staleness_check_run(full=True)
    assert reminders(org.ian).count() == 1


def test_a_minor_update_asks_nothing(org, process):
    process_acknowledge(document=process, person=org.ian)
    staleness_check_run()
    before = reminders().count()
    document_review_record(document=process, actor=org.hr, outcome="updated", material=False)
    run = staleness_check_run()
    assert run.reminders_checked  # the process changed, so the run looked
    assert run.acknowledgement_reminders == 0 and reminders().count() == before
    assert not reminders(org.ian).exists()


def test_the_same_pending_set_is_reminded_again_once_per_period(org, process):
    staleness_check_run()
    next_period = PERIOD_START + timedelta(days=DAYS)
    last_moment = staleness_check_run(now=next_period - timedelta(microseconds=1))
    assert not last_moment.reminders_checked and reminders(org.ian).count() == 1
    first_moment = staleness_check_run(now=next_period)
    assert first_moment.reminders_checked and first_moment.acknowledgement_reminders == 4
    assert reminders(org.ian).count() == 2 and len(emails_to(org.ian)) == 2
    staleness_check_run(now=next_period + timedelta(days=DAYS - 1))
    assert reminders(org.ian).count() == 2


def test_the_period_follows_the_setting(org, process, settings):
    settings.ACKNOWLEDGEMENT_REMINDER_DAYS = 3
    staleness_check_run()
    staleness_check_run(now=timezone.now() + timedelta(days=3))
    assert reminders(org.ian).count() == 2


def test_an_incremental_rerun_with_nothing_changed_does_not_look(org, process):
    staleness_check_run()
    with CaptureQueriesContext(connection) as queries:
        run = staleness_check_run()
    assert not run.full_scan and not run.reminders_checked
    assert not [q for q in queries if "sops_processacknowledgement" in q["sql"]]


def test_an_acknowledgement_alone_does_not_make_the_next_run_look(org, process):
    staleness_check_run()
    process_acknowledge(document=process, person=org.ian)
    assert not staleness_check_run().reminders_checked


@pytest.mark.parametrize("people", [2, 40])
def test_reminder_queries_do_not_grow_with_people(org, people, django_assert_num_queries):
    process_create(org, "Data requests", [org.data])  # Max and Dana, and more
    PersonFactory.create_batch(people - 2, department=org.data)
    run = StalenessRun.objects.create(started_at=timezone.now())
    # The pending pairs, the listed processes, the insert, the stored ids, the links.
    with django_assert_num_queries(5):
        assert acknowledgement_reminders_create(run=run, now=timezone.now()) == people
    assert Notification.documents.through.objects.count() == people


def test_many_people_are_stored_batch_by_batch(org, monkeypatch):
    monkeypatch.setattr(staleness, "NOTIFICATION_BATCH", 3)
    process = process_create(org, "Data requests", [org.data])
    PersonFactory.create_batch(8, department=org.data)
    run = staleness_check_run()
    assert run.acknowledgement_reminders == reminders().count() == 10
    assert all(list(n.documents.all()) == [process] for n in reminders())
    assert len(mail.outbox) == 10


@pytest.mark.parametrize(("processes", "more"), [(2, 0), (3, 1)])
def test_long_reminders_are_capped(org, processes, more, monkeypatch):
    monkeypatch.setattr(staleness, "DIGEST_LIMIT", 2)
    for i in range(processes):
        process_create(org, f"Process {i}", [org.data])
    staleness_check_run()
    reminder = reminders(org.dana).get()
    assert reminder.subject == f"{processes} process(es) to acknowledge"
    assert (reminder.documents.count(), reminder.more_documents) == (2, more)
    assert ("… and 1 more." in reminder.body) == bool(more)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_remind_once(org, process):
    errors = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            staleness_check_run()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert reminders(org.ian).count() == 1 and len(emails_to(org.ian)) == 1
    assert sum(StalenessRun.objects.values_list("acknowledgement_reminders", flat=True)) == 4
