"""The audit trail page in a real headless Chromium, at desktop and phone width: no console
error, no serious or critical axe-core violation, nothing scrolls sideways on a phone."""

import pytest

from dashboard.tests.browser import PASSWORD, PHONE, Session, fits_a_phone
from departments.services import audit_entry_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trail(org):
    """The org's assignment of Lea, plus changes with long before/after values."""
    org.hr.set_password(PASSWORD)
    org.hr.save()
    for n in range(3):
        audit_entry_create(
            actor=org.hr,
            verb="department.update",
            target=org.data,
            department=org.data,
            before={"knowledge_hub_url": "https://hub.example.com/" + "data/" * 20},
            after={"knowledge_hub_url": f"https://hub.example.com/data-{n}", "name": "Data"},
            note="Moved to the new hub " * 5,
        )
    return org


@pytest.mark.parametrize("width", [1280, PHONE])
def test_hr_reads_and_filters_the_trail(browser, live_server, trail, width):
    hr = Session(browser, live_server.url, "hr", width=width)
    page = hr.go("/audit/", shot=f"audit-{width}")
    assert page.title().startswith("Audit trail")
    assert page.locator("ol.audit-trail > li").count() == 4
    if width == PHONE:
        fits_a_phone(page)

    # The raw before/after unfolds, and stays accessible and within the screen.
    page.locator("ol.audit-trail summary").first.click()
    assert page.locator("ol.audit-trail details pre").first.is_visible()
    hr.check_accessibility()
    if width == PHONE:
        fits_a_phone(page)

    # Filtering: only the role's changes; the CSV link carries the same filters.
    page.fill("#id_verb_prefix", "techlead.")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("ol.audit-trail > li").count() == 1
    assert "assigned Lea Lead as Tech Lead of" in page.locator("ol.audit-trail").inner_text()
    href = page.locator("a[download]").get_attribute("href")
    assert href.startswith("/audit/export.csv?") and "verb_prefix=techlead." in href
    hr.check_accessibility()
    hr.close()
