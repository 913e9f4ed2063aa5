"""Webhooks in the admin as HR uses them, in a real headless Chromium at 1280 px: adding one
shows its secret once, the deliveries list offers "Redeliver", and neither page has a
serious or critical axe-core violation, a console error or a sideways scroll."""

import pytest

from dashboard.tests.browser import PASSWORD, Session
from integrations.models import Webhook
from integrations.services import event_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_window(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), page.url


def axe(hr) -> None:
    """Session.check_accessibility, without the console errors of axe-core's own making
    (its checks apply inline styles the page's policy refuses; loading a page logs none,
    asserted before each run)."""
    assert hr.errors == [], hr.errors
    hr.check_accessibility()
    hr.errors[:] = [e for e in hr.errors if "Applying inline style" not in e]


def test_hr_adds_a_webhook_and_reads_its_deliveries(browser, live_server, org):
    org.hr.is_staff = True
    org.hr.set_password(PASSWORD)
    org.hr.save()
    hr = Session(browser, live_server.url, "hr")

    page = hr.page
    page.goto(f"{live_server.url}/admin/integrations/webhook/add/")
    axe(hr)
    fits_the_window(page)
    page.fill("#id_url", "https://hooks.example.com/techleads")
    page.get_by_label("incident.opened").check()
    page.click("input[type=submit].default")
    page.wait_for_load_state()
    secret = Webhook.objects.get().secret
    assert secret in page.content()  # once, in the message
    axe(hr)

    event_publish("incident.opened", {"incident": {"id": 1}})
    page.goto(f"{live_server.url}/admin/integrations/webhookdelivery/")
    axe(hr)
    fits_the_window(page)
    assert page.locator("select[name=action] option[value=redeliver]").count() == 1
    hr.close()
