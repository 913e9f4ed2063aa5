"""The dashboard in a real headless Chromium, against the live server on the demo data.

Fails on any browser console error, and on any serious or critical axe-core violation.
Screenshots of every page land in artifacts/screenshots/ (CI keeps them).
"""

import re

import pytest
from django.db.models import Exists, OuterRef

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department
from sops.models import Document
from techleads.models import TechLeadAssignment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def number(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def test_dashboard_in_a_real_browser(browser, live_server, live_demo):
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
    phone = Session(browser, base_url, "hr", width=PHONE)
    for path in ("/", "/departments/", "/eligibility/", "/documents/"):
        page = phone.go(path, shot="overview-phone" if path == "/" else None)
        fits_a_phone(page)
    phone.close()
