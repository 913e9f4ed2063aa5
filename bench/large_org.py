"""A large organisation in SQL: 5,000 departments, 100,000 people, 1,000,000 documents.

The demo organisation (seed_demo: the demo logins, a real history) is the start; `grow`
tops every table up to the sizes asked for with INSERT ... SELECT generate_series, so one
database can be measured at 10,000 documents and then grown to 1,000,000 (the page bench).
Per department, in the proportions of the demo: 20 people (one manager), a Tech Lead in
85% of departments, two successor candidates in 70%, one improvement project with five
tasks (some overdue), four tech sessions with five invitees each, one incident, one
allocation per person; one review per four documents; one document in 500 is a
cross-department process involving three departments, acknowledged by ten people.
Statuses are written as the staleness check would set them; derived data (the document
summary) is then rebuilt by `manage.py check_summary --fix` when the project has it.

A column a row does not name gets its model field's default, so the generator keeps up
with fields added later. Logins for the load run: `logins(n)` makes n of each role.

Usage: .venv/bin/python -m bench.large_org [--database NAME] [--departments 5000]
    [--people 100000] [--documents 1000000] [--keep]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG_BASE", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "bench-password-1"
ROLES = ("hr", "manager", "techlead", "employee")
FIRST = "Ada Alan Amara Ana Arjun Beatriz Bilal Camille Carlos Chen Dana Emeka Freya Hana Ines"
LAST = "Abara Bauer Costa Dubois Haddad Ito Kim Lee Novak Okafor Park Patel Rossi Silva Weber"
# kind by document number (i % 10); one in 500 is a process instead (see DOCUMENTS).
KINDS = "sop sop sop best_practice best_practice playbook knowledge_hub knowledge_hub tool tool"
# The staleness check's statuses (sops.rules.document_status) in SQL, for a window of 14 days.
STATUS = """CASE WHEN {archived} THEN 'archived'
  WHEN {next} <= now() THEN 'stale'
  WHEN {next} <= now() + interval '14 days' THEN 'due_soon' ELSE 'current' END"""


def say(line: str) -> None:
    print(line, flush=True)


def configure(database: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        DATABASE_URL=f"{PG}/{database}",
        DEBUG=os.environ.get("DEBUG", "1"),
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="bench.mail.EmailBackend",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def create(database: str, out=say) -> None:
    """A new database `database` with the schema and the demo organisation."""
    from bench.database import recreate

    recreate(PG, database)
    configure(database)
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", password=PASSWORD, stdout=open(os.devnull, "w"))  # noqa: SIM115
    out(f"  schema and demo organisation ({time.monotonic() - started:.1f}s)")


def defaults(model, given: dict[str, str]) -> tuple[list[str], list[str], list]:
    """Columns, SQL expressions and parameters of an INSERT into `model`'s table: the
    `given` expressions, then every other column's field default (or NULL, '', now())."""
    from django.db.models import NOT_PROVIDED
    from django.utils import timezone

    columns, exprs, params = list(given), list(given.values()), []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        columns.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            exprs.append("now()")
        elif field.default is timezone.now:
            exprs.append("now()")
        elif field.default is not NOT_PROVIDED:
            exprs.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection()))
        elif field.null:
            exprs.append("NULL")
        elif field.empty_strings_allowed:
            exprs.append("''")
        else:
            raise ValueError(f"{model.__name__}.{field.name}: no value and no default")
    return columns, exprs, params


def connection():
    from django.db import connection as default

    return default


def insert(model, given: dict[str, str], tail: str, params: dict | None = None) -> int:
    """INSERT INTO model's table SELECT <given and defaults> <tail>; the rows inserted."""
    columns, exprs, extra = defaults(model, given)
    # Parameters: the defaults are positional, `params` named; render the defaults inline.
    with connection().cursor() as cursor:
        rendered = [
            cursor.mogrify(e, [p]).decode() if e == "%s" else e
            for e, p in zip(exprs, _pad(exprs, extra), strict=True)
        ]
        sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT "
        sql += ", ".join(rendered) + " " + tail
        cursor.execute(sql, params or {"unused": None})
        return cursor.rowcount


