"""The details of the responsibilities pages in a real headless Chromium, at 1280 px and on
a 390 px phone, each page checked with axe-core (no serious or critical violation): SEV1
and SEV2 badges in distinct colours, Jira keys as links that never wrap, and removing an
allocation only after its confirmation."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department, Person
from techleads.models import Allocation, ImprovementProject, ImprovementTask
from techleads.services import allocation_set, improvement_task_create, incident_record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

WIDTHS = [1280, PHONE]
BACKGROUND = "e => getComputedStyle(e).backgroundColor"


def hr():
    return get_user_model().objects.get(username="hr")


def platform() -> Department:
    return Department.objects.get(slug="platform")


def submit(page, button, *, within):
    with page.expect_navigation() as navigation:
        within.get_by_role("button", name=button, exact=True).click()
    assert navigation.value is not None and navigation.value.status == 200, button


@pytest.mark.parametrize("width", WIDTHS)
def test_sev1_and_sev2_badges_have_distinct_colours(browser, live_server, width):
    started = timezone.now() - timedelta(hours=1)
    for severity in ("sev1", "sev2"):
        incident_record(
            actor=hr(),
            department=platform(),
            title=f"Badge check {severity}",
            severity=severity,
            started_at=started,
        )
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go("/incidents/?search=Badge+check")  # axe runs here
    sev1 = page.locator(".badge.severity-sev1").first
    sev2 = page.locator(".badge.severity-sev2").first
    expect(sev1).to_be_visible()
    expect(sev2).to_be_visible()
    assert sev1.evaluate(BACKGROUND) != sev2.evaluate(BACKGROUND)
    if width == PHONE:
        fits_a_phone(page)
    session.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_jira_key_is_a_link_that_never_wraps(browser, live_server, width):
    project = ImprovementProject.objects.filter(department=platform(), is_active=True).first()
    task = improvement_task_create(actor=hr(), project=project, title="Linked to Jira")
    url = "https://jira.example.com/browse/PLATFORMTOIL-12345"
    ImprovementTask.objects.filter(pk=task.pk).update(
        jira_issue_key="PLATFORMTOIL-12345", jira_url=url
    )
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go("/improvement/?search=Linked+to+Jira")  # axe runs here
    link = page.get_by_role("link", name="PLATFORMTOIL-12345 in Jira")
    expect(link).to_have_attribute("href", url)
    assert link.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    box = link.bounding_box()  # one line: no taller than the line it sits on
    line = link.evaluate("e => parseFloat(getComputedStyle(e.parentElement).lineHeight)")
    assert box["height"] <= line * 1.5, (box, line)
    if width == PHONE:
        fits_a_phone(page)
    session.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_removing_an_allocation_asks_first(browser, live_server, width):
    today = timezone.localdate()
    person = Person.objects.filter(department=platform(), is_active=True).order_by("pk").last()
    allocation = allocation_set(
        actor=hr(),
        person=person,
        percent=15,
        period_start=today,
        period_end=today,
        duty="Confirm check",
    )
    session = Session(browser, live_server.url, "hr", width=width)
    page = session.go(f"/capacity/?department={platform().pk}")
    row = page.locator("tr", has=page.locator(f"th:has(a:text-is('{person.full_name}'))"))
    submit(page, f"Remove 15% Confirm check of {person.full_name}", within=row)
    question = page.locator(
        "section", has=page.get_by_role("heading", name="Remove this allocation?", exact=True)
    )
    expect(question).to_contain_text(f"15% Confirm check of {person.full_name}")
    assert Allocation.objects.filter(pk=allocation.pk).exists()  # nothing removed yet
    session.check_accessibility()
    if width == PHONE:
        fits_a_phone(page)
    submit(page, "Remove allocation", within=question)
    expect(page.locator(".messages")).to_contain_text("Allocation removed")
    assert not Allocation.objects.filter(pk=allocation.pk).exists()
    session.close()
