"""Settings come from the environment; production refuses to start half-configured; the
test suite runs on its own settings module, and the app's settings have no test switch."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_django(env: dict, *args: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process on the app's settings (not the suite's), with `env` and
    without the variables the test run set for itself."""
    unwanted = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_outside_debug_is_a_clear_startup_error():
    result = run_django({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "DEBUG=1" in result.stderr


def test_pytest_being_importable_relaxes_nothing():
    """The app's settings no longer look for pytest: loaded beside it, they still refuse."""
    code = "import pytest, django; django.setup(); print('started')"
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode != 0 and "SECRET_KEY is not set" in loaded.stderr


def test_debug_alone_is_enough_to_run_locally():
    """`make run` sets DEBUG=1 and nothing else."""
    result = run_django({"DEBUG": "1"}, "check")
    assert result.returncode == 0, result.stderr
    shown = run_django(
        {"DEBUG": "1"},
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT)",
    )
    assert shown.stdout.strip().splitlines()[-1] == "['localhost', '127.0.0.1', '[::1]'] False"


def test_the_suite_runs_on_its_own_settings():
    """pytest.ini points at config.settings_test: no SECRET_KEY needed, plain http on the
    loopback, static files from the source folders, a fast password hasher."""
    assert settings.SETTINGS_MODULE == "config.settings_test"
    assert settings.SECRET_KEY
    assert "localhost" in settings.ALLOWED_HOSTS
    assert not (settings.SECURE_SSL_REDIRECT or settings.SESSION_COOKIE_SECURE)
    assert not (settings.CSRF_COOKIE_SECURE or settings.SECURE_HSTS_SECONDS)
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith(".StaticFilesStorage")
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_deploy_check_is_clean_with_production_settings():
    result = run_django(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 30 + "-prod-like-secret-key-0123456789",
            "ALLOWED_HOSTS": "tl.example.com",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("0", False), ("False", False)]
)
def test_debug_accepts_one_zero_true_false(value, expected):
    result = run_django(
        {"DEBUG": value, "SECRET_KEY": "y" * 60},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )
    assert result.stdout.strip().splitlines()[-1] == str(expected), result.stderr


def test_a_bad_debug_value_is_refused_with_its_name():
    result = run_django({"DEBUG": "maybe", "SECRET_KEY": "y" * 60}, "check")
    assert result.returncode != 0
    assert "DEBUG must be 1/0/true/false" in result.stderr


@pytest.mark.postgres
def test_postgresql_runs_without_jit_unless_asked():
    """JIT compiling cost more than the app's short queries over large tables."""
    show = "from django.db import connection as c; cursor = c.cursor(); "
    show += "cursor.execute('SHOW jit'); print(cursor.fetchone()[0])"
    # Any database of the server will do: its maintenance database always exists.
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    default = run_django({"DEBUG": "1", "DATABASE_URL": url}, "shell", "-c", show)
    asked = run_django(
        {"DEBUG": "1", "DATABASE_URL": url, "DATABASE_JIT": "1"}, "shell", "-c", show
    )
    assert default.stdout.strip().splitlines()[-1] == "off", default.stderr
    assert asked.stdout.strip().splitlines()[-1] == "on", asked.stderr
