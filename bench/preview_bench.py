"""The preview of an eligibility-rule change over 100,000 active people, beside one
eligibility list of the same people, on PostgreSQL, in the same run.

A throwaway database gets 5,000 departments of 20 people each (a realistic mix of tracks,
levels and steps, 2% inactive) and a Tech Lead in every department, generated set-based in
SQL. Then, each timed as the median of --repeat runs after a warm-up:

- selector: rule_change_preview (raise the IC rule to Level 4) against the SQL verdict of
  every active person (people_with_eligibility, all rows fetched);
- API: `POST eligibility-rules/preview/` against `GET people/?verdict=eligible&page_size=500`
  (both as HR, through Django's test client, so without HTTP).

Usage: .venv/bin/python -m bench.preview_bench [--people 100000] [--repeat 7] [--keep]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "techleads_bench_preview"
PER_DEPARTMENT = 20
os.environ.update(
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-" + "x" * 40,
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    SESSION_COOKIE_SECURE="0",
    CSRF_COOKIE_SECURE="0",
    SECURE_HSTS_SECONDS="0",
)


def timed(run, repeat: int) -> tuple[float, object]:
    """Median wall time in ms of `run()` over `repeat` runs, after one warm-up; and its result."""
    result = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def generate(people: int) -> None:
    """Departments, people and one Tech Lead per department, in three INSERT ... SELECTs."""
    from bench.large_org import execute, insert
    from departments.models import Department, Person
    from techleads.models import TechLeadAssignment

    departments = max(1, people // PER_DEPARTMENT)
    insert(
        Department,
        {"name": "'Unit ' || lpad(i::text, 5, '0')", "slug": "'unit-' || i"},
        "FROM generate_series(1, %(n)s) i",
        {"n": departments},
    )
    insert(
        Person,
        {
            "employee_id": "'P' || lpad(i::text, 7, '0')",
            "full_name": "'Person ' || i",
            "email": "'p' || i || '@bench.example.com'",
            "department_id": "d.id",
            # One manager in ten; levels 1-5 and steps 1-4 spread evenly.
            "track": "CASE WHEN i %% 10 = 0 THEN 'manager' ELSE 'ic' END",
            "level": "1 + (i * 7) %% 5",
            "step": "1 + (i * 3) %% 4",
            "is_active": "i %% 50 <> 7",
        },
        "FROM generate_series(1, %(n)s) i JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1"
        " AS k FROM departments_department) d ON d.k = i %% %(departments)s",
        {"n": people, "departments": departments},
    )
    hr = _hr_user()
    insert(
        TechLeadAssignment,
        {
            "department_id": "lead.department_id",
            "person_id": "lead.id",
            "started_at": "now()",
            "reason": "'Knows the systems best'",
            "assigned_by_id": "%(hr)s",
        },
        "FROM (SELECT DISTINCT ON (department_id) department_id, id FROM departments_person"
        " WHERE is_active AND track = 'ic' AND level >= 3"
        " ORDER BY department_id, level, id) lead",
        {"hr": hr.pk},
    )
    execute("ANALYZE")


def _hr_user():
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="bench-hr")
    user.groups.add(Group.objects.get(name="HR"))
    return user


def measure(repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    from departments.models import Person
    from techleads.models import EligibilityRule
    from techleads.selectors import people_with_eligibility, rule_change_preview

    rule = EligibilityRule.objects.get(track="ic", min_level=3, max_level=None)
    rule.min_level = 4
    active = Person.objects.filter(is_active=True)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        preview = rule_change_preview(update=[rule])
    preview_ms, _ = timed(lambda: rule_change_preview(update=[rule]), repeat)
    verdicts_ms, rows = timed(
        lambda: list(people_with_eligibility(active).values_list("id", "eligibility_verdict")),
        repeat,
    )

    client = Client()
    client.force_login(_hr_user())
    body = json.dumps({"update": [{"id": rule.pk, "min_level": 4}]})

    def api_preview():
        response = client.post(
            "/api/v1/eligibility-rules/preview/", body, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response

    def api_list():
        response = client.get("/api/v1/people/?verdict=eligible&page_size=500")
        assert response.status_code == 200, response.content
        return response

    api_preview_ms, _ = timed(api_preview, repeat)
    api_list_ms, listed = timed(api_list, repeat)
    return {
        "active people": active.count(),
        "counts": preview.counts,
        "preview queries": len(queries),
        "preview ms": preview_ms,
        "verdicts of all active people ms": verdicts_ms,
        "verdict rows": len(rows),
        "selector ratio": preview_ms / verdicts_ms,
        "API preview ms": api_preview_ms,
        "API people/?verdict=eligible ms": api_list_ms,
        "eligible (list count)": listed.json()["count"],
        "API ratio": api_preview_ms / api_list_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    from bench.database import drop, recreate
    from bench.large_org import PG, configure

    recreate(PG, DB)
    configure(DB)
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    generate(args.people)
    print(f"{args.people:,} people generated ({time.monotonic() - started:.1f}s)", flush=True)
    try:
        for name, value in measure(args.repeat).items():
            if isinstance(value, float):
                shown = f"{value:.2f}" if name.endswith("ratio") else f"{value:,.1f}"
            else:
                shown = value
            print(f"{name}: {shown}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop(PG, DB)


if __name__ == "__main__":
    main()
