"""Fixtures of the dashboard tests: a way to grow the `org` fixture (for query counts that
must not depend on the size of the organisation), the Chromium the browser tests drive
through pytest-playwright and the demo organisation they run on."""

import os
from itertools import count

import pytest
from django.core.management import call_command

from dashboard.tests.browser import PASSWORD
from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.models import Notification
from sops.services import document_create
from techleads.services import assignment_create, successor_nominate

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download is not used: Debian's chromium, headless, and quiet
# (no update checks or sync calls that could log console errors or slow the suite).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    # Playwright's sync API keeps an event loop in this thread until the session ends;
    # without this Django refuses every ORM call made beside it (SynchronousOnlyOperation).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_demo(seeded):
    """The demo organisation (every login's password is browser.PASSWORD), after a
    staleness check (the overview's last run, the inbox): what the browser tests run on."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password=PASSWORD, stdout=quiet)
        call_command("check_staleness", stdout=quiet)


@pytest.fixture
def grow(org):
    """grow(n) adds n departments to `org` (every other one with a Tech Lead, each with three
    people and a never-reviewed document), and n people, documents, successor candidates
    and inbox notifications to Platform, so every page has more of everything to show."""
    serial = count()

    def add(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            department = DepartmentFactory(manager=org.maya)
            people = PersonFactory.create_batch(3, department=department, level=4)
            if i % 2:
                assignment_create(
                    department=department, person=people[0], assigned_by=org.hr, reason="Grow"
                )
            document_create(
                actor=org.hr,
                title=f"Runbook {i}",
                kind="sop",
                department=department,
                last_reviewed_at=None,
            )
            newcomer = PersonFactory(department=org.platform, level=3 + i % 3)
            successor_nominate(
                department=org.platform, person=newcomer, actor=org.hr, readiness="developing"
            )
            document = document_create(
                actor=org.hr,
                title=f"Platform guide {i}",
                kind="best_practice",
                department=org.platform,
            )
            for recipient in (org.lea, None):
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind="digest" if recipient else "hr_report",
                    subject=f"Digest {i}",
                    body=f"{document.title} is due.",
                    dedup_key=f"grow-{i}-{recipient and recipient.pk}",
                )
                notification.documents.add(document)

    return add
