"""The outbox: queued work is a row first, published after commit, swept when the broker
was down, and never published twice."""

from contextlib import contextmanager
from unittest import mock

import pytest
from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from departments.errors import Forbidden
from integrations.models import QueuedTask
from integrations.services import outbox_sweep, task_enqueue, task_publish
from sops.models import StalenessRun
from sops.services import staleness_check_request

CHECK = "sops.tasks.check_staleness"


@contextmanager
def celery_eager(value: bool):
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = value
    try:
        yield
    finally:
        current_app.conf.task_always_eager = eager


@pytest.fixture
def broker():
    """A real (non-eager) Celery publish, with the broker itself mocked."""
    with celery_eager(False), mock.patch("celery.app.task.Task.apply_async") as apply_async:
        yield apply_async


@pytest.fixture
def eager():
    """No REDIS_URL (the embedded default): Celery runs tasks in-process, whatever this
    run's environment says."""
    with celery_eager(True):
        yield


def test_the_row_is_written_in_the_callers_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            task_enqueue(CHECK)
            raise RuntimeError("the caller's work failed")
    assert not QueuedTask.objects.exists()
    assert callbacks == []  # nothing is published for work that was rolled back


def test_without_a_broker_the_task_runs_in_process_after_commit(
    org, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = task_enqueue(CHECK)
        assert not StalenessRun.objects.exists()  # not before commit
    queued.refresh_from_db()
    assert queued.status == QueuedTask.Status.SENT and queued.sent_at
    assert StalenessRun.objects.count() == 1


def test_a_broker_outage_leaves_the_row_pending_and_the_sweep_sends_it(
    db, broker, django_capture_on_commit_callbacks
):
    broker.side_effect = BrokerError("Error 111 connecting to 127.0.0.1:6379.")
    with django_capture_on_commit_callbacks(execute=True):
        queued = task_enqueue(CHECK, full=True)
    queued.refresh_from_db()
    assert queued.status == QueuedTask.Status.PENDING
    assert queued.attempts == 1 and "Error 111" in queued.last_error
    assert queued.claimed_until is None  # free for the sweep at once

    assert outbox_sweep() == {"sent": 0, "failed": 0, "pending": 1, "skipped": 0}

    broker.side_effect = None
    broker.reset_mock()
    assert outbox_sweep()["sent"] == 1
    broker.assert_called_once_with(kwargs={"full": True}, retry=False)
    queued.refresh_from_db()
    assert queued.status == QueuedTask.Status.SENT and queued.attempts == 3
    assert outbox_sweep()["sent"] == 0  # sent once


def test_a_row_another_publisher_holds_is_not_sent_again(db, broker):
    queued = QueuedTask.objects.create(task=CHECK)
    from integrations.services import _claim

    assert _claim(queued.pk)  # a sweep in another process is publishing it
    assert task_publish(queued.pk) is None
    assert outbox_sweep()["sent"] == 0
    broker.assert_not_called()


def test_an_unknown_task_fails_without_blocking_the_rest(db, broker):
    QueuedTask.objects.create(task="nowhere.tasks.gone")
    QueuedTask.objects.create(task=CHECK)
    assert outbox_sweep() == {"sent": 1, "failed": 1, "pending": 0, "skipped": 0}
    failed = QueuedTask.objects.get(status=QueuedTask.Status.FAILED)
    assert failed.last_error == "Unknown task: nowhere.tasks.gone"


def test_a_task_failing_in_process_is_recorded(db, eager):
    queued = QueuedTask.objects.create(task=CHECK)
    with mock.patch("sops.tasks.staleness_check_run", side_effect=ValueError("bad data")):
        assert task_publish(queued.pk) == QueuedTask.Status.FAILED
    queued.refresh_from_db()
    assert queued.last_error == "ValueError: bad data"


def test_the_sweep_is_scheduled_every_minute(seeded):
    from django_celery_beat.models import PeriodicTask

    sweep = PeriodicTask.objects.get(task="integrations.tasks.sweep_outbox")
    assert sweep.enabled and (sweep.interval.every, sweep.interval.period) == (1, "minutes")


def test_only_hr_runs_the_staleness_check_on_demand(org):
    with pytest.raises(Forbidden):
        staleness_check_request(actor=org.lea.user)
    assert not QueuedTask.objects.exists()


def test_hr_runs_the_staleness_check_from_the_admin(
    hr_client, eager, django_capture_on_commit_callbacks
):
    page = hr_client.get("/admin/sops/stalenessrun/")
    assert "Run the staleness check now" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post("/admin/sops/stalenessrun/run-now/", follow=True)
    assert response.status_code == 200
    assert "The staleness check is queued" in response.content.decode()
    assert QueuedTask.objects.get().status == QueuedTask.Status.SENT
    assert StalenessRun.objects.count() == 1


def test_hr_run_now_while_the_broker_is_down_still_succeeds(
    hr_client, broker, django_capture_on_commit_callbacks
):
    broker.side_effect = BrokerError("Error 111 connecting")
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post("/admin/sops/stalenessrun/run-now/")
    assert response.status_code == 302
    assert QueuedTask.objects.get().status == QueuedTask.Status.PENDING


def test_other_people_cannot_use_the_button(client, org):
    org.lea.user.is_staff = True
    org.lea.user.save()
    client.force_login(org.lea.user)
    assert client.post("/admin/sops/stalenessrun/run-now/").status_code == 403
    assert not QueuedTask.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_row_once(broker):
    import threading

    from django.db import connection

    rows = 60
    QueuedTask.objects.bulk_create(QueuedTask(task=CHECK, kwargs={"n": n}) for n in range(rows))
    start = threading.Barrier(3)
    results = []

    def sweep():
        start.wait()
        try:
            results.append(outbox_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sent = sorted(call.kwargs["kwargs"]["n"] for call in broker.call_args_list)
    assert sent == list(range(rows))  # every row, none twice
    assert sum(result["sent"] for result in results) == rows
    assert not QueuedTask.objects.exclude(status=QueuedTask.Status.SENT).exists()


def test_the_sweep_forgets_rows_sent_long_ago(db, broker):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = QueuedTask.objects.create(task=CHECK, status="sent", sent_at=now - timedelta(days=31))
    recent = QueuedTask.objects.create(task=CHECK, status="sent", sent_at=now - timedelta(days=1))
    failed = QueuedTask.objects.create(task=CHECK, status="failed")
    outbox_sweep()
    remaining = set(QueuedTask.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, failed.pk} and old.pk not in remaining
