"""A realistic mixed load against gunicorn on loopback, on the large organisation.

N clients (threads, one requests.Session each) log in as HR, managers, Tech Leads and
employees (several logins of each role: the dashboard's login form for the pages, the
token endpoint for the API) and, for a bounded time, each repeats its role's mix:
dashboard pages, API lists and details, reviews, hand-overs (HR), Jira upserts (HR).
Writes never collide on purpose: each HR client hands over and reviews in its own
share of the departments. Before the timing, every client makes each kind of its role's
requests twice, untimed, so no gunicorn worker's first request of a kind is timed.
Reported per request kind: requests, throughput, p50, p99, p99/p50 and errors (any
answer but the expected one, or no answer); then the document summary's consistency
check, after the run and after a staleness check.

Usage: .venv/bin/python -m bench.load_run [--clients 16] [--seconds 60] [--workers N]
    [--database NAME] [--reuse] [--departments 5000 --people 100000 --documents 1000000]
    [--skip "page capacity" ...]
"""

import argparse
import io
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench import large_org  # noqa: E402
from bench.stats import percentile  # noqa: E402

PORT = 8745
BASE = f"http://127.0.0.1:{PORT}"
DB = "techleads_bench_load"
SEED = 20261206
WARM_ROUNDS = 2  # untimed requests of each kind per client before the timing (warm)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}
# kind: weight per role (hr, manager, techlead, employee). Pages and API reads for all,
# writes for the roles that make them.
MIX = {
    "page overview": (3, 3, 3, 3),
    "page departments": (2, 2, 1, 1),
    "page department": (3, 3, 3, 3),
    "page documents": (2, 2, 2, 2),
    "page eligibility": (1, 1, 1, 0),
    "page processes": (1, 1, 1, 1),
    "page capacity": (1, 1, 1, 0),
    "api people": (2, 2, 2, 1),
    "api departments": (2, 2, 2, 1),
    "api sops": (2, 2, 2, 2),
    "api person": (2, 2, 2, 1),
    "api department": (2, 2, 2, 2),
    "api health": (1, 1, 0, 0),
    "api department health": (1, 1, 1, 0),
    "review": (1, 0, 2, 0),
    "hand over": (1, 0, 0, 0),
    "jira upsert": (2, 0, 0, 0),
}
ROLES = ("hr", "manager", "techlead", "employee")


@dataclass
class Login:
    """What one client knows of its login's world, read before the run."""

    username: str
    role: str
    department: int
    people: list[int]
    documents: list[int]
    # HR only: departments it hands over ({department: [lead, next lead]}) and Jira
    # issues it upserts ((project key, issue number, assignee email)).
    handovers: dict[int, list[int]] = field(default_factory=dict)
    issues: list[tuple[str, int, str]] = field(default_factory=list)