def _pad(exprs: list[str], params: list) -> list:
    values = iter(params)
    return [next(values) if e == "%s" else None for e in exprs]


def scalar(sql: str, params=None):
    with connection().cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchone()[0]


def execute(sql: str, params=None) -> int:
    with connection().cursor() as cursor:
        cursor.execute(sql, params or {"unused": None})
        return cursor.rowcount


def grow(*, departments: int, people: int, documents: int, out=say) -> None:
    """Top the organisation up to the sizes given (never shrinks it), then rebuild the
    derived data. Each step prints its rows and time."""
    from departments.models import Department, Person
    from sops.models import Document, DocumentReview, ProcessAcknowledgement
    from techleads.models import (
        Allocation,
        ImprovementProject,
        ImprovementTask,
        Incident,
        SuccessorCandidate,
        TechLeadAssignment,
        TechSession,
    )

    hr = scalar("SELECT id FROM auth_user WHERE username = 'hr'")
    steps = []

    def step(name, run):
        started = time.monotonic()
        rows = run()
        steps.append(name)
        out(f"  … {name}: {rows:,} rows ({time.monotonic() - started:.1f}s)")

    n = {"hr": hr, "first": FIRST.split(), "last": LAST.split(), "kinds": KINDS.split()}
    step(
        "departments",
        lambda: insert(
            Department,
            {"name": "'Unit ' || lpad(i::text, 5, '0')", "slug": "'unit-' || i"},
            "FROM generate_series((SELECT count(*) FROM departments_department) + 1, %(n)s) i",
            {"n": departments},
        ),
    )
    # Department k (0-based, by id) of the organisation, for "row i belongs to i % count".
    execute(
        "DROP TABLE IF EXISTS bench_dept; CREATE TEMP TABLE bench_dept AS "
        "SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, slug LIKE 'unit-%%' AS bench "
        "FROM departments_department; "
        "CREATE UNIQUE INDEX ON bench_dept (k)"
    )
    n["departments"] = scalar("SELECT count(*) FROM bench_dept")
    step(
        "people",
        lambda: insert(
            Person,
            {
                "employee_id": "'L' || lpad(i::text, 7, '0')",
                "full_name": "(%(first)s::text[])[1 + i %% 15] || ' ' || "
                "(%(last)s::text[])[1 + (i / 15) %% 15] || ' ' || i",
                "email": "'p' || i || '@large.example.com'",
                "department_id": "d.id",
                # w: the person's number within their department.
                "track": "CASE WHEN w %% 20 = 0 THEN 'manager' ELSE 'ic' END",
                "level": "1 + (w * 7) %% 5",
                "step": "1 + (w * 3) %% 4",
                "is_active": "w %% 50 <> 7",
            },
            "FROM generate_series((SELECT count(*) FROM departments_person) + 1, %(n)s) i "
            "CROSS JOIN LATERAL (SELECT i / %(departments)s AS w) w "
            "JOIN bench_dept d ON d.k = i %% %(departments)s",
            {**n, "n": people},
        ),
    )
    step(
        "managers",
        lambda: execute(
            # The first active person of each department without a manager becomes one.
            "WITH m AS (SELECT DISTINCT ON (p.department_id) p.department_id, p.id "
            "FROM departments_person p JOIN departments_department d ON d.id = p.department_id"
            " WHERE d.manager_id IS NULL AND p.is_active ORDER BY p.department_id, p.id), "
            "promoted AS (UPDATE departments_person p SET track = 'manager', level = 2 FROM m "
            "WHERE p.id = m.id) UPDATE departments_department d SET manager_id = m.id FROM m "
            "WHERE m.department_id = d.id"
        ),
    )
    # The active people of each department, for owners, leads, invitees.
    execute(
        "DROP TABLE IF EXISTS bench_team; CREATE TEMP TABLE bench_team AS "
        "SELECT d.k, d.id AS department_id, d.bench, "
        "array_agg(p.id ORDER BY p.level DESC, p.id) AS ids "
        "FROM bench_dept d JOIN departments_person p ON p.department_id = d.id AND p.is_active "
        "AND p.track = 'ic' GROUP BY d.k, d.id, d.bench; CREATE UNIQUE INDEX ON bench_team (k); "
        "CREATE UNIQUE INDEX ON bench_team (department_id)"
    )
    execute("ANALYZE")  # the planner's statistics, for the joins on the new rows below
    step(
        "Tech Leads",
        lambda: insert(
            TechLeadAssignment,
            {
                "department_id": "t.department_id",
                "person_id": "t.ids[1]",
                "started_at": "now() - (t.k %% 700) * interval '1 day'",
                "reason": "'Knows the systems best'",
                "assigned_by_id": "%(hr)s",
            },
            "FROM bench_team t WHERE t.bench AND t.department_id %% 20 < 17 "
            "AND NOT EXISTS (SELECT 1 FROM techleads_techleadassignment a "
            "WHERE a.department_id = t.department_id AND "
            "a.ended_at IS NULL) AND NOT EXISTS (SELECT 1 FROM techleads_techleadassignment a "
            "WHERE a.person_id = t.ids[1] AND a.ended_at IS NULL)",
            n,
        ),
    )
    step(
        "successor candidates",
        lambda: insert(
            SuccessorCandidate,
            {
                "department_id": "t.department_id",
                "person_id": "t.ids[r]",
                "readiness": "CASE WHEN r = 2 THEN 'ready_now' ELSE 'ready_soon' END",
                "nominated_by_id": "%(hr)s",
            },
            "FROM bench_team t, generate_series(2, 3) r "
            "WHERE t.bench AND t.department_id %% 10 < 7 "
            "AND cardinality(t.ids) >= 3 AND NOT EXISTS (SELECT 1 FROM "
            "techleads_successorcandidate s WHERE s.department_id = t.department_id)",
            n,
        ),
    )
    step(
        "documents",
        lambda: insert(
            Document,
            {
                "title": "'Document ' || i",
                "kind": "CASE WHEN i %% 500 = 0 THEN 'cross_department_process' "
                "ELSE (%(kinds)s::text[])[1 + i %% 10] END",
                "department_id": "t.department_id",
                "owner_id": "CASE WHEN i %% 20 = 3 THEN NULL "
                "ELSE t.ids[1 + (i / %(departments)s) %% cardinality(t.ids)] END",
                "review_interval_days": "90",
                "last_reviewed_at": "now() - ((i::bigint * 7919) %% 200) * interval '1 day'",
                "next_review_at": "now() - ((i::bigint * 7919) %% 200) * interval '1 day'"
                " + interval '90 days'",
                "archived_at": "CASE WHEN i %% 100 = 1 THEN now() END",
                "status": STATUS.format(
                    archived="i %% 100 = 1",
                    next="now() - ((i::bigint * 7919) %% 200) * interval '1 day'"
                    " + interval '90 days'",
                ),
                "version": "1",
            },
            "FROM generate_series((SELECT count(*) FROM sops_document) + 1, %(n)s) i "
            "JOIN bench_team t ON t.k = i %% %(departments)s",
            {**n, "n": documents},
        ),
    )
    step(
        "reviews",
        lambda: insert(
            DocumentReview,
            {
                "document_id": "d.id",
                "outcome": "'confirmed'",
                "reviewed_at": "d.last_reviewed_at",
                "reviewer_id": "d.owner_id",
                "reviewed_by_id": "%(hr)s",
                "material": "false",
            },
            "FROM sops_document d WHERE d.id %% 4 = 0 AND d.last_reviewed_at IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM sops_documentreview r WHERE r.document_id = d.id)",
            n,
        ),
    )
    involved = Document.involved_departments.through
    step(
        "process departments",
        lambda: insert(
            involved,
            {"document_id": "d.id", "department_id": "o.id"},
            "FROM sops_document d JOIN bench_dept m ON m.id = d.department_id "
            "CROSS JOIN generate_series(0, 2) j "
            "JOIN bench_dept o ON o.k = (m.k + j * 7) %% %(departments)s "
            "WHERE d.kind = 'cross_department_process' ON CONFLICT DO NOTHING",
            n,
        ),
    )
    step(
        "acknowledgements",
        lambda: insert(
            ProcessAcknowledgement,
            {
                "document_id": "d.id",
                "person_id": "t.ids[j]",
                "version": "d.version",
                "acknowledged_at": "now() - j * interval '1 day'",
            },
            "FROM sops_document d JOIN bench_team t ON t.department_id = d.department_id "
            "CROSS JOIN generate_series(1, 10) j WHERE d.kind = 'cross_department_process' "
            "AND j <= cardinality(t.ids) ON CONFLICT DO NOTHING",
        ),
    )
    step(
        "improvement projects",
        lambda: insert(
            ImprovementProject,
            {
                "department_id": "t.department_id",
                "name": "'Improvement ' || t.k",
                "jira_key": "'LRG' || t.department_id",
                "owner_id": "t.ids[1]",
                "is_active": "true",
            },
            "FROM bench_team t WHERE t.bench AND NOT EXISTS (SELECT 1 FROM "
            "techleads_improvementproject p "
            "WHERE p.department_id = t.department_id)",
        ),
    )
    step(
        "improvement tasks",
        lambda: insert(
            ImprovementTask,
            {
                "project_id": "p.id",
                "title": "'Task ' || j || ' of ' || p.name",
                "status": "(ARRAY['todo','in_progress','done','todo','cancelled'])[j]",
                "due_date": "current_date + (j * 9 - 20)",
                "jira_issue_key": "p.jira_key || '-' || j",
                "owner_id": "p.owner_id",
                "assignee_id": "t.ids[1 + j %% cardinality(t.ids)]",
                "completed_at": "CASE WHEN j = 3 THEN now() END",
            },
            "FROM techleads_improvementproject p JOIN bench_team t "
            "ON t.department_id = p.department_id CROSS JOIN generate_series(1, 5) j "
            "WHERE p.jira_key LIKE 'LRG%%' AND NOT EXISTS (SELECT 1 FROM "
            "techleads_improvementtask x WHERE x.project_id = p.id)",
        ),
    )
    step(
        "tech sessions",
        lambda: insert(
            TechSession,
            {
                "department_id": "t.department_id",
                "topic": "'Session ' || j || ' of unit ' || t.k",
                "status": "CASE WHEN j = 4 THEN 'scheduled' ELSE 'completed' END",
                "scheduled_for": "now() + (j * 30 - 100) * interval '1 day'",
                "presenter_id": "t.ids[1]",
            },
            "FROM bench_team t CROSS JOIN generate_series(1, 4) j WHERE t.bench AND NOT EXISTS "
            "(SELECT 1 FROM techleads_techsession s WHERE s.department_id = t.department_id)",
        ),
    )
    from techleads.models import TechSessionInvite

    step(
        "session invites",
        lambda: insert(
            TechSessionInvite,
            {
                "session_id": "s.id",
                "person_id": "t.ids[j]",
                "mandatory": "j <= 2",
                "attendance": "CASE WHEN s.status = 'completed' THEN "
                "(ARRAY['present','present','absent','present','present'])[j] "
                "ELSE 'invited' END",
            },
            "FROM techleads_techsession s JOIN bench_team t ON t.department_id = s.department_id"
            " CROSS JOIN generate_series(1, 5) j WHERE j <= cardinality(t.ids) "
            "AND s.topic LIKE 'Session %%' ON CONFLICT DO NOTHING",
        ),
    )
    step(
        "allocations",
        lambda: insert(
            Allocation,
            {
                "person_id": "p.id",
                "project_id": "pr.id",
                "percent": "40 + (p.id %% 7) * 10",
                "period_start": "date_trunc('quarter', now())::date",
                "period_end": "(date_trunc('quarter', now()) + interval '3 months' "
                "- interval '1 day')::date",
            },
            "FROM departments_person p JOIN techleads_improvementproject pr "
            "ON pr.department_id = p.department_id AND pr.jira_key LIKE 'LRG%%' "
            "WHERE p.is_active AND p.employee_id LIKE 'L%%' AND NOT EXISTS "
            "(SELECT 1 FROM techleads_allocation a WHERE a.person_id = p.id)",
        ),
    )
    step(
        "incidents",
        lambda: insert(
            Incident,
            {
                "department_id": "t.department_id",
                "title": "'Outage of unit ' || t.k",
                "severity": "(ARRAY['sev1','sev2','sev3','sev4'])[1 + t.k %% 4]",
                "started_at": "now() - (t.k %% 90) * interval '1 day'",
                "resolved_at": "CASE WHEN t.k %% 3 > 0 THEN now() - (t.k %% 90) * "
                "interval '1 day' + interval '3 hours' END",
                "handled_by_id": "t.ids[1]",
            },
            "FROM bench_team t WHERE t.bench AND NOT EXISTS "
            "(SELECT 1 FROM techleads_incident x WHERE x.department_id = t.department_id)",
        ),
    )
    derived(out)


