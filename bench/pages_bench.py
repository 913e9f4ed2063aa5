"""Every dashboard page and health endpoint at 10,000 and 1,000,000 documents of the same
organisation, and the overview at 50 and 5,000 departments, as ratios in one run.

One organisation (bench.large_org) in three sizes, each a PostgreSQL database grown from
a copy of the one before:
  A. 50 departments, 1,000 people, 10,000 documents: the overview;
  B. 5,000 departments, 100,000 people, the same 10,000 documents: every page;
  C. B with 1,000,000 documents: every page again (kept for the load run: --database).
Each page is requested as HR through Django's test client (the whole middleware stack,
production settings, no HTTP), the two sizes compared in turns (a few requests on one,
then on the other, ROUNDS times), so a busy moment of the machine slows both sides of a
ratio alike; --requests timed requests per size, p50 reported.
Usage: .venv/bin/python -m bench.pages_bench [--requests 20] [--documents 10000 1000000]
    [--departments 50 5000] [--people 100000]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import large_org  # noqa: E402
from bench.database import copy, drop  # noqa: E402
from bench.stats import percentile  # noqa: E402

DB = "techleads_bench_pages"
# The demo's departments the department pages are measured on (it has people, documents,
# a Tech Lead; its documents grow with the organisation's).
DEPARTMENT = "platform"
BUDGET = 10  # seconds: a slower page is timed once
ROUNDS = 5  # turns between the two sizes a page is compared at
# label: URL name and the argument it takes ("department": Platform; "person": its lead).
PAGES = {
    "overview": ("dashboard:overview", None),
    "departments list": ("dashboard:departments", None),
    "department page": ("dashboard:department", "department"),
    "department trends": ("dashboard:department_trends", "department"),
    "person page": ("dashboard:person", "person"),
    "succession": ("dashboard:succession", None),
    "succession risks": ("dashboard:succession_risks", None),
    "documents list": ("dashboard:documents", None),
    "eligibility": ("dashboard:explorer", None),
    "rules": ("dashboard:rules", None),
    "processes": ("dashboard:processes", None),
    "capacity": ("dashboard:capacity", None),
    "sessions": ("dashboard:sessions", None),
    "improvement": ("dashboard:improvement", None),
    "incidents": ("dashboard:incidents", None),
    "orphans": ("dashboard:orphans", None),
    "inbox": ("dashboard:inbox", None),
    "role changes": ("dashboard:role_changes", None),
    "audit": ("dashboard:audit", None),
    "trends": ("dashboard:trends", None),
    "health (API list)": ("department-health-list", None),
    "health (API detail)": ("department-health", "department"),
}


def production() -> None:
    """Production settings for an in-process client: no DEBUG (no query log), plain HTTP."""
    os.environ.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )


class Pages:
    """An HR client and the pages it can open (a page missing from this project: skipped)."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        from departments.models import Department
        from techleads.models import TechLeadAssignment

        self.client = Client()
        self.client.force_login(get_user_model().objects.get(username="hr"))
        department = Department.objects.get(slug=DEPARTMENT)
        lead = TechLeadAssignment.objects.get(department=department, ended_at=None)
        argument = {"department": department.pk, "person": lead.person_id}
        self.urls = {}
        self.over = set()  # pages timed once, over BUDGET
        for label, (name, takes) in PAGES.items():
            try:
                self.urls[label] = reverse(name, args=[argument[takes]] if takes else [])
            except NoReverseMatch:  # a page this version does not have
                continue

    def p50s(self, name: str, databases: list[str], n: int) -> list[float]:
        """p50 of n requests of page `name` on each of `databases`, taken in turns:
        ROUNDS times, a warm-up request then n / ROUNDS timed ones on each database. A
        page whose first request takes over BUDGET seconds is timed once (marked "*"): at
        that size it is unbounded, and n more would not say more."""
        url = self.urls[name]
        samples: list[list[float]] = [[] for _ in databases]
        for _ in range(ROUNDS):
            for database, times in zip(databases, samples, strict=True):
                use(database)
                first = self.get(url)
                if first > BUDGET:
                    self.over.add(name)
                    times[:] = [first]
                    continue
                times.extend(self.get(url) for _ in range(max(1, n // ROUNDS)))
            if name in self.over:
                break
        return [percentile(times, 50) for times in samples]

    def get(self, url: str) -> float:
        """Seconds to answer `url` (the whole body, streamed or not)."""
        start = time.perf_counter()
        response = self.client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return time.perf_counter() - start


def use(database: str) -> None:
    """Point Django's connection at `database` (the next query reconnects)."""
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = database


def grown_copy(source: str, target: str, **sizes) -> None:
    """`target`: a copy of `source` grown to `sizes` (large_org.grow)."""
    from django.db import connections

    connections.close_all()
    copy(large_org.PG, source, target)
    use(target)
    large_org.grow(**sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--documents", type=int, nargs=2, default=(10_000, 1_000_000))
    parser.add_argument("--departments", type=int, nargs=2, default=(50, 5_000))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database", default=DB)
    args = parser.parse_args()
    (few_docs, many_docs), (few_depts, many_depts) = args.documents, args.departments
    n = args.requests
    production()
    sizes = {"A": f"{args.database}_a", "B": f"{args.database}_b", "C": args.database}
    large_org.say(f"A. {few_depts} departments, {few_docs:,} documents")
    large_org.create(sizes["A"])
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' manifest
    per_department = args.people // many_depts
    large_org.grow(departments=few_depts, people=few_depts * per_department, documents=few_docs)
    pages = Pages()  # logged in before the copies: its session is in each database
    large_org.say(f"B. {many_depts} departments, {args.people:,} people, {few_docs:,} documents")
    grown_copy(
        sizes["A"], sizes["B"], departments=many_depts, people=args.people, documents=few_docs
    )
    large_org.say(f"C. the same with {many_docs:,} documents")
    grown_copy(
        sizes["B"], sizes["C"], departments=many_depts, people=args.people, documents=many_docs
    )
    large_org.say("timing the overview at A and B, then every page at B and C, in turns")
    overview_few, overview_many = pages.p50s("overview", [sizes["A"], sizes["B"]], n)
    small, large = {}, {}
    for name in pages.urls:
        small[name], large[name] = pages.p50s(name, [sizes["B"], sizes["C"]], n)
    from django.db import connections

    connections.close_all()
    drop(large_org.PG, sizes["A"])
    drop(large_org.PG, sizes["B"])

    print(f"\np50 of {n} requests as HR (test client, PostgreSQL), the same run:")
    print(f"{'page':<22}{few_docs:>11,} docs{many_docs:>11,} docs{'ratio':>8}")
    for name in pages.urls:
        mark = "*" if name in pages.over else ""
        print(
            f"{name + mark:<22}{small[name] * 1000:>13.1f}ms{large[name] * 1000:>13.1f}ms"
            f"{large[name] / small[name]:>7.2f}x"
        )
    print(
        f"{'overview':<22}{few_depts:>11,} depts{many_depts:>10,} depts\n"
        f"{'':<22}{overview_few * 1000:>13.1f}ms{overview_many * 1000:>13.1f}ms"
        f"{overview_many / overview_few:>7.2f}x"
    )
    if pages.over:
        print(f"* over {BUDGET} s at some size: timed once")
    worst = max(large[name] / small[name] for name in pages.urls)
    print(
        f"worst documents ratio {worst:.2f}x (goal 2x), median "
        f"{statistics.median(large[m] / small[m] for m in pages.urls):.2f}x; departments "
        f"ratio {overview_many / overview_few:.2f}x (goal 2x)"
    )


if __name__ == "__main__":
    main()
