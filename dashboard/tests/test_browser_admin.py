"""The admin as HR uses it, in a real headless Chromium at 1280 px: the index, a department,
the assign and the hand-over pages are branded as the product, have no serious or critical
axe-core violation and no sideways scroll, and an assignment shows in Recent actions."""

import pytest

from dashboard.tests.browser import PASSWORD, Session
from departments.tests.factories import PersonFactory
from techleads.models import EligibilityRule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WIDTH = 1280


def fits_the_window(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, (page.url, width, inner)


def axe_on_a_change_form(hr) -> None:
    """Session.check_accessibility on a page with autocompletes and inlines, where axe-core's
    own checks apply inline styles that the page's policy refuses (console errors of axe's
    making: loading the page alone logs none, the CSP test covers that)."""
    before = len(hr.errors)
    hr.check_accessibility()
    hr.errors[before:] = [e for e in hr.errors[before:] if "Applying inline style" not in e]


@pytest.fixture
def hr_at_the_desk(org):
    """HR (the HR group) with admin access and the browser tests' password; Data gets a
    candidate whose verdict's reason is long, as the real policy's are."""
    org.hr.is_staff = True
    org.hr.set_password(PASSWORD)
    org.hr.save()
    EligibilityRule.objects.filter(is_active=True).update(
        explanation="Level 3 and above can be Tech Leads " + "when they know the systems well " * 8
    )
    PersonFactory(full_name="Casey Candidate", department=org.data, level=4)
    return org


def test_hr_uses_the_admin_in_a_real_browser(browser, live_server, hr_at_the_desk):
    org = hr_at_the_desk
    hr = Session(browser, live_server.url, "hr", width=WIDTH)

    page = hr.go("/admin/")
    assert page.locator("#site-name").inner_text() == "Tech Lead management"
    assert "HR's desk" in page.locator("h1").inner_text()
    apps = page.locator("#content-main")
    assert apps.get_by_role("link", name="Periodic tasks", exact=True).count() == 1
    for internal in ["Clocked", "Crontabs", "Intervals", "Solar events"]:
        assert apps.get_by_role("link", name=internal).count() == 0, internal
    fits_the_window(page)

    page.goto(f"{live_server.url}/admin/departments/department/{org.platform.pk}/change/")
    assert hr.errors == [], hr.errors
    axe_on_a_change_form(hr)
    fits_the_window(page)

    page = hr.go(f"/admin/techleads/techleadassignment/add/?department={org.data.pk}")
    fits_the_window(page)
    page.select_option("#id_person", str(org.dana.pk))
    page.fill("#id_reason", "Knows the pipelines")
    page.click("input[type=submit].default")
    page.wait_for_load_state()
    assert "Dana Data is now Tech Lead of Data" in page.content()
    axe_on_a_change_form(hr)

    page = hr.go(f"/admin/techleads/techleadassignment/{org.lead.pk}/hand-over/")
    fits_the_window(page)

    # HR's assignment is in the admin's Recent actions.
    page = hr.go("/admin/")
    recent = page.locator("#recent-actions-module").inner_text()
    assert "Dana Data" in recent, recent
    hr.close()
