"""Faults as an operator meets them: the Procfile's web command (gunicorn) serving the app
on its own PostgreSQL and Redis, each stopped and started again under it.

- Both up: /readyz is 200, a page and the API are 200.
- PostgreSQL stopped: pages are a plain 503 page, /api/ a JSON 503, /readyz a 503 naming
  the database, /healthz still 200; started again: the next requests are 200, with the
  same gunicorn.
- Redis stopped: pages and the API are 200 and fast, /readyz a 503 naming the broker, and
  HR's "Run the staleness check now" succeeds, leaving a pending QueuedTask; Redis
  started again: the sweep sends it and the Procfile's worker, reconnected, runs it.

This test starts its own servers (loopback, free ports, temporary folders) and needs the
PostgreSQL server binaries (initdb, pg_ctl) and redis-server; it runs in the suite's
PostgreSQL + Redis pass and is skipped, with the reason, where they are missing.
"""

import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.postgres, pytest.mark.redis]

HR_PASSWORD = "fault-test-password-4821"  # noqa: S105
FAST = 3.0  # seconds: "fast" for one request during an outage


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def stop_process(process: subprocess.Popen):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class Redis:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: port_open(self.port), 15, "redis-server")

    def stop(self):
        if self.process:
            stop_process(self.process)
            self.process = None