def derived(out=say) -> None:
    """Rebuild what is derived from the rows (the document summary and the stored health
    scores, where the project has their commands), then fresh planner statistics, as
    autovacuum would after a bulk load."""
    from django.core.management import call_command, get_commands

    commands = get_commands()
    # The document summary, then the stored health scores that read it.
    for command, args in (("check_summary", ["--fix"]), ("refresh_health_scores", [])):
        started = time.monotonic()
        if command in commands:
            call_command(command, *args, stdout=open(os.devnull, "w"))  # noqa: SIM115
            out(f"  … {command} {' '.join(args)} ({time.monotonic() - started:.1f}s)")
    started = time.monotonic()
    execute("ANALYZE")
    out(f"  … ANALYZE ({time.monotonic() - started:.1f}s)")


def logins(count: int) -> dict[str, list[str]]:
    """`count` logins of each role (password PASSWORD): HR, department managers, Tech
    Leads and employees of large departments; {role: [username, ...]}. Idempotent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from departments.constants import HR_GROUP
    from departments.models import Department, Person
    from techleads.models import TechLeadAssignment

    users = get_user_model()
    hashed = make_password(PASSWORD)
    bench_people = Person.objects.filter(employee_id__startswith="L", user=None)
    led = TechLeadAssignment.objects.filter(ended_at=None, person__in=bench_people)
    people = {
        "manager": list(
            Department.objects.filter(manager__in=bench_people)
            .order_by("id")
            .values_list("manager_id", flat=True)[:count]
        ),
        "techlead": list(led.order_by("id").values_list("person_id", flat=True)[:count]),
        "employee": list(
            bench_people.filter(track="ic", is_active=True)
            .exclude(pk__in=TechLeadAssignment.objects.values("person_id"))
            .order_by("id")
            .values_list("id", flat=True)[:count]
        ),
    }
    made: dict[str, list[str]] = {}
    hr_group = Group.objects.get_or_create(name=HR_GROUP)[0]
    for role in ROLES:
        for index in range(count):
            name = f"bench-{role}-{index + 1}"
            user, created = users.objects.get_or_create(
                username=name, defaults={"password": hashed, "email": f"{name}@example.com"}
            )
            if role == "hr":
                user.groups.add(hr_group)
            elif created:
                Person.objects.filter(pk=people[role][index]).update(user=user)
            made.setdefault(role, []).append(name)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="techleads_bench_large")
    parser.add_argument("--departments", type=int, default=5_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="grow an existing database")
    args = parser.parse_args()
    started = time.monotonic()
    if args.keep:
        configure(args.database)
    else:
        create(args.database)
    grow(departments=args.departments, people=args.people, documents=args.documents)
    logins(8)
    print(f"large organisation in {args.database}: {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
