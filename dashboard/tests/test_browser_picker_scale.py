"""The person picker when the organisation is larger than what a picker renders: the
select holds the first widgets.LIMIT people, and typing a name beyond them asks the server
(/people/search/), by keyboard alone, at 1280 px and on a 390 px phone, axe-clean."""

import pytest
from playwright.sync_api import expect

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from dashboard.widgets import LIMIT
from departments.models import Department
from departments.tests.factories import DepartmentFactory, PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]


@pytest.mark.parametrize("width", [1280, PHONE])
def test_a_person_beyond_the_first_options_is_found_and_nominated(browser, live_server, width):
    platform = Department.objects.get(slug="platform")
    # Platform's own people come first in the nominate picker: these fill it.
    PersonFactory.create_batch(LIMIT + 10, department=platform, level=4, full_name="Aa Filler")
    elsewhere = DepartmentFactory(name="Far Away")
    target = PersonFactory(department=elsewhere, level=4, full_name="Zoe Farfield")
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go(f"/departments/{platform.pk}/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Nominate", exact=True))
    select = form.locator("select[name=person]")
    assert select.locator("option").count() <= LIMIT + 1  # + the blank choice
    assert select.locator(f'option[value="{target.pk}"]').count() == 0
    combo = form.get_by_role("combobox", name="Person")
    combo.focus()
    page.keyboard.type("farfield")
    listbox = page.locator(f"#{combo.get_attribute('aria-controls')}")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option").first).to_contain_text("Zoe Farfield")
    expect(listbox.get_by_role("option").first).to_contain_text("Far Away")
    expect(form.get_by_role("status")).to_have_text("1 person found.")
    session.check_accessibility()  # the open list
    page.keyboard.press("Enter")
    expect(combo).to_have_value("Zoe Farfield")
    assert select.input_value() == str(target.pk)
    if width == PHONE:
        fits_a_phone(page)
    form.get_by_label("Readiness").select_option("ready_now")
    with page.expect_navigation():
        form.get_by_role("button", name="Nominate", exact=True).press("Enter")
    expect(page.locator(".messages")).to_contain_text("Zoe Farfield is a successor candidate")
    assert platform.successor_candidates.filter(person=target).exists()
    session.check_accessibility()
    session.close()
