"""The staleness check against one raw SQL UPDATE that sets the same statuses.

For 100k and 1M documents on PostgreSQL (one owner per 20 documents), in one run: the
time of the raw UPDATE, of a full check (statuses, claims, a digest per owner with its
email, acknowledgement reminders for a few processes), of a re-run with nothing changed,
and the check's peak Python memory (tracemalloc).
Usage: .venv/bin/python -m bench.staleness_bench [DOCUMENTS ...] (default 100000 1000000)
"""

import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from bench.database import recreate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG_BASE", "postgres://postgres@127.0.0.1:5432")
PROCESSES = 10  # cross-department processes involving the bench department
# One owner per this many documents, as in a company where each person owns a few dozen:
# the first check sends a digest to tens of thousands of owners at 1,000,000 documents.
DOCUMENTS_PER_OWNER = 20
DB = "techleads_bench_stale"
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"{PG}/{DB}",
    # Production settings: with DEBUG, Django keeps the last 9,000 queries' SQL, which
    # a run of bulk inserts made most of the measured memory.
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-" + "x" * 40,
    ALLOWED_HOSTS="127.0.0.1",
    LOG_LEVEL="WARNING",
    EMAIL_BACKEND="bench.mail.EmailBackend",
)
os.environ.pop("REDIS_URL", None)

RAW_UPDATE = """
UPDATE sops_document SET status = s.new FROM (
  SELECT id, CASE
    WHEN archived_at IS NOT NULL THEN 'archived'
    WHEN next_review_at IS NULL OR next_review_at <= now() THEN 'stale'
    WHEN next_review_at <= now() + interval '14 days' THEN 'due_soon'
    ELSE 'current' END AS new
  FROM sops_document) s
WHERE sops_document.id = s.id AND sops_document.status <> s.new
"""
GENERATE = """
INSERT INTO sops_document (title, kind, department_id, owner_id, url, description,
  review_interval_days, last_reviewed_at, next_review_at, status, archived_at,
  notified_status, version, created_at, updated_at)
SELECT 'Doc ' || i, 'sop', %(department)s,
  CASE WHEN i %% 20 = 0 THEN NULL ELSE %(first_owner)s + (i %% %(owners)s) END,
  '', '', 90, now() - ((i::bigint * 7919) %% 200) * interval '1 day',
  now() - ((i::bigint * 7919) %% 200) * interval '1 day' + interval '90 days', 'current',
  CASE WHEN i %% 100 = 0 THEN now() ELSE NULL END, '', 1, now(), now()
FROM generate_series(1, %(n)s) AS i
"""


def setup_database():
    recreate(PG, DB)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from departments.models import Department, Person
    from sops.models import Document, Notification, StalenessRun

    Notification.objects.all().delete()
    StalenessRun.objects.all().delete()
    Document.objects.all().delete()
    department, _ = Department.objects.get_or_create(name="Bench", slug="bench")
    owners = owners_needed(n)
    Person.objects.bulk_create(
        Person(
            employee_id=f"B{i}",
            full_name=f"Owner {i}",
            email=f"o{i}@example.com",
            department=department,
            track="ic",
            level=3,
        )
        for i in range(Person.objects.count(), owners)
    )
    first = Person.objects.order_by("id").first().pk
    with connection.cursor() as cursor:
        cursor.execute(
            GENERATE, {"department": department.pk, "first_owner": first, "n": n, "owners": owners}
        )
    # Current, and nobody has acknowledged them: the full check reminds each owner once.
    now = timezone.now()
    processes = Document.objects.bulk_create(
        Document(
            title=f"Process {i}",
            kind="cross_department_process",
            department=department,
            review_interval_days=180,
            last_reviewed_at=now,
            next_review_at=now + timedelta(days=180),
        )
        for i in range(PROCESSES)
    )
    involved = Document.involved_departments.through
    involved.objects.bulk_create(involved(document=p, department=department) for p in processes)
    vacuum()


def owners_needed(n: int) -> int:
    return max(50, n // DOCUMENTS_PER_OWNER)


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sops_document")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def raw_update() -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_UPDATE)
        return cursor.rowcount


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE sops_document SET status = 'current', notified_status = ''")
    vacuum()


def measure(n: int) -> dict:
    from sops.staleness import staleness_check_run

    generate(n)
    t_raw, changed = timed(raw_update)
    reset()
    tracemalloc.start()
    t_full, run = timed(lambda: staleness_check_run(full=True))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # A day passes between two runs, and autovacuum analyses a table whose rows the full
    # pass rewrote; without fresh statistics the planner would scan instead of using the
    # partial indexes the incremental pass is built on.
    vacuum()
    t_again, again = timed(staleness_check_run)
    assert run.status_changes == changed, (run.status_changes, changed)
    assert again.status_changes == 0 and again.notifications_sent == 0
    assert run.acknowledgement_reminders == owners_needed(n) and not again.reminders_checked
    return {
        "n": n,
        "raw": t_raw,
        "check": t_full,
        "rerun": t_again,
        "peak": peak,
        "changed": changed,
        "notifications": run.notifications_sent,
        "reminders": run.acknowledgement_reminders,
    }


def main() -> None:
    setup_database()
    print(
        f"{'documents':>10}{'raw UPDATE':>12}{'check':>9}{'ratio':>7}{'re-run':>9}"
        f"{'re-run %':>10}{'peak MiB':>10}{'notifications':>15}"
    )
    for n in [int(a) for a in sys.argv[1:]] or (100_000, 1_000_000):
        r = measure(n)
        print(
            f"{r['n']:>10,}{r['raw']:>11.2f}s{r['check']:>8.2f}s{r['check'] / r['raw']:>6.2f}x"
            f"{r['rerun'] * 1000:>7.1f}ms{100 * r['rerun'] / r['check']:>9.2f}%"
            f"{r['peak'] / 2**20:>10.1f}{r['notifications']:>15,}"
        )


if __name__ == "__main__":
    main()
