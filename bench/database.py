"""The benchmarks' own PostgreSQL database, made anew for each run."""

import subprocess


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
