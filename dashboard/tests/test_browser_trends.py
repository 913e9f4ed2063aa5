"""The trends pages in a real headless Chromium on the demo data (twelve weeks of daily
snapshots), as HR and as a manager, at 1280 px and on a 390 px phone: axe-core finds no
serious or critical violation (Session.go), both charts are named images that fit the
screen, and their figures are the snapshot's, in the tables."""

import pytest

from dashboard.models import DailySnapshot
from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]


def charts_fit(page, width: int) -> None:
    charts = page.get_by_role("img")
    assert charts.count() == 2
    for i in range(2):
        chart = charts.nth(i)
        assert chart.get_attribute("aria-labelledby")
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] > 100


@pytest.mark.parametrize("width", [1280, PHONE])
def test_hr_reads_the_organisation_s_twelve_weeks(browser, live_server, width):
    hr = Session(browser, live_server.url, "hr", width=width)
    page = hr.go("/trends/")
    charts_fit(page, width)
    if width == PHONE:
        fits_a_phone(page)
    today = DailySnapshot.objects.filter(department=None).latest("day")
    first_row = page.locator("table").first.locator("tbody tr").first
    assert first_row.locator("th").inner_text() == today.day.isoformat()
    assert first_row.locator('td[data-label="Stale"]').inner_text() == str(today.documents_stale)
    coverage = page.locator("table").nth(1).locator("tbody tr").first
    assert coverage.locator('td[data-label="Succession risks"]').inner_text() == str(
        today.succession_risks
    )
    # Twelve weeks, each recorded (the demo has a snapshot for every day).
    assert page.locator("table").first.locator("tbody tr").count() == 12
    assert page.get_by_text("Not recorded").count() == 0
    hr.close()


@pytest.mark.parametrize("width", [1280, PHONE])
def test_a_manager_reads_their_department_s_weeks(browser, live_server, width):
    platform = Department.objects.get(slug="platform")
    manager = Session(browser, live_server.url, "manager", width=width)
    page = manager.go("/trends/")
    charts_fit(page, width)
    # The manager's departments: Platform alone.
    assert page.locator('td[data-label="Departments"]').first.inner_text() == "1"
    # The department page links its own trends.
    page = manager.go(f"/departments/{platform.pk}/")
    page.get_by_role("link", name="Trends over twelve weeks").click()
    page.wait_for_load_state()
    assert page.title().startswith(f"Trends: {platform.name}")
    manager.check_accessibility()
    charts_fit(page, width)
    today = DailySnapshot.objects.filter(department=platform).latest("day")
    assert page.locator('td[data-label="Current"]').first.inner_text() == str(
        today.documents_current
    )
    if width == PHONE:
        fits_a_phone(page)
    manager.close()
