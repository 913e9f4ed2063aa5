"""Shared fixtures: a small organisation and one login per role.

`org` is two departments: Platform (manager Maya, Tech Lead Lea, IC Ian, junior Jo) and
Data (manager Max, no Tech Lead, IC Dana). Logins: hr, maya (manager of Platform),
max (manager of Data), lea (Tech Lead of Platform), ian (employee), and nobody
(a login without a person). `may_2030` freezes the clock on a known day.
"""

import os
import shutil
from datetime import UTC, datetime
from importlib import import_module
from types import SimpleNamespace

import pytest
import time_machine

from departments.models import Track
from departments.tests.factories import DepartmentFactory, PersonFactory, UserFactory
from techleads.services import assignment_create

pytest_plugins = ["departments.tests.api"]

SEEDING_MIGRATIONS = [
    ("departments.migrations.0002_hr_group", "create_hr_group"),
    ("departments.migrations.0004_integrations_group", "create_group"),
    ("techleads.migrations.0002_default_eligibility_policy", "seed_policy"),
    ("sops.migrations.0005_daily_staleness_schedule", "create_schedule"),
    ("sops.migrations.0006_hr_edits_the_schedule", "grant"),
    ("integrations.migrations.0002_sweep_schedule", "create_schedule"),
    ("integrations.migrations.0004_webhook_sweep_and_hr", "create_schedule"),
    ("integrations.migrations.0004_webhook_sweep_and_hr", "grant"),
    ("dashboard.migrations.0002_daily_snapshot_schedule", "create_schedule"),
]


@pytest.fixture
def seeded(db):
    """The rows data migrations create (the policy, the groups, the beat schedule).

    Transactional tests (live server, threads, a Celery worker) flush the database when
    they end, and these rows with it; re-running the same idempotent functions puts
    them back for whichever test comes next.
    """
    from django.apps import apps

    for module, function in SEEDING_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture
def hr_user(seeded):
    return UserFactory(username="hr", hr=True)


@pytest.fixture
def org(db, hr_user):
    platform = DepartmentFactory(name="Platform", slug="platform")
    data = DepartmentFactory(name="Data", slug="data")
    maya = PersonFactory(
        full_name="Maya Manager",
        department=platform,
        track=Track.MANAGER,
        level=1,
        user=UserFactory(username="maya"),
    )
    max_ = PersonFactory(
        full_name="Max Manager",
        department=data,
        track=Track.MANAGER,
        level=1,
        user=UserFactory(username="max"),
    )
    platform.manager = maya
    platform.save()
    data.manager = max_
    data.save()
    lea = PersonFactory(
        full_name="Lea Lead", department=platform, level=4, user=UserFactory(username="lea")
    )
    ian = PersonFactory(
        full_name="Ian Engineer", department=platform, level=3, user=UserFactory(username="ian")
    )
    jo = PersonFactory(full_name="Jo Junior", department=platform, level=2)
    dana = PersonFactory(full_name="Dana Data", department=data, level=5)
    lead = assignment_create(
        department=platform, person=lea, assigned_by=hr_user, reason="Knows the platform best"
    )
    return SimpleNamespace(
        platform=platform,
        data=data,
        maya=maya,
        max=max_,
        lea=lea,
        ian=ian,
        jo=jo,
        dana=dana,
        lead=lead,
        hr=hr_user,
        nobody=UserFactory(username="nobody"),
    )


MAY_2030 = datetime(2030, 5, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def may_2030():
    """The clock on 15 May 2030, 09:30 UTC, ticking: "this month" is May 2030. Yields that
    moment."""
    with time_machine.travel(MAY_2030, tick=True):
        yield MAY_2030


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, the tests whose real service this machine lacks."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    no_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    no_redis = pytest.mark.skip(reason="needs Redis and a Celery worker: set REDIS_URL")
    no_browser = pytest.mark.skip(reason="needs Chromium at /usr/bin/chromium and playwright")
    has_browser = shutil.which("chromium") is not None or os.path.exists("/usr/bin/chromium")
    for item in items:
        if "postgres" in item.keywords and "postgresql" not in engine:
            item.add_marker(no_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(no_redis)
        if "browser" in item.keywords and not has_browser:
            item.add_marker(no_browser)


@pytest.fixture
def hr_client(client, org):
    """The Django test client logged in as HR, with admin access."""
    org.hr.is_staff = True
    org.hr.save()
    client.force_login(org.hr)
    return client
