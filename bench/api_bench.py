"""API list endpoints at 100 rows against a bare Django view returning the same answer.

Serves the app with gunicorn (one sync worker, production settings) on loopback, on
PostgreSQL, and reports p50/p95 per endpoint and the ratio to the bare view, measured
in the same run, the two requested in turns. The bare view's answer is checked first: the
same total, rows and fields as the endpoint's (bench/urls.py).
Usage: .venv/bin/python -m bench.api_bench [--requests 300]
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.database import recreate
from bench.stats import percentile

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG_BASE", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_API_DATABASE", "techleads_bench_api")
PORT = 8744
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"{PG}/{DB}",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}
ENV.pop("REDIS_URL", None)
PAIRS = [
    ("people", "/api/v1/people/?page_size=100&ordering=id"),
    ("departments", "/api/v1/departments/?page_size=100&ordering=id"),
    ("sops", "/api/v1/sops/?page_size=100&ordering=id"),
]


def manage(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def prepare() -> str:
    recreate(PG, DB)
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("seed_demo", "--password", "bench-password-1")
    # 120 departments so the departments list has 100 rows too.
    manage(
        "shell",
        "-c",
        (
            "from departments.models import Department\n"
            "Department.objects.bulk_create([Department(name=f'Bench {i}', slug=f'bench-{i}')"
            " for i in range(110)])"
        ),
    )
    return (
        manage(
            "shell",
            "-c",
            (
                "from rest_framework.authtoken.models import Token\n"
                "from django.contrib.auth.models import User\n"
                "print(Token.objects.get_or_create(user=User.objects.get(username='hr'))[0].key)"
            ),
        )
        .strip()
        .splitlines()[-1]
    )


def once(url: str, token: str | None) -> tuple[float, bytes]:
    headers = {"Authorization": f"Token {token}"} if token else {}
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{url}", headers=headers)
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:  # noqa: S310 (loopback only)
        body = response.read()
    return time.perf_counter() - start, body


def timed(pairs: list[tuple[str, str | None]], n: int) -> list[list[float]]:
    """n samples of each (url, token), taken in turns, so a busy moment of the machine
    slows both sides of a ratio alike."""
    samples = [[] for _ in pairs]
    for _ in range(n):
        for (url, token), times in zip(pairs, samples, strict=True):
            times.append(once(url, token)[0])
    for url, token in pairs:
        assert len(json.loads(once(url, token)[1])["results"]) == 100, url
    return samples


def same_answer(bare: bytes, api: bytes) -> bool:
    """Whether the bare view answered what the endpoint did: the total, every row with
    every field, and the page links (the next page's address aside: its path differs)."""
    bare, api = json.loads(bare), json.loads(api)
    return (
        bare["count"] == api["count"]
        and bare["results"] == api["results"]
        and (bare["next"] is None) == (api["next"] is None)
        and bare["previous"] == api["previous"]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    n = parser.parse_args().requests
    token = prepare()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        time.sleep(2)
        print(f"{'endpoint':<14}{'bare p50':>10}{'api p50':>10}{'api p95':>10}{'ratio':>8}")
        for name, url in PAIRS:
            pair = [(f"/bare/{name}/", None), (url, token)]
            assert same_answer(once(*pair[0])[1], once(*pair[1])[1]), name
            timed(pair, 20)  # warm up both
            bare, api = timed(pair, n)
            b50, a50, a95 = percentile(bare, 50), percentile(api, 50), percentile(api, 95)
            print(
                f"{name:<14}{b50 * 1000:>9.2f}ms{a50 * 1000:>8.2f}ms{a95 * 1000:>8.2f}ms"
                f"{a50 / b50:>7.1f}x"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
