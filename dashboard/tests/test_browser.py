"""The dashboard in a real headless Chromium, against the live server on the demo data.

Fails on any browser console error, and on any serious or critical axe-core violation.
Screenshots of every page land in artifacts/screenshots/ (CI keeps them).
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from departments.models import Department
from sops.models import Document
from techleads.models import TechLeadAssignment

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "browser-demo-password"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(seeded):
    """The demo organisation, after a staleness check (the overview's last run, the inbox)."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password=PASSWORD, stdout=quiet)
        call_command("check_staleness", stdout=quiet)


class Session:
    """One logged-in browser page that records console errors and checks accessibility."""

    def __init__(self, browser, base_url, username, width=1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.base = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.base + "/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def go(self, path, shot=None):
        self.page.goto(self.base + path)
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        self.check_accessibility()
        return self.page

    def check_accessibility(self):
        import axe_playwright_python

        axe = Path(axe_playwright_python.__file__).parent / "axe.min.js"
        self.page.add_script_tag(path=str(axe))
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], serious

    def close(self):
        self.context.close()
        assert self.errors == [], self.errors


def number(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def test_dashboard_in_a_real_browser(browser, live_server, demo):
    """One scenario (the demo data is loaded once): HR, then a manager, then a phone."""
    hr_runs_the_role(browser, live_server.url)
    manager_sees_only_their_department(browser, live_server.url)
    phone_width_does_not_scroll_sideways(browser, live_server.url)


def hr_runs_the_role(browser, base_url):
    hr = Session(browser, base_url, "hr")
    page = hr.go("/", shot="overview")
    # The overview's figures are the database's.
    active = TechLeadAssignment.objects.filter(department=OuterRef("pk"), ended_at=None)
    leadless = Department.objects.filter(~Exists(active)).count()
    assert number(page.locator(".kpi").nth(1).inner_text()) == leadless
    assert (
        number(page.locator(".kpi").nth(3).inner_text())
        == Document.objects.filter(status="stale").count()
    )
    # A chart segment links to the documents behind it.
    segment = page.locator("svg.chart a").first
    label = segment.get_attribute("aria-label")
    segment.click()
    page.wait_for_load_state()
    department = Department.objects.get(name=label.split(":")[0])
    status = label.rsplit(" ", 1)[1]
    expected = Document.objects.filter(department=department, status=status).count()
    assert number(page.locator("main p.muted").first.inner_text()) == expected

    # Assign a Tech Lead where there is none: an ineligible person is refused with the reason.
    it = Department.objects.get(slug="it-operations")
    page = hr.go(f"/departments/{it.pk}/", shot="department")
    junior = it.people.filter(track="ic", level__lte=2, is_active=True).first()
    senior = it.people.filter(track="ic", level__gte=3, is_active=True).first()
    page.select_option("#id_person", str(junior.pk))
    page.fill("#id_reason", "Keen to lead")
    page.click("button:text-is('Assign')")
    assert page.locator(".error").first.is_visible()
    assert "below Level 3 cannot be Tech Leads yet" in page.content()
    assert not TechLeadAssignment.objects.filter(department=it, ended_at=None).exists()
    page.select_option("#id_person", str(senior.pk))
    page.fill("#id_reason", "Knows the tooling best")
    page.click("button:text-is('Assign')")
    assert f"{senior.full_name} is now the Tech Lead" in page.content()

    # Hand over Platform to an eligible colleague.
    platform = Department.objects.get(slug="platform")
    page = hr.go(f"/departments/{platform.pk}/")
    current = TechLeadAssignment.objects.get(department=platform, ended_at=None).person
    successor = (
        platform.people.filter(track="ic", level__gte=3, is_active=True)
        .exclude(pk=current.pk)
        .first()
    )
    page.select_option("#id_person", str(successor.pk))
    page.fill("#id_reason", "Ready to take over")
    page.click("button:text-is('Hand over')")
    assert "Handed over" in page.content()
    assert TechLeadAssignment.objects.get(department=platform, ended_at=None).person == successor

    # Mark a stale document reviewed.
    stale = Document.objects.filter(department=platform, status="stale").first()
    page = hr.go(f"/documents/{stale.pk}/")
    page.select_option("#id_outcome", "confirmed")
    page.click("button:text-is('Record review')")
    assert "Review recorded" in page.content()
    stale.refresh_from_db()
    assert stale.status == "current"

    hr.go("/eligibility/?verdict=transition", shot="explorer")
    hr.go("/documents/?status=stale", shot="documents")
    page = hr.go("/inbox/", shot="inbox")
    page.click("button:text-is('Mark all as read')")
    assert page.locator(".messages").inner_text().startswith("Marked ")
    hr.close()


def manager_sees_only_their_department(browser, base_url):
    manager = Session(browser, base_url, "manager")
    page = manager.go("/")
    rows = page.locator("table.heat tbody tr")
    assert rows.count() == 1 and "Platform" in rows.first.inner_text()
    other = Department.objects.exclude(slug="platform").first()
    response = manager.context.request.get(f"{base_url}/departments/{other.pk}/")
    assert response.status == 404
    manager.close()


def phone_width_does_not_scroll_sideways(browser, base_url):
    phone = Session(browser, base_url, "hr", width=390)
    for path in ("/", "/departments/", "/eligibility/", "/documents/"):
        page = phone.go(path, shot="overview-phone" if path == "/" else None)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone.close()
