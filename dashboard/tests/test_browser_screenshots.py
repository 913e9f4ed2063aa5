"""The README's screenshots, taken in Chromium on the demo data: run
`DOCS_SCREENSHOTS=1 pytest dashboard/tests/test_browser_screenshots.py` to write them to
docs/screenshots/ (without the variable the test is skipped, so the suite never rewrites
the committed images)."""

import os

import pytest
from django.urls import NoReverseMatch, reverse

from dashboard.tests.browser import PHONE, ROOT, Session
from departments.models import Department

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DOCS_SCREENSHOTS"), reason="set DOCS_SCREENSHOTS=1 to write them"
    ),
]

DOCS = ROOT / "docs" / "screenshots"


def person_page(department: Department) -> str | None:
    """A Tech Lead's person page, where the dashboard has person pages."""
    lead = department.tech_lead_assignments.filter(ended_at=None).get().person
    try:
        return reverse("dashboard:person", args=[lead.pk])
    except NoReverseMatch:
        return None


def shoot(session: Session, path: str, name: str, *, height: int | None = None) -> None:
    """The whole page, or its first `height` pixels."""
    page = session.go(path)  # axe runs first: no screenshot of a page that fails it
    DOCS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": height} if height else None
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True, clip=clip)


def test_readme_screenshots(browser, live_server, live_demo):
    platform = Department.objects.get(slug="platform")
    desk = Session(browser, live_server.url, "hr")
    shoot(desk, "/", "overview")
    shoot(desk, f"/departments/{platform.pk}/", "department")
    shoot(desk, "/trends/", "trends")
    person = person_page(platform)
    if person:
        shoot(desk, person, "person")
    desk.close()
    phone = Session(browser, live_server.url, "hr", width=PHONE)
    # A phone's first screens: the overview's chart, the department page's tables.
    shoot(phone, "/", "overview-phone", height=2000)
    shoot(phone, f"/departments/{platform.pk}/", "department-phone", height=2000)
    phone.close()