def prepare(args) -> list[Login]:
    """The organisation (made or reused), the logins and what each client will touch."""
    os.environ.update(PRODUCTION, ALLOWED_HOSTS="testserver,127.0.0.1")
    if args.reuse:
        large_org.configure(args.database)
    else:
        large_org.create(args.database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    large_org.grow(departments=args.departments, people=args.people, documents=args.documents)
    per_role = -(-args.clients // len(ROLES))
    usernames = large_org.logins(per_role)
    logins = []
    for index in range(args.clients):
        role = ROLES[index % len(ROLES)]
        logins.append(world(usernames[role][index // len(ROLES)], role))
    hr = [login for login in logins if login.role == "hr"]
    shares(hr, led_by_logins={login.department for login in logins if login.role != "hr"})
    return logins


def world(username: str, role: str) -> Login:
    from departments.models import Department, Person
    from sops.models import Document

    person = Person.objects.filter(user__username=username).first()
    department = person.department_id if person else Department.objects.order_by("id")[0].pk
    people = list(
        Person.objects.filter(department_id=department, is_active=True).values_list(
            "id", flat=True
        )[:20]
    )
    if role == "employee":  # an employee sees their own record only
        people = [person.pk]
    documents = list(
        Document.objects.filter(department_id=department, archived_at=None)
        .exclude(kind="cross_department_process")
        .values_list("id", flat=True)[:20]
    )
    return Login(username, role, department, people, documents)


def shares(hr: list["Login"], *, led_by_logins: set[int]) -> None:
    """Give each HR client its own departments to hand over, review in and upsert Jira
    issues of, so two clients never race for the same row (a race would be a fair 409,
    not what this run measures). Departments whose lead is a Tech Lead login are left
    alone: handing them over would take that login's role away mid-run."""
    from departments.models import Person
    from sops.models import Document
    from techleads.models import ImprovementProject, TechLeadAssignment

    leads = (
        TechLeadAssignment.objects.filter(ended_at=None, department__slug__startswith="unit-")
        .exclude(department_id__in=led_by_logins)
        .order_by("department_id")
        .values_list("department_id", "person_id")[: 20 * len(hr)]
    )
    for index, (department, lead) in enumerate(leads):
        login = hr[index % len(hr)]
        successor = (
            Person.objects.filter(department_id=department, is_active=True, track="ic")
            .exclude(pk=lead)
            .order_by("-level", "id")
            .values_list("id", flat=True)
            .first()
        )
        if successor:
            login.handovers[department] = [lead, successor]
    for login in hr:
        mine = list(login.handovers)
        login.documents = list(
            Document.objects.filter(department_id__in=mine, archived_at=None)
            .exclude(kind="cross_department_process")
            .values_list("id", flat=True)[:50]
        )
        projects = ImprovementProject.objects.filter(department_id__in=mine).values_list(
            "jira_key", "department_id"
        )
        for key, department in projects:
            email = (
                Person.objects.filter(department_id=department, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
                .first()
            )
            login.issues += [(key, n, email) for n in range(1, 6)]


class Client:
    """One simulated user: a session for the pages, a token for the API."""

    def __init__(self, login: Login, rng: random.Random):
        self.login = login
        self.rng = rng
        self.http = requests.Session()
        self.turn = 0
        page = self.http.get(f"{BASE}/login/", timeout=30)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = self.http.post(
            f"{BASE}/login/",
            data={
                "username": login.username,
                "password": large_org.PASSWORD,
                "csrfmiddlewaretoken": csrf,
            },
            headers={"Referer": f"{BASE}/login/"},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, (login.username, answer.status_code)
        # Outside the session: a session-authenticated POST would need the CSRF token.
        token = requests.post(
            f"{BASE}/api/v1/auth/token/",
            json={"username": login.username, "password": large_org.PASSWORD},
            timeout=30,
        ).json()["token"]
        self.api = {"Authorization": f"Token {token}"}
        weights = [w[ROLES.index(login.role)] for w in MIX.values()]
        self.kinds = [kind for kind, w in zip(MIX, weights, strict=True) if w]
        self.weights = [w for w in weights if w]

    def one(self) -> tuple[str, float, str | None]:
        """One request of the role's mix: (kind, seconds, error or None)."""
        return self.do(self.rng.choices(self.kinds, self.weights)[0])

    def do(self, kind: str) -> tuple[str, float, str | None]:
        """One request of `kind`: (kind, seconds, error or None)."""
        method, url, body, expected = self.request(kind)
        headers = self.api if url.startswith("/api/") else {}
        start = time.perf_counter()
        try:
            answer = self.http.request(method, BASE + url, json=body, headers=headers, timeout=60)
            answer.content  # noqa: B018 (the whole body, as a browser would read it)
        except requests.RequestException as exc:
            return kind, time.perf_counter() - start, f"{url}: {exc}"
        elapsed = time.perf_counter() - start
        if answer.status_code not in expected:
            return kind, elapsed, f"{method} {url}: {answer.status_code} {answer.text[:200]}"
        return kind, elapsed, None

    def request(self, kind: str) -> tuple[str, str, dict | None, tuple[int, ...]]:
        login, pick = self.login, self.rng.choice
        department = login.department
        person = pick(login.people) if login.people else None
        simple = {
            "page overview": "/",
            "page departments": "/departments/",
            "page department": f"/departments/{department}/",
            "page documents": "/documents/",
            "page eligibility": "/eligibility/",
            "page processes": "/processes/",
            "page capacity": "/capacity/",
            "api people": "/api/v1/people/?page_size=50",
            "api departments": "/api/v1/departments/?page_size=50",
            "api sops": "/api/v1/sops/?page_size=50",
            "api person": f"/api/v1/people/{person}/",
            "api department": f"/api/v1/departments/{department}/",
            "api health": "/api/v1/departments/health/",
            "api department health": f"/api/v1/departments/{department}/health/",
        }
        if kind in simple:
            return "GET", simple[kind], None, (200,)
        if kind == "review":
            document = pick(login.documents)
            return "POST", f"/api/v1/sops/{document}/reviews/", {"outcome": "confirmed"}, (201,)
        if kind == "hand over":
            department = list(login.handovers)[self.turn % len(login.handovers)]
            self.turn += 1
            lead, successor = login.handovers[department]
            login.handovers[department] = [successor, lead]  # and back, next time
            body = {"person": successor, "reason": "Load run", "override_reason": "Load run"}
            return "POST", f"/api/v1/departments/{department}/handover/", body, (201,)
        key, number, email = pick(login.issues)
        category = pick(["new", "indeterminate", "done"])
        body = {
            "webhookEvent": "jira:issue_updated",
            "issue": {
                "key": f"{key}-{number}",
                "fields": {
                    "summary": f"Task {number} of {key}",
                    "project": {"key": key},
                    "status": {"name": category, "statusCategory": {"key": category}},
                    "assignee": {"emailAddress": email},
                },
            },
        }
        return "POST", "/api/v1/improvement-tasks/jira/", body, (200, 201)


def warm(clients: list[Client], rounds: int = WARM_ROUNDS) -> None:
    """Untimed: each kind of request, `rounds` times from every client whose role makes
    it, the clients at once, so every gunicorn worker has served each kind before the
    timing starts (a worker's first request of a kind imports and compiles what the kind
    needs: seconds, on 2 cores with 16 workers starting together; a deployed worker
    serves thousands of requests after its first)."""
    for kind in MIX:
        makers = [c for c in clients if kind in c.kinds]
        threads = [
            threading.Thread(target=lambda c=c, k=kind: [c.do(k) for _ in range(rounds)])
            for c in makers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def drive(logins: list[Login], seconds: float) -> tuple[dict, list[str], float]:
    """Every client in its own thread until `seconds` have passed, after a warm-up."""
    clients = [Client(login, random.Random(SEED + i)) for i, login in enumerate(logins)]  # noqa: S311
    warm(clients)
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def run(client: Client) -> None:
        while time.perf_counter() < deadline:
            kind, elapsed, error = client.one()
            with lock:
                samples[kind].append(elapsed)
                if error:
                    errors[kind].append(error)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors, time.perf_counter() - start


def report(samples: dict, errors: dict, elapsed: float, args) -> bool:
    print(
        f"\n{args.clients} clients, {elapsed:.0f} s, gunicorn {args.workers} sync workers, "
        f"PostgreSQL; per request kind:"
    )
    print(
        f"{'kind':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'p99/p50':>9}{'errors':>8}"
    )
    worst, total = 0.0, 0
    for kind in MIX:
        times = samples.get(kind)
        if not times:
            continue
        p50, p99 = percentile(times, 50), percentile(times, 99)
        worst, total = max(worst, p99 / p50), total + len(times)
        print(
            f"{kind:<24}{len(times):>9}{len(times) / elapsed:>8.1f}{p50 * 1000:>9.1f}"
            f"{p99 * 1000:>9.1f}{p99 / p50:>8.1f}x{len(errors.get(kind, [])):>8}"
        )
    failed = sum(len(e) for e in errors.values())
    print(
        f"{'all':<24}{total:>9}{total / elapsed:>8.1f}; errors {failed}; "
        f"worst p99/p50 {worst:.1f}x (targets: 0 errors, within 5x)"
    )
    for kind, messages in errors.items():
        print(f"  {kind}: {messages[0]}")
    return failed == 0 and worst <= 5


def consistency(label: str) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    try:
        call_command("check_summary", stdout=out)
    except CommandError as exc:
        print(f"summary after {label}: {exc}")
        return
    print(f"summary after {label}: {out.getvalue().strip().splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: --clients)")
    parser.add_argument("--database", default=DB)
    parser.add_argument("--reuse", action="store_true", help="keep the database's rows")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=list(MIX), help="request kinds left out"
    )
    parser.add_argument("--departments", type=int, default=5_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=1_000_000)
    args = parser.parse_args()
    args.workers = args.workers or args.clients
    for kind in args.skip:
        del MIX[kind]
    logins = prepare(args)
    from django.db import connections

    connections.close_all()
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": os.environ["DATABASE_URL"]}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):  # until it answers
            try:
                requests.get(f"{BASE}/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(1)
        samples, errors, elapsed = drive(logins, args.seconds)
    finally:
        server.terminate()
        server.wait()
    passed = report(samples, errors, elapsed, args)
    consistency("the load run")
    from django.core.management import call_command

    call_command("check_staleness", stdout=io.StringIO())
    consistency("a staleness check")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
