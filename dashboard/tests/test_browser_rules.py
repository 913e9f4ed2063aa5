"""HR changes the eligibility policy in a real headless Chromium, at 1280 px and on a 390 px
phone: the rules, the change form, its impact and the confirmation, each page with no
serious or critical axe-core violation, no console error and no sideways scroll."""

import pytest
from playwright.sync_api import expect

from dashboard.tests.browser import PASSWORD, PHONE, SHOTS, Session, fits_a_phone
from departments.models import AuditEntry
from techleads.models import EligibilityRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_with_password(org):
    org.hr.set_password(PASSWORD)
    org.hr.save()
    return org


def save(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Save the rule").click()


@pytest.mark.parametrize("width", [1280, PHONE])
def test_hr_sees_the_impact_and_confirms_a_rule_change(
    browser, live_server, hr_with_password, width
):
    rule = EligibilityRule.objects.get(track="ic", min_level=3)
    hr = Session(browser, live_server.url, "hr", width=width)
    page = hr.go("/eligibility/rules/", shot=f"rules-{width}")
    assert page.title().startswith("Eligibility rules")
    if width == PHONE:
        fits_a_phone(page)

    with page.expect_navigation():
        page.get_by_role("link", name=f"Change {rule}").click()
    hr.check_accessibility()
    page.get_by_label("Min level").fill("5")
    save(page)

    impact = page.locator(".rule-impact")
    expect(impact).to_contain_text("Lea Lead, Tech Lead of Platform: eligible → ineligible")
    expect(impact).to_contain_text("Ian Engineer")
    expect(page.get_by_role("alert").first).to_contain_text("Review the impact")
    hr.check_accessibility()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"rule-preview-{width}.png"), full_page=True)
    if width == PHONE:
        fits_a_phone(page)
    save(page)  # without the confirmation: refused
    expect(page.get_by_text("confirm it")).to_be_visible()
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 3

    page.get_by_label("I have reviewed the impact on active Tech Leads").check()
    save(page)
    assert page.url.endswith("/eligibility/rules/")
    expect(page.get_by_role("status")).to_contain_text("1 active Tech Leads affected")
    hr.check_accessibility()
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 5
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert entry.after["counts"] == {"gains": 0, "losses": 2, "leads_affected": 1}
    hr.close()


def test_hr_sees_the_impact_in_the_admin_before_saving(browser, live_server, hr_with_password):
    from dashboard.tests.test_browser_admin import axe_on_a_change_form, fits_the_window

    org = hr_with_password
    org.hr.is_staff = True
    org.hr.save()
    rule = EligibilityRule.objects.get(track="ic", min_level=3)
    hr = Session(browser, live_server.url, "hr", width=1280)
    page = hr.page
    page.goto(f"{live_server.url}/admin/techleads/eligibilityrule/{rule.pk}/change/")
    page.get_by_label("Min level").fill("5")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".rule-impact")).to_contain_text(
        "Lea Lead, Tech Lead of Platform: eligible → ineligible"
    )
    axe_on_a_change_form(hr)
    fits_the_window(page)
    page.get_by_label("I have reviewed the impact on active Tech Leads").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert page.url.endswith("/admin/techleads/eligibilityrule/")
    assert EligibilityRule.objects.get(pk=rule.pk).min_level == 5
    hr.close()
