"""Person pages, the person picker and refusals that say what to do, in a real headless
Chromium on the demo data, at 1280 px and on a 390 px phone, as HR, a manager, a Tech Lead
and an employee; every page checked with axe-core (no serious or critical violation)."""

import pytest
from playwright.sync_api import expect

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department, Person
from techleads.models import TechLeadAssignment, TechSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

WIDTHS = [1280, PHONE]


def platform() -> Department:
    return Department.objects.get(slug="platform")


def lead_of(department) -> Person:
    return TechLeadAssignment.objects.get(department=department, ended_at=None).person


def form_with(page, button):
    """The form whose submit button is `button`."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def submit(page, button, *, within):
    with page.expect_navigation():
        within.get_by_role("button", name=button, exact=True).click()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", ["hr", "manager", "techlead", "employee"])
def test_a_name_leads_to_the_person_page(browser, live_server, username, width):
    department = platform()
    # The employee may open only their own page: their name in the people table links;
    # the others follow the Tech Lead's name in the lead card.
    if username == "employee":
        person = Person.objects.get(user__username="employee")
    else:
        person = lead_of(department)
    session = Session(browser, live_server.url, username, width=width)
    page = session.go(f"/departments/{department.pk}/")
    link = page.locator(f'main a[href="/people/{person.pk}/"]').first
    expect(link).to_have_text(person.full_name)
    with page.expect_navigation():
        link.click()
    expect(page).to_have_title(f"{person.full_name} · Tech Lead management")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    expect(page.locator("#position")).to_contain_text(f"Level: {person.level}")
    session.check_accessibility()
    if width == PHONE:
        fits_a_phone(page)
    if username == "employee":  # a colleague's page is not theirs to open
        other = lead_of(department)
        response = session.context.request.get(f"{live_server.url}/people/{other.pk}/")
        assert response.status == 404  # asked aside: a 404 page logs a console error
    session.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_picker_works_by_keyboard_alone(browser, live_server, width):
    department = platform()
    current = lead_of(department)
    successor = (
        department.people.filter(track="ic", level__gte=3, is_active=True)
        .exclude(pk=current.pk)
        .order_by("full_name")
        .first()
    )
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go(f"/departments/{department.pk}/")
    form = form_with(page, "Hand over")
    combo = form.get_by_role("combobox", name="Person")
    expect(combo).to_have_attribute("aria-expanded", "false")
    combo.focus()
    page.keyboard.type(successor.full_name.split()[0])
    expect(combo).to_have_attribute("aria-expanded", "true")
    listbox = page.locator(f"#{combo.get_attribute('aria-controls')}")
    options = listbox.get_by_role("option")
    assert options.count() >= 1
    # Eligible people first, each with the verdict beside the name.
    expect(options.first.locator(".badge")).to_have_text("eligible")
    session.check_accessibility()  # the open list too
    # Arrow to the successor, Enter chooses them (the form is not submitted).
    names = options.all_inner_texts()
    index = next(i for i, text in enumerate(names) if text.startswith(successor.full_name))
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    active = combo.get_attribute("aria-activedescendant")
    expect(listbox.locator(f"#{active}")).to_contain_text(successor.full_name)
    page.keyboard.press("Enter")
    expect(combo).to_have_attribute("aria-expanded", "false")
    expect(combo).to_have_value(successor.full_name)
    assert form.locator("select[name=person]").input_value() == str(successor.pk)
    # Escape closes the list again without choosing.
    page.keyboard.press("ArrowDown")
    expect(combo).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(combo).to_have_attribute("aria-expanded", "false")
    assert form.locator("select[name=person]").input_value() == str(successor.pk)
    if width == PHONE:
        fits_a_phone(page)
    # The rest of the form by keyboard, and the hand-over happens.
    form.locator("textarea[name=reason]").focus()
    page.keyboard.type("Ready to take over")
    with page.expect_navigation():
        form.get_by_role("button", name="Hand over", exact=True).press("Enter")
    expect(page.locator(".messages")).to_contain_text("Handed over")
    assert lead_of(department) == successor
    session.close()


def test_the_picker_by_mouse_on_a_phone_chooses_several_people(browser, live_server):
    department = platform()
    invitees = list(department.people.filter(is_active=True).exclude(pk=lead_of(department).pk)[:3])
    session = Session(browser, live_server.url, "techlead", width=PHONE)
    page = session.go("/sessions/")
    form = form_with(page, "Schedule")
    form.get_by_label("Department", exact=True).select_option(label=department.name)
    form.get_by_label("Topic").fill("Picking people")
    form.get_by_label("Scheduled for").fill("2031-01-15T10:00")
    combo = form.get_by_role("combobox", name="Invitees")
    for person in invitees:
        combo.click()
        combo.fill(person.full_name)
        page.get_by_role("option", name=person.full_name).first.click()
        chip = form.locator(".picker-chip", has_text=person.full_name)
        expect(chip).to_be_visible()
    fits_a_phone(page)
    session.check_accessibility()
    # A chip's button takes the person off again.
    dropped = invitees.pop()
    form.get_by_role("button", name=f"Remove {dropped.full_name}").click()
    expect(form.locator(".picker-chip", has_text=dropped.full_name)).to_have_count(0)
    with page.expect_navigation():
        form.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Picking people")
    session.close()
    scheduled = TechSession.objects.get(topic="Picking people")
    invited = set(scheduled.invites.values_list("person_id", flat=True))
    assert invited == {p.pk for p in invitees}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refusal_says_how_hr_can_override(browser, live_server, width):
    it = Department.objects.get(slug="it-operations")
    junior = it.people.filter(track="ic", level__lte=2, is_active=True).order_by("pk").first()
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go(f"/departments/{it.pk}/")
    form = form_with(page, "Assign")
    combo = form.get_by_role("combobox", name="Person")
    combo.click()
    combo.fill(junior.full_name)
    option = page.get_by_role("option", name=junior.full_name).first
    expect(option.locator(".badge")).to_have_text("ineligible")
    option.click()
    form.locator("textarea[name=reason]").fill("Keen to lead")
    submit(page, "Assign", within=form)
    form = form_with(page, "Assign")
    expect(form).to_contain_text("below Level 3 cannot be Tech Leads yet")
    expect(form).to_contain_text(f"To assign {junior.full_name} anyway")
    override = form.locator("textarea[name=override_reason]")
    expect(override).to_be_focused()
    session.check_accessibility()
    if width == PHONE:
        fits_a_phone(page)
    override.fill("Only person who knows the legacy system")
    form.locator("textarea[name=reason]").fill("Keen to lead")
    submit(page, "Assign", within=form)
    expect(page.locator(".messages")).to_contain_text(f"{junior.full_name} is now the Tech Lead")
    assert lead_of(it) == junior
    session.close()
