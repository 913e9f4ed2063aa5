"""The daily trends snapshot: what it counts, that a re-run replaces its day, and that it
costs the same few queries whatever the size of the organisation."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from dashboard.models import DailySnapshot
from dashboard.services import snapshot_record
from dashboard.tasks import record_snapshot
from departments.services import person_update
from sops.services import document_create

pytestmark = pytest.mark.django_db

DAY = date(2030, 5, 15)


def test_each_department_and_the_organisation_get_one_row(org):
    document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.data, last_reviewed_at=None
    )
    document_create(actor=org.hr, title="Guide", kind="best_practice", department=org.platform)
    document_create(actor=org.hr, title="CI", kind="tool", department=org.platform)
    # Platform's lead in transition (Manager L2 S3) with no successor ready now: a risk.
    person_update(actor=org.hr, person=org.lea, track="manager", level=2, step=3)

    assert snapshot_record(day=DAY) == 3
    rows = {s.department_id: s for s in DailySnapshot.objects.filter(day=DAY)}
    platform, data, organisation = rows[org.platform.pk], rows[org.data.pk], rows[None]
    assert (platform.documents_current, platform.tools_current) == (1, 1)
    assert (data.documents_stale, data.documents_current) == (1, 0)
    assert (platform.with_lead, data.with_lead) == (1, 0)
    assert (platform.succession_risks, data.succession_risks) == (1, 0)
    assert (organisation.departments, organisation.with_lead) == (2, 1)
    assert (organisation.documents, organisation.succession_risks) == (2, 1)


def test_a_rerun_replaces_the_day_and_keeps_the_others(org):
    snapshot_record(day=date(2030, 5, 14))
    snapshot_record(day=DAY)
    document_create(actor=org.hr, title="Guide", kind="best_practice", department=org.platform)
    snapshot_record(day=DAY)
    assert DailySnapshot.objects.filter(day=DAY).count() == 3
    assert DailySnapshot.objects.get(day=DAY, department=None).documents_current == 1
    assert DailySnapshot.objects.get(day=date(2030, 5, 14), department=None).documents == 0


def test_recording_runs_the_same_queries_at_any_size(org, grow, django_assert_num_queries):
    """savepoint, departments with their health inputs and risk, DELETE of the day,
    INSERT of every row, release."""
    for size in (10, 30):
        grow(size)
        with django_assert_num_queries(5):
            snapshot_record(day=DAY)
    assert DailySnapshot.objects.filter(day=DAY).count() == 2 + 40 + 1


def test_the_task_the_command_and_the_daily_schedule(org):
    assert record_snapshot.apply().get() == {"rows": 3}
    out = io.StringIO()
    call_command("record_snapshot", day="2030-05-15", stdout=out)
    assert "record_snapshot: 2 departments and the organisation recorded" in out.getvalue()
    assert DailySnapshot.objects.filter(day=DAY).count() == 3
    schedule = PeriodicTask.objects.get(task="dashboard.tasks.record_snapshot")
    assert schedule.enabled and (schedule.crontab.hour, schedule.crontab.minute) == ("6", "30")
