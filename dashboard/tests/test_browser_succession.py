"""Succession in a real headless Chromium, at 1280 px and on a 390 px phone, every page
checked with axe-core: HR reads the succession page and filters it by risk; Platform's
manager nominates a junior (listed with their verdict, flagged once nominated) as the
emergency successor and confirms the candidate whose confirmation expired."""

import pytest
from playwright.sync_api import expect

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

WIDTHS = [1280, PHONE]


@pytest.mark.parametrize("width", WIDTHS)
def test_hr_reads_and_filters_the_succession_page(browser, live_server, width):
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go("/succession/", shot=f"succession-{width}")
    expect(page).to_have_title("Succession · Tech Lead management")
    expect(page.get_by_role("link", name="Succession", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    table = page.locator("tbody")
    expect(table.get_by_text("No Tech Lead").first).to_be_visible()
    expect(table.get_by_text("Confirmation expired").first).to_be_visible()
    if width == PHONE:
        fits_a_phone(page)
    page.get_by_label("Risk", exact=True).select_option("leadless")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    session.check_accessibility()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("No Tech Lead")
    assert "Lead in transition" not in page.locator("tbody").inner_text()
    expect(page.get_by_role("link", name="IT Operations")).to_be_visible()
    session.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_manager_nominates_and_confirms(browser, live_server, width):
    platform = Department.objects.get(slug="platform")
    session = Session(browser, live_server.url, "manager", width=width)
    page = session.go(f"/departments/{platform.pk}/")
    successors = page.locator("#successors")
    expired = successors.locator("li.candidate", has_text="Confirmation expired")
    expect(expired).to_have_count(1)
    # Confirm the expired candidate: their flag goes.
    with page.expect_navigation():
        expired.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Confirmed")
    expect(successors.get_by_text("Confirmation expired")).to_have_count(0)
    session.check_accessibility()
    # Nominate a junior: the choice says they are ineligible; nominated, they are flagged.
    # The person picker: type the name, choose the option (its label carries the verdict).
    label = successors.locator("select[name=person] option", has_text="— Ineligible").first
    label = label.inner_text()
    name = label.split(" (")[0]
    picker = successors.locator("input.picker-input")
    if picker.count():
        picker.fill(name)
        successors.locator("[role=option]", has_text=name).first.click()
    else:  # the plain select, without the picker's script
        successors.locator("select[name=person]").select_option(label=label)
    successors.get_by_label("Readiness").select_option("ready_now")
    successors.get_by_label("Rank").fill("4")
    successors.get_by_label("Emergency successor").check()
    with page.expect_navigation():
        successors.get_by_role("button", name="Nominate").click()
    added = page.locator("#successors li.candidate", has_text=name)
    expect(added).to_contain_text("Emergency successor")
    expect(added).to_contain_text("Ineligible: their level does not allow the role")
    session.check_accessibility()
    if width == PHONE:
        fits_a_phone(page)
    page = session.go("/succession/")
    expect(page.get_by_role("link", name="Platform")).to_be_visible()
    session.close()
