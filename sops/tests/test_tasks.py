"""The staleness check through a real Celery worker (and beat) on PostgreSQL and Redis."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from sops.models import Notification, StalenessRun
from sops.services import document_create
from sops.staleness import staleness_check_run

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(*args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        # A deployed worker: the app's settings, not the test suite's (which pytest set).
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "celery-integration-test-key-" + "x" * 30,
        "ALLOWED_HOSTS": "localhost",
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", *args, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
    return out.decode(errors="replace")


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def due_document(org):
    return document_create(
        actor=org.hr,
        title="Overdue runbook",
        kind="sop",
        department=org.platform,
        last_reviewed_at=timezone.now() - timedelta(days=120),
    )


@pytest.fixture
def purge_queue():
    from config.celery import app

    app.control.purge()
    yield
    app.control.purge()


@pytest.mark.redis
def test_worker_runs_the_check_once_and_twice_sends_nothing(due_document, org, purge_queue):
    from sops.tasks import check_staleness

    worker = start("worker", "--pool=threads", "--concurrency=2", "--without-heartbeat")
    try:
        check_staleness.delay()
        assert wait_for(lambda: StalenessRun.objects.filter(finished_at__isnull=False).exists())
        # Twice, and two at once: still one digest for Lea.
        check_staleness.delay()
        check_staleness.delay()
        assert wait_for(lambda: StalenessRun.objects.filter(finished_at__isnull=False).count() == 3)
    finally:
        log = stop(worker)
    assert Notification.objects.filter(kind="digest", recipient=org.lea).count() == 1, log
    run = StalenessRun.objects.order_by("started_at").first()
    assert run.full_scan and run.notifications_sent >= 1 and run.duration_ms is not None
    assert "succeeded" in log


@pytest.mark.redis
def test_beat_schedules_the_check_through_the_database_scheduler(due_document, purge_queue):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.update(enabled=False)
    PeriodicTask.objects.create(
        name="staleness every second (test)",
        task="sops.tasks.check_staleness",
        interval=every_second,
    )
    worker = start("worker", "--pool=solo", "--without-heartbeat")
    beat = start("beat", "--max-interval=1")
    try:
        assert wait_for(lambda: StalenessRun.objects.filter(finished_at__isnull=False).count() >= 2)
    finally:
        beat_log, worker_log = stop(beat), stop(worker)
    assert Notification.objects.filter(kind="digest").count() == 1, beat_log + worker_log


def test_two_concurrent_runs_notify_once(due_document, org):
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
    assert Notification.objects.filter(kind="digest", recipient=org.lea).count() == 1
    assert StalenessRun.objects.filter(finished_at__isnull=False).count() == 2
