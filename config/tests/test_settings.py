"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_django(env: dict, *args: str) -> subprocess.CompletedProcess:
    unwanted = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
