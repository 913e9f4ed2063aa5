"""The per-department document summary equals a count after every kind of write, after a
staleness check, and under concurrent writes; check_summary finds and fixes differences."""

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sops.models import DepartmentSummary, Document
from sops.services import document_create, document_review_record, document_update
from sops.staleness import staleness_check_run
from sops.summary import summary_differences, summary_recompute

pytestmark = pytest.mark.django_db


def figures(department) -> dict:
    row = DepartmentSummary.objects.filter(pk=department.pk).values().first() or {}
    return {k: v for k, v in row.items() if v and k != "department_id"}


def test_create_update_review_and_archive_keep_the_summary_equal_to_a_count(org):
    runbook = document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.platform, last_reviewed_at=None
    )
    tool = document_create(actor=org.hr, title="CI", kind="tool", department=org.platform)
    assert figures(org.platform) == {"docs_stale": 1, "tools_current": 1}
    assert summary_differences() == []
    # A review moves it from stale to current.
    document_review_record(document=runbook, actor=org.hr, outcome="confirmed")
    assert figures(org.platform) == {"docs_current": 1, "tools_current": 1}
    # A change of kind, then of department, moves it between figures and departments.
    document_update(actor=org.hr, document=runbook, kind="tool")
    assert figures(org.platform) == {"tools_current": 2}
    document_update(actor=org.hr, document=runbook, department=org.data)
    assert figures(org.platform) == {"tools_current": 1}
    assert figures(org.data) == {"tools_current": 1}
    # An update that changes the clock changes the status.
    document_update(
        actor=org.hr, document=tool, last_reviewed_at=timezone.now() - timedelta(days=400)
    )
    assert figures(org.platform) == {"tools_stale": 1}
    # Retiring archives it; a process counts apart.
    document_review_record(document=tool, actor=org.hr, outcome="retired")
    document_create(
        actor=org.hr,
        title="Hand-off",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.data, org.platform],
    )
    assert figures(org.platform) == {"tools_archived": 1}
    assert figures(org.data) == {"tools_current": 1, "processes_current": 1}
    assert summary_differences() == []


def test_an_update_that_changes_nothing_counted_leaves_the_summary(org):
    doc = document_create(actor=org.hr, title="Runbook", kind="sop", department=org.platform)
    document_update(actor=org.hr, document=doc, title="Runbook v2")
    assert figures(org.platform) == {"docs_current": 1}


def test_staleness_checks_recompute_the_departments_whose_statuses_moved(org):
    now = timezone.now()
    for days in (70, 85, 200):  # current (due in 20 days), due soon (in 5), stale
        document_create(
            actor=org.hr,
            title=f"Runbook {days}",
            kind="sop",
            department=org.platform,
            last_reviewed_at=now - timedelta(days=days),
        )
    staleness_check_run(now=now, full=True)
    assert figures(org.platform) == {"docs_current": 1, "docs_due_soon": 1, "docs_stale": 1}
    # Incremental: 10 days later the current one is due soon, the due one stale.
    staleness_check_run(now=now + timedelta(days=10), full=False)
    assert figures(org.platform) == {"docs_due_soon": 1, "docs_stale": 2}
    staleness_check_run(now=now + timedelta(days=90), full=False)
    assert figures(org.platform) == {"docs_stale": 3}
    assert summary_differences() == []


def test_check_summary_reports_then_fixes_differences(org, capsys):
    document_create(actor=org.hr, title="Runbook", kind="sop", department=org.platform)
    call_command("check_summary")
    assert "0 difference(s)" in capsys.readouterr().out
    # Written behind the services' back (as a raw UPDATE would): the check finds it.
    Document.objects.update(status="stale")
    DepartmentSummary.objects.filter(pk=org.data.pk).delete()
    with pytest.raises(CommandError, match="2 difference"):
        call_command("check_summary")
    out = capsys.readouterr().out
    assert f"department {org.platform.pk}: docs_current is 1, counted 0" in out
    call_command("check_summary", "--fix")
    assert "2 difference(s) in 1 department(s), 1 rewritten" in capsys.readouterr().out
    assert summary_differences() == []
    assert figures(org.platform) == {"docs_stale": 1}


def test_recompute_of_everything_counts_departments_without_documents(org):
    DepartmentSummary.objects.all().delete()
    assert summary_recompute() == 2
    assert DepartmentSummary.objects.count() == 2 and summary_differences() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_to_one_department_lose_no_update(org):
    """Eight transactions create documents in Platform at once (its summary row does not
    exist yet, so they also race to create it), then eight review them at once."""
    DepartmentSummary.objects.all().delete()
    errors, created = [], []
    barrier = threading.Barrier(8)

    def write(action):
        try:
            barrier.wait()
            action()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def create(n):
        created.append(
            document_create(
                actor=org.hr,
                title=f"Doc {n}",
                kind="sop",
                department=org.platform,
                last_reviewed_at=None,
            )
        )

    threads = [threading.Thread(target=write, args=(lambda n=n: create(n),)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert figures(org.platform) == {"docs_stale": 8}
    threads = [
        threading.Thread(
            target=write,
            args=(
                lambda d=d: document_review_record(document=d, actor=org.hr, outcome="confirmed"),
            ),
        )
        for d in created
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert figures(org.platform) == {"docs_current": 8}
    assert summary_differences() == []
