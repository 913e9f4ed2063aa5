"""The benchmarks' own PostgreSQL database, made anew for each run."""

import subprocess


def drop(pg_base: str, name: str) -> None:
    """Drop database `name` on the server at `pg_base`, if it exists."""
    subprocess.run(
        ["psql", f"{pg_base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
        check=True,
        capture_output=True,
    )


def recreate(pg_base: str, name: str) -> None:
    """Drop and create database `name` on the server at `pg_base` (postgres://host:port)."""
    subprocess.run(
        ["psql", f"{pg_base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["psql", f"{pg_base}/postgres", "-qc", f"CREATE DATABASE {name}"],
        check=True,
        capture_output=True,
    )


def copy(pg_base: str, source: str, target: str) -> None:
    """Database `target`, anew, as a copy of `source` (which nobody may be connected to)."""
    drop(pg_base, target)
    subprocess.run(
        ["psql", f"{pg_base}/postgres", "-qc", f"CREATE DATABASE {target} TEMPLATE {source}"],
        check=True,
        capture_output=True,
    )
