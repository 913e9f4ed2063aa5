"""The role's work pages in a real headless Chromium on the demo data: a Tech Lead runs a
tech session and distributes capacity, a manager handles an incident, an employee
acknowledges a process; every page passes axe-core, logs no console error and fits a
390 px phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from departments.models import Department, Person
from sops.models import ProcessAcknowledgement
from sops.services import document_create
from techleads.models import Allocation, Incident, TechSession

from .test_browser import Session, demo  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORK_PAGES = ["/sessions/", "/improvement/", "/capacity/", "/incidents/", "/processes/"]


def test_the_role_s_work_in_a_real_browser(browser, live_server, demo):  # noqa: F811
    platform = Department.objects.get(slug="platform")
    tech_lead_runs_a_session_and_capacity(browser, live_server.url, platform)
    manager_handles_an_incident(browser, live_server.url, platform)
    employee_acknowledges_a_process(browser, live_server.url, platform)
    health_links_lead_to_their_lists(browser, live_server.url, platform)
    pages_fit_a_phone(browser, live_server.url)


def tech_lead_runs_a_session_and_capacity(browser, base_url, platform):
    lead = Session(browser, base_url, "techlead")
    page = lead.go("/")
    page.click("nav >> text=Sessions")
    page.wait_for_load_state()
    assert page.title().startswith("Tech sessions")
    lead.check_accessibility()

    # A bad link is refused (the browser's own URL check, before the server's); nothing
    # is scheduled.
    people = list(Person.objects.filter(department=platform, is_active=True).order_by("pk")[:3])
    when = timezone.localtime(timezone.now() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    page.select_option("#id_new-department", str(platform.pk))
    page.fill("#id_new-topic", "Feature flags in practice")
    page.fill("#id_new-scheduled_for", when)
    page.fill("#id_new-link", "not a link")
    page.select_option("#id_new-invitees", [str(p.pk) for p in people[:2]])
    page.select_option("#id_new-mandatory", [str(people[2].pk)])
    page.click("button:text-is('Schedule')")
    assert page.locator("#id_new-link:invalid").count() == 1
    assert not TechSession.objects.filter(topic="Feature flags in practice").exists()
    page.fill("#id_new-link", "https://slides.example.com/flags")
    page.click("button:text-is('Schedule')")
    page.wait_for_load_state()
    errors = page.locator(".error").all_inner_texts()
    assert errors == [], errors
    expect(page.locator(".messages")).to_contain_text("Scheduled “Feature flags in practice”")

    page.get_by_role("link", name="Feature flags in practice").click()
    page.wait_for_load_state()
    lead.check_accessibility()
    page.check(f"input[name=present][value='{people[0].pk}']")
    page.select_option("#id_status", "completed")
    page.click("button:text-is('Record')")
    expect(page.locator(".messages")).to_contain_text("Recorded as completed")
    rows = page.locator("table tbody tr")
    attendance = {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
        for i in range(rows.count())
    }
    assert attendance[people[0].full_name] == "Present"
    assert attendance[people[2].full_name] == "Absent"
    assert page.locator("text=Record the session").count() == 0

    # Capacity: two allocations over 100% are flagged; removing one clears the flag.
    person = people[1]
    Allocation.objects.filter(person=person).delete()
    page = lead.go("/capacity/")
    today = timezone.localdate().isoformat()
    for duty, percent in (("Release captain", "80"), ("Support rota", "40")):
        page.select_option("#id_new-person", str(person.pk))
        page.fill("#id_new-duty", duty)
        page.fill("#id_new-percent", percent)
        page.fill("#id_new-period_start", today)
        page.fill("#id_new-period_end", today)
        page.click("button:text-is('Allocate')")
        expect(page.locator(".messages")).to_contain_text(f"Allocated {percent}%")
    row = page.locator("tbody tr", has_text=person.full_name)
    assert "Over-allocated" in row.inner_text()
    row.locator("button[aria-label^='Remove 40% Support rota']").click()
    expect(page.locator(".messages")).to_contain_text("Allocation removed.")
    row = page.locator("tbody tr", has_text=person.full_name)
    assert "Over-allocated" not in row.inner_text() and "20% unallocated" in row.inner_text()
    lead.close()


def manager_handles_an_incident(browser, base_url, platform):
    manager = Session(browser, base_url, "manager")
    page = manager.go("/incidents/")
    assert page.locator("text=Who to call now").is_visible()
    started = timezone.localtime(timezone.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.select_option("#id_new-department", str(platform.pk))
    page.fill("#id_new-title", "Payments API latency")
    page.select_option("#id_new-severity", "sev2")
    page.fill("#id_new-started_at", started)
    page.click("button:text-is('Log incident')")
    expect(page.locator(".messages")).to_contain_text("Logged “Payments API latency”")
    page.click("button[aria-label='Resolve Payments API latency']")
    expect(page.locator(".messages")).to_contain_text("Resolved “Payments API latency”")
    assert Incident.objects.get(title="Payments API latency").resolved_at is not None
    page = manager.go(f"/incidents/?department={platform.pk}&open=on")
    assert "Payments API latency" not in page.locator("table").last.inner_text()
    manager.close()


def employee_acknowledges_a_process(browser, base_url, platform):
    employee_person = Person.objects.get(user__username="employee")
    document_create(
        actor=None,
        title="On-call hand-off between Platform and Data",
        kind="cross_department_process",
        department=platform,
        involved_departments=[platform],
    )
    employee = Session(browser, base_url, "employee")
    page = employee.go("/processes/")
    pending = page.locator("section", has_text="Waiting for your acknowledgement")
    assert "On-call hand-off between Platform and Data" in pending.inner_text()
    page.click("button[aria-label='Acknowledge On-call hand-off between Platform and Data']")
    expect(page.locator(".messages")).to_contain_text(
        "Acknowledged “On-call hand-off between Platform and Data”"
    )
    assert ProcessAcknowledgement.objects.filter(
        person=employee_person, document__title__startswith="On-call hand-off"
    ).exists()
    pending = page.locator("section", has_text="Waiting for your acknowledgement")
    assert "On-call hand-off" not in (pending.inner_text() if pending.count() else "")
    # Someone without the right sees no form and cannot post one.
    page = employee.go("/sessions/")
    assert page.locator("text=Schedule a tech session").count() == 0
    employee.close()


def health_links_lead_to_their_lists(browser, base_url, platform):
    hr = Session(browser, base_url, "hr")
    page = hr.go("/")
    row = page.locator("#health-components tbody tr", has_text=platform.name)
    row.locator("a[aria-label*='Tech-session cadence']").click()
    page.wait_for_load_state()
    assert page.title().startswith("Tech sessions")
    assert page.locator("#id_department").input_value() == str(platform.pk)
    assert page.locator("#id_status").input_value() == "completed"
    page = hr.go(f"/departments/{platform.pk}/")
    page.click("#health a:text-is('Improvement tasks on time')")
    page.wait_for_load_state()
    assert page.title().startswith("Process improvement")
    assert page.locator("#id_overdue").is_checked()
    hr.close()


def pages_fit_a_phone(browser, base_url):
    phone = Session(browser, base_url, "techlead", width=390)
    session = TechSession.objects.filter(department__slug="platform").first()
    for path in [*WORK_PAGES, f"/sessions/{session.pk}/"]:
        page = phone.go(path, shot=f"work-{path.strip('/').replace('/', '-')}-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (path, wide(page))
        assert " · Tech Lead management" in page.title(), path
    phone.close()


# What sticks out on the right of a phone screen (tables scroll inside their own box).
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 392
               && !(e.parentElement && e.parentElement.closest('.table-wrap')))
  .slice(0, 8).map(e => `${e.tagName}.${e.className}#${e.id}`)"""


def wide(page) -> list[str]:
    return page.evaluate(WIDE)
