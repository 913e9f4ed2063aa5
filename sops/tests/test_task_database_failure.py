"""The staleness task when the database fails under it: the attempt is recorded on its
StalenessRun and the task is retried with backoff; after the last retry the error is the
task's result (the worker logs it), never silently dropped."""

from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from sops.models import StalenessRun
from sops.tasks import check_staleness

LOST = OperationalError("server closed the connection unexpectedly")


def test_a_database_failure_is_recorded_and_retried(org):
    with mock.patch("sops.staleness.statuses_recompute", side_effect=LOST):
        with pytest.raises(Retry) as retry:
            check_staleness.apply()
    assert retry.value.exc is LOST
    run = StalenessRun.objects.get()
    assert run.errors == "OperationalError: server closed the connection unexpectedly"
    assert run.finished_at


def test_after_the_last_retry_the_error_is_raised(org):
    with mock.patch("sops.staleness.statuses_recompute", side_effect=LOST):
        with pytest.raises(OperationalError):
            check_staleness.apply(retries=check_staleness.max_retries)
    assert StalenessRun.objects.get().errors.startswith("OperationalError")


def test_the_next_attempt_after_the_outage_succeeds(org):
    with mock.patch("sops.staleness.statuses_recompute", side_effect=LOST):
        with pytest.raises(Retry):
            check_staleness.apply()
    result = check_staleness.apply(retries=1)
    assert result.successful()
    assert StalenessRun.objects.filter(errors="").count() == 1