class Postgres:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.data = folder / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args: str):
        subprocess.run(  # noqa: S603
            [*self.as_postgres, *args], check=True, capture_output=True, timeout=120
        )

    def init(self):
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self.run(pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l",
            str(self.folder / "log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def connect(self, dbname: str = "app"):
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname
        )
        connection.autocommit = True
        return connection


def procfile_command(process: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"no {process} process in the Procfile")


@pytest.fixture(scope="module")
def servers():
    missing = [b for b in ("initdb", "pg_ctl") if not pg_bin(b)]
    missing += [b for b in ("redis-server",) if not shutil.which(b)]
    missing += [b for b in ("gunicorn",) if not (VENV_BIN / b).exists() and not shutil.which(b)]
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser")
    if missing:
        pytest.skip(f"the fault test needs {', '.join(missing)} on this machine")
    folder = Path(tempfile.mkdtemp(prefix="techleads-faults-"))
    folder.chmod(0o755)
    pg = Postgres(folder / "pg")
    pg.folder.mkdir()
    redis = Redis(folder)
    web = worker = None
    try:
        pg.init()
        pg.start()
        pg.connect("postgres").cursor().execute("CREATE DATABASE app")
        redis.start()
        port = free_port()
        env = {
            **os.environ,
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/app",
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "SECRET_KEY": "fault-test-only-" + "x" * 40,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            # Its own collected static files: the repository's folder may be served by
            # another run at the same time.
            "STATIC_ROOT": str(folder / "static"),
        }

        def manage(*args: str, code: str | None = None) -> str:
            command = [sys.executable, "manage.py", *args] + (["-c", code] if code else [])
            done = subprocess.run(  # noqa: S603
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, done.stderr[-3000:]
            return done.stdout

        manage("migrate", "--noinput", "-v0")
        manage("collectstatic", "--noinput", "-v0")
        token = manage(
            "shell",
            code=(
                "from django.contrib.auth.models import Group, User\n"
                "from rest_framework.authtoken.models import Token\n"
                f"u = User.objects.create_user('hr', password='{HR_PASSWORD}', is_staff=True)\n"
                "u.groups.add(Group.objects.get(name='HR'))\n"
                "print(Token.objects.create(user=u).key)\n"
            ),
        ).split()[-1]
        # The Procfile's web command as written, bound to the loopback only.
        command = procfile_command("web").replace("0.0.0.0:", "127.0.0.1:")  # noqa: S104
        web = subprocess.Popen(  # noqa: S603
            [shutil.which("bash") or "/bin/bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env=env,
            stdout=open(folder / "web.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        import requests

        wait_for(lambda: requests.get(f"{base}/healthz", timeout=2).ok, 60, "gunicorn")
        # The Procfile's worker, one process: it runs what the sweep hands to Redis.
        worker = subprocess.Popen(  # noqa: S603
            [shutil.which("bash") or "/bin/bash", "-c",
             f"exec {procfile_command('worker')} --concurrency=1"],
            cwd=ROOT,
            env=env,
            stdout=open(folder / "worker.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        yield {"pg": pg, "redis": redis, "base": base, "token": token, "manage": manage,
               "web": web, "folder": folder}  # fmt: skip
    finally:
        for process in (web, worker):
            if process is not None:
                stop_process(process)
        redis.stop()
        try:
            pg.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(servers):
    """HR logged in to the dashboard (a session cookie), as in a browser."""
    import requests

    session = requests.Session()
    base = servers["base"]
    session.get(f"{base}/login/", timeout=10)
    response = session.post(
        f"{base}/login/",
        data={
            "username": "hr",
            "password": HR_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/login/"},
        timeout=10,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, response.text[:500]
    return session


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, timeout=10, **kwargs)
    return response, time.monotonic() - started


def api_get(servers, path="/api/v1/departments/"):
    import requests

    return timed(
        requests.get,
        servers["base"] + path,
        headers={"Authorization": f"Token {servers['token']}"},
    )


def run_staleness_check_now(servers, browser):
    """HR presses "Run the staleness check now" on the staleness runs' admin page."""
    base = servers["base"]
    page = browser.get(f"{base}/admin/sops/stalenessrun/", timeout=10)
    assert page.status_code == 200 and "Run the staleness check now" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return timed(
        browser.post,
        f"{base}/admin/sops/stalenessrun/run-now/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/admin/sops/stalenessrun/"},
    )


def queued_tasks(servers) -> list[tuple[str, str, int, str]]:
    with servers["pg"].connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT task, status, attempts, last_error FROM integrations_queuedtask ORDER BY id"
        )
        return cursor.fetchall()


def staleness_runs(servers) -> int:
    with servers["pg"].connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sops_stalenessrun WHERE finished_at IS NOT NULL")
        return cursor.fetchone()[0]


def test_the_app_rides_out_database_and_broker_outages(servers, browser):
    import requests

    base = servers["base"]

    # Both up.
    ready = requests.get(f"{base}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert browser.get(f"{base}/", timeout=10).status_code == 200
    assert api_get(servers)[0].status_code == 200

    # PostgreSQL stopped.
    servers["pg"].stop()
    page, seconds = timed(browser.get, f"{base}/")
    assert page.status_code == 503 and seconds < FAST
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Service unavailable" in page.text and "Traceback" not in page.text
    assert page.headers["Retry-After"]
    api, seconds = api_get(servers)
    assert api.status_code == 503 and seconds < FAST
    assert api.headers["Content-Type"] == "application/json" and api.json()["detail"]
    ready = requests.get(f"{base}/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unavailable"
    assert requests.get(f"{base}/healthz", timeout=10).json() == {"status": "ok"}

    # PostgreSQL back: the same gunicorn serves again, every worker, at once.
    servers["pg"].start()
    for _ in range(6):
        assert browser.get(f"{base}/", timeout=10).status_code == 200
        assert api_get(servers)[0].status_code == 200
    assert requests.get(f"{base}/readyz", timeout=10).status_code == 200
    assert servers["web"].poll() is None  # never restarted

    # Redis stopped: pages and the API keep working, fast.
    servers["redis"].stop()
    times = []
    for _ in range(3):
        page, seconds = timed(browser.get, f"{base}/")
        assert page.status_code == 200 and seconds < FAST, seconds
        api, api_seconds = api_get(servers)
        assert api.status_code == 200 and api_seconds < FAST, api_seconds
        times += [seconds, api_seconds]
    ready = requests.get(f"{base}/readyz", timeout=10)
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": "ok", "broker": "unavailable"}
    response, seconds = run_staleness_check_now(servers, browser)
    assert response.status_code == 200 and seconds < FAST, seconds
    assert "The staleness check is queued" in response.text
    print(f"Redis down: slowest page/API {max(times):.3f} s, run-now {seconds:.3f} s")
    [(task, status, attempts, error)] = queued_tasks(servers)
    assert (task, status, attempts) == ("sops.tasks.check_staleness", "pending", 1)
    assert error  # why it waits, for the admin's outbox page

    assert staleness_runs(servers) == 0

    # Redis back: the sweep sends what waited, and the worker (reconnected) runs it; a new
    # request publishes at once.
    servers["redis"].start()
    assert requests.get(f"{base}/readyz", timeout=10).status_code == 200
    out = servers["manage"](
        "shell", code="from integrations.services import outbox_sweep; print(outbox_sweep())"
    )
    assert "'sent': 1" in out, out
    assert [row[1] for row in queued_tasks(servers)] == ["sent"]
    wait_for(lambda: staleness_runs(servers) == 1, 90, "the worker to run the swept check")
    response, _ = run_staleness_check_now(servers, browser)
    assert response.status_code == 200
    assert [row[1] for row in queued_tasks(servers)] == ["sent", "sent"]
    wait_for(lambda: staleness_runs(servers) == 2, 90, "the worker to run the second check")
