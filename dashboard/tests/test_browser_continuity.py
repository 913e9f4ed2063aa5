"""HR transfers what a person holds and reads the orphans report in a real headless
Chromium, at 1280 px and on a 390 px phone: no serious or critical axe-core violation,
no console error, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from dashboard.tests.browser import PASSWORD, PHONE, SHOTS, Session, fits_a_phone
from departments.tests.factories import PersonFactory
from sops.models import Document
from sops.services import document_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def orphaned(org):
    """HR's password for the browser, and a runbook still owned by Gina, who has left."""
    org.hr.set_password(PASSWORD)
    org.hr.save()
    gina = PersonFactory(full_name="Gina Gone", department=org.platform, is_active=False)
    runbook = document_create(
        actor=org.hr, title="Deploy runbook", kind="playbook", department=org.platform,
        owner=org.lea,
    )  # fmt: skip
    Document.objects.filter(pk=runbook.pk).update(owner=gina)
    return gina, runbook


@pytest.mark.parametrize("width", [1280, PHONE])
def test_hr_finds_an_orphan_previews_and_transfers_it(browser, live_server, org, orphaned, width):
    gina, runbook = orphaned
    hr = Session(browser, live_server.url, "hr", width=width)

    page = hr.go("/orphans/", shot=f"orphans-{width}")
    assert page.title().startswith("Orphans")
    expect(page.get_by_role("link", name="Deploy runbook")).to_be_visible()
    if width == PHONE:
        fits_a_phone(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Transfer Gina Gone's holdings").click()
    hr.check_accessibility()
    assert page.title().startswith("Transfer what Gina Gone holds")
    if width == PHONE:
        fits_a_phone(page)
    page.locator("select[name=to]").select_option(str(org.ian.pk))  # under the picker
    page.get_by_label("Reason", exact=True).fill("Gina left in March")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: what would move")).to_be_visible()
    expect(page.get_by_text("Deploy runbook: to Ian Engineer")).to_be_visible()
    hr.check_accessibility()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"transfer-preview-{width}.png"), full_page=True)
    if width == PHONE:
        fits_a_phone(page)
    assert Document.objects.get(pk=runbook.pk).owner == gina

    with page.expect_navigation():
        page.get_by_role("button", name="Confirm transfer").click()
    assert Document.objects.get(pk=runbook.pk).owner == org.ian
    page = hr.go("/orphans/")
    expect(page.get_by_text("Nothing is held by an inactive person.")).to_be_visible()
    hr.close()


@pytest.mark.parametrize("width", [1280, PHONE])
def test_hand_over_with_holdings_page_is_usable(browser, live_server, org, orphaned, width):
    runbook = document_create(
        actor=org.hr, title="Release checklist", kind="sop", department=org.platform,
        owner=org.lea,
    )  # fmt: skip
    hr = Session(browser, live_server.url, "hr", width=width)
    page = hr.go(f"/departments/{org.platform.pk}/hand-over/holdings/", shot=f"handover-{width}")
    assert page.title().startswith("Hand over Platform")
    expect(page.get_by_role("link", name="Release checklist")).to_be_visible()
    if width == PHONE:
        fits_a_phone(page)
    page.locator("select[name=person]").select_option(str(org.ian.pk))  # under the picker
    page.get_by_label("Reason", exact=True).fill("Lea moves on")
    with page.expect_navigation():
        page.get_by_role("button", name="Hand over").click()
    expect(page.locator(".messages")).to_contain_text("1 holding(s) moved with the role")
    assert Document.objects.get(pk=runbook.pk).owner == org.ian
    hr.close()


def test_admin_transfer_page_is_accessible(browser, live_server, org, orphaned):
    gina, _ = orphaned
    org.hr.is_staff = True
    org.hr.save()
    hr = Session(browser, live_server.url, "hr")
    page = hr.go(f"/admin/departments/person/{gina.pk}/transfer/", shot="admin-transfer")
    assert page.title().startswith("Transfer what Gina Gone holds")
    hr.close()
