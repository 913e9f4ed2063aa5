"""The role's work pages (sessions, improvement, capacity, incidents, processes) in a real
headless Chromium, against the live server on the demo data, as each role uses them.

Each page a scenario works on is checked with axe-core (no serious or critical violation),
and the `Session` helper fails the test on any browser console error; every form is
submitted by clicking its button, and the page it leads to must answer 200. The last test
visits each new page on a 390 px phone as every role.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department, Person
from departments.selectors import user_person
from sops.models import Document, ProcessAcknowledgement
from sops.selectors import processes_pending_for
from sops.services import document_create
from techleads.constants import Attendance, SessionStatus
from techleads.models import (
    Allocation,
    ImprovementProject,
    ImprovementTask,
    Incident,
    TechSession,
)
from techleads.selectors import month_bounds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

WORK_PAGES = ("/sessions/", "/improvement/", "/capacity/", "/incidents/", "/processes/")
SUFFIX = " · Tech Lead management"
DATETIME = "%Y-%m-%dT%H:%M"  # what a datetime-local input takes


# Helpers ------------------------------------------------------------------------------


def platform() -> Department:
    return Department.objects.get(slug="platform")


def person_of(username: str) -> Person:
    return user_person(get_user_model().objects.get(username=username))


def teammates(*exclude: Person) -> list[Person]:
    """Active Platform people other than `exclude`, in a stable order."""
    return list(
        Person.objects.filter(department=platform(), is_active=True)
        .exclude(pk__in=[p.pk for p in exclude])
        .order_by("full_name", "pk")
    )


def pending_process_for(person: Person) -> Document:
    """A live process waiting for the person's acknowledgement: the demo data's first, or a
    new one involving their department (the demo's random acknowledgements may leave none)."""
    if not processes_pending_for(person).exists():
        document_create(
            actor=get_user_model().objects.get(username="hr"),
            title="On-call hand-off between Platform and SRE",
            kind="cross_department_process",
            department=person.department,
            url="https://confluence.example.com/PROC/hand-off",
            involved_departments=[
                person.department,
                Department.objects.get(slug="site-reliability"),
            ],
        )
    return processes_pending_for(person).order_by("title").first()


def submit(page, button, *, within=None):
    """Click a form's button as a user would and wait for the page it leads to (after a
    redirect, the final one), which must not be an error page."""
    scope = within if within is not None else page
    with page.expect_navigation() as navigation:
        scope.get_by_role("button", name=button, exact=True).click()
    response = navigation.value
    assert response is not None and response.status == 200, (button, response and response.status)
    return page


def card(page, heading: str):
    """The page's section (a create form's card) under this heading."""
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def status_message(page):
    return page.locator(".messages")


def rows_of(page, caption: str):
    """The body rows of the table with this (visually hidden) caption."""
    return page.locator("table", has=page.locator(f"caption:text-is('{caption}')")).locator(
        "tbody tr"
    )


def attendance_on_page(page) -> dict[str, str]:
    rows = rows_of(page, "Invitees and attendance")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
        for i in range(rows.count())
    }


def own_title(page) -> str:
    """The page's own part of its <title> (before the site's suffix)."""
    title = page.title()
    assert title.endswith(SUFFIX), title
    own = title.removesuffix(SUFFIX)
    assert own and own != "Tech Leads", title  # not the base template's default
    return own


# 1. A tech session from scheduling to attendance --------------------------------------


def test_tech_lead_schedules_a_session_and_records_attendance(browser, live_server, time_machine):
    lead_person = person_of("techlead")
    first, second, must = teammates(lead_person)[:3]
    assert len({first.full_name, second.full_name, must.full_name}) == 3  # ticked by name
    lead = Session(browser, live_server.url, "techlead")
    page = lead.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sessions").click()
    page.wait_for_load_state()
    assert own_title(page) == "Tech sessions"
    expect(page.get_by_role("link", name="Sessions", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    lead.check_accessibility()

    # Half an hour from now: soon enough for the login to outlast the wait (sessions end
    # after an hour idle), later than the page is opened.
    when = timezone.localtime(timezone.now() + timedelta(minutes=30))
    form = card(page, "Schedule a tech session")
    form.get_by_label("Department", exact=True).select_option(label=platform().name)
    form.get_by_label("Topic", exact=True).fill("Feature flags in practice")
    form.get_by_label("Scheduled for", exact=True).fill(when.strftime(DATETIME))
    form.locator("select[name=new-presenter]").select_option(str(lead_person.pk))
    form.get_by_label("Slides or recording", exact=True).fill("https://slides.example.com/flags")
    form.locator("select[name=new-invitees]").select_option([str(first.pk), str(second.pk)])
    form.locator("select[name=new-mandatory]").select_option([str(must.pk)])
    submit(page, "Schedule")
    expect(status_message(page)).to_contain_text("Scheduled “Feature flags in practice”")
    session = TechSession.objects.get(topic="Feature flags in practice")
    assert session.status == SessionStatus.SCHEDULED
    assert {(i.person_id, i.mandatory) for i in session.invites.all()} == {
        (first.pk, False),
        (second.pk, False),
        (must.pk, True),
    }
    row = rows_of(page, "Tech sessions").filter(has_text="Feature flags in practice")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(when.strftime("%Y-%m-%d %H:%M"))
    expect(row).to_contain_text("Scheduled")
    lead.check_accessibility()

    # Once it has been held (only then is attendance recorded), open it from the list; a
    # second tab stays on the page to try recording it again.
    time_machine.move_to(when + timedelta(minutes=1))
    row.get_by_role("link", name="Feature flags in practice").click()
    page.wait_for_load_state()
    assert own_title(page) == "Feature flags in practice"
    assert set(attendance_on_page(page).values()) == {"Invited"}
    lead.check_accessibility()
    stale_tab = lead.context.new_page()
    stale_tab.goto(page.url)

    form = card(page, "Record the session")
    form.get_by_label("Status", exact=True).select_option(label="Held")
    form.get_by_label(first.full_name, exact=True).check()
    submit(page, "Record")
    expect(status_message(page)).to_contain_text("Recorded as completed")
    assert attendance_on_page(page) == {
        first.full_name: "Present",
        second.full_name: "Absent",
        must.full_name: "Absent",
    }
    expect(page.locator(".badge", has_text="Completed")).to_have_count(1)
    # Recorded once: the form is gone...
    expect(page.get_by_role("heading", name="Record the session")).to_have_count(0)
    expect(page.get_by_role("button", name="Record", exact=True)).to_have_count(0)
    lead.check_accessibility()
    # ...and the stale tab's form is refused with the reason, nothing changed.
    stale_tab.get_by_label(second.full_name, exact=True).check()
    submit(stale_tab, "Record")
    expect(stale_tab.locator(".error")).to_contain_text("already completed")
    present = session.invites.filter(attendance=Attendance.PRESENT)
    assert list(present.values_list("person_id", flat=True)) == [first.pk]
    stale_tab.close()

    # The list counts them.
    page.get_by_role("link", name="All tech sessions").click()
    page.wait_for_load_state()
    row = rows_of(page, "Tech sessions").filter(has_text="Feature flags in practice")
    cells = row.locator("td")
    assert cells.nth(3).inner_text() == "Completed"
    assert (cells.nth(4).inner_text(), cells.nth(5).inner_text()) == ("3", "1")
    lead.close()


# 2. Bad input: the error is on the page, nothing is created ---------------------------


def test_a_bad_session_form_shows_its_errors_and_creates_nothing(browser, live_server):
    before = TechSession.objects.count()
    invitee = teammates(person_of("techlead"))[0]
    lead = Session(browser, live_server.url, "techlead")
    page = lead.go("/sessions/")
    when = timezone.localtime(timezone.now() + timedelta(days=2)).strftime(DATETIME)
    form = card(page, "Schedule a tech session")
    form.get_by_label("Department", exact=True).select_option(label=platform().name)
    form.get_by_label("Scheduled for", exact=True).fill(when)
    form.locator("select[name=new-invitees]").select_option([str(invitee.pk)])

    # An empty topic: the browser itself refuses to send the form.
    page.get_by_role("button", name="Schedule", exact=True).click()
    topic = form.get_by_label("Topic", exact=True)
    assert topic.evaluate("e => !e.validity.valid && e.validationMessage !== ''")
    assert page.url == live_server.url + "/sessions/"

    # A blank topic (spaces pass the browser's check) and a link with a typo in its scheme
    # (a URL to the browser, not to the server): the server names both fields.
    topic.fill("   ")
    form.get_by_label("Slides or recording", exact=True).fill("htps://slides.example.com/deck")
    submit(page, "Schedule")
    topic_field = page.locator(".field.has-error", has=page.locator("#id_new-topic"))
    expect(topic_field.locator(".error")).to_have_text("This field is required.")
    link_field = page.locator(".field.has-error", has=page.locator("#id_new-link"))
    expect(link_field.locator(".error")).to_have_text("Enter a valid URL.")
    expect(page.locator(".field.has-error")).to_have_count(2)
    # The rest of what was typed is kept, so only the mistakes need fixing.
    assert page.locator("#id_new-scheduled_for").input_value() == when
    assert page.locator("#id_new-invitees").evaluate(
        "e => [...e.selectedOptions].map(o => o.value)"
    ) == [str(invitee.pk)]
    assert own_title(page) == "Tech sessions"
    lead.check_accessibility()
    assert TechSession.objects.count() == before

    # Fixed, it goes through.
    topic.fill("Reading flame graphs")
    form.get_by_label("Slides or recording", exact=True).fill("https://slides.example.com/deck")
    submit(page, "Schedule")
    expect(status_message(page)).to_contain_text("Scheduled “Reading flame graphs”")
    assert TechSession.objects.count() == before + 1
    lead.close()


# 3. Improvement: an overdue task, the filter, who may move what -----------------------


def test_delegated_overdue_task_is_flagged_and_only_its_assignee_moves_it(browser, live_server):
    employee = person_of("employee")
    colleague = teammates(person_of("techlead"), employee)[0]
    project = ImprovementProject.objects.get(department=platform(), is_active=True)
    three_days_ago = timezone.localdate() - timedelta(days=3)
    next_week = timezone.localdate() + timedelta(days=7)

    lead = Session(browser, live_server.url, "techlead")
    page = lead.go("/improvement/")
    assert own_title(page) == "Process improvement"
    for title, assignee, due in (
        ("Retire the old build agents", colleague, three_days_ago),
        ("Write the on-call FAQ", employee, next_week),
    ):
        form = card(page, "Delegate a task")
        form.get_by_label("Project", exact=True).select_option(str(project.pk))
        form.get_by_label("Title", exact=True).fill(title)
        form.locator("select[name=new-assignee]").select_option(str(assignee.pk))
        form.get_by_label("Due date", exact=True).fill(due.isoformat())
        submit(page, "Delegate")
        expect(status_message(page)).to_contain_text(f"Delegated “{title}”")
    tasks = rows_of(page, "Improvement tasks")
    late = tasks.filter(has_text="Retire the old build agents")
    expect(late.locator(".badge", has_text="Overdue")).to_have_count(1)
    faq = tasks.filter(has_text="Write the on-call FAQ")
    expect(faq.locator(".badge", has_text="Overdue")).to_have_count(0)
    lead.check_accessibility()

    # Overdue only: every row left is overdue, ours among them, the future one gone.
    page.get_by_label("Overdue", exact=True).select_option("true")
    submit(page, "Filter")
    assert "overdue=true" in page.url
    tasks = rows_of(page, "Improvement tasks")
    expect(tasks.filter(has_text="Retire the old build agents")).to_have_count(1)
    expect(tasks.filter(has_text="Write the on-call FAQ")).to_have_count(0)
    expect(tasks.locator(".badge", has_text="Overdue")).to_have_count(tasks.count())
    expect(page.get_by_label("Overdue", exact=True)).to_have_value("true")
    lead.check_accessibility()
    lead.close()

    # The employee sees the team's tasks, but a status form only on their own.
    staff = Session(browser, live_server.url, "employee")
    page = staff.go("/improvement/")
    tasks = rows_of(page, "Improvement tasks")
    late = tasks.filter(has_text="Retire the old build agents")
    expect(late).to_have_count(1)
    expect(late.locator("select, button")).to_have_count(0)
    expect(late.locator("td").last).to_have_text("To do")
    own = ImprovementTask.objects.filter(assignee=employee).count()
    expect(page.locator("form[action$='/status/']")).to_have_count(own)
    faq = tasks.filter(has_text="Write the on-call FAQ")
    faq.get_by_label("Status of Write the on-call FAQ").select_option(label="In progress")
    submit(page, "Save", within=faq)
    expect(status_message(page)).to_contain_text("“Write the on-call FAQ” is now in progress")
    assert ImprovementTask.objects.get(title="Write the on-call FAQ").status == "in_progress"
    expect(page.get_by_role("heading", name="Delegate a task")).to_have_count(0)
    staff.check_accessibility()
    staff.close()


# 4. Capacity: over-allocation is flagged, and clears -----------------------------------


def test_over_allocation_is_flagged_and_clears_when_an_allocation_goes(browser, live_server):
    start, end = month_bounds(timezone.localdate())
    busy = set(
        Allocation.objects.filter(period_start__lte=end, period_end__gte=start).values_list(
            "person_id", flat=True
        )
    )
    # The first free person by name: listed on the first page with or without the flag.
    person = next(p for p in teammates(person_of("techlead")) if p.pk not in busy)
    lead = Session(browser, live_server.url, "techlead")
    page = lead.go("/capacity/")
    assert own_title(page) == "Capacity"
    for duty, percent in (("Release captain", 80), ("Support rota", 40)):
        form = card(page, "Allocate capacity")
        form.locator("select[name=new-person]").select_option(str(person.pk))
        form.get_by_label("Duty", exact=True).fill(duty)
        form.get_by_label("Percent", exact=True).fill(str(percent))
        form.get_by_label("Period start", exact=True).fill(start.isoformat())
        form.get_by_label("Period end", exact=True).fill(end.isoformat())
        submit(page, "Allocate")
        expect(status_message(page)).to_contain_text(f"Allocated {percent}% of {person.full_name}")
    row = rows_of(page, "Capacity per person").filter(
        has=page.locator(f"th:has(a:text-is('{person.full_name}'))")
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("120%")
    expect(row.locator("td").nth(2)).to_have_text("Over-allocated")
    lead.check_accessibility()

    submit(page, f"Remove 40% Support rota of {person.full_name}", within=row)
    # Asked first: nothing is removed until the question is answered.
    question = card(page, "Remove this allocation?")
    expect(question).to_contain_text(f"40% Support rota of {person.full_name}")
    assert Allocation.objects.filter(person=person, duty="Support rota").exists()
    lead.check_accessibility()
    submit(page, "Remove allocation", within=question)
    expect(status_message(page)).to_contain_text("Allocation removed")
    row = rows_of(page, "Capacity per person").filter(
        has=page.locator(f"th:has(a:text-is('{person.full_name}'))")
    )
    expect(row.locator("td").nth(1)).to_have_text("80%")
    expect(row.locator("td").nth(2)).to_have_text("20% unallocated")
    expect(row.locator("li")).to_have_count(1)
    assert list(Allocation.objects.filter(person=person).values_list("percent", flat=True)) == [80]
    lead.check_accessibility()
    lead.close()


# 5. Incidents: log, resolve, who to call -----------------------------------------------


def test_manager_logs_and_resolves_an_incident(browser, live_server):
    lead_person = person_of("techlead")
    manager = Session(browser, live_server.url, "manager")
    page = manager.go("/incidents/")
    assert own_title(page) == "Incidents"
    # Who to call now: the manager's department, its Tech Lead.
    on_call = rows_of(page, "Escalation point per department")
    expect(on_call).to_have_count(1)
    expect(on_call.locator("th")).to_have_text("Platform")
    expect(on_call.locator("td").first).to_contain_text(lead_person.full_name)
    expect(on_call.locator("td").last).to_have_text("Tech Lead")

    started = timezone.localtime(timezone.now() - timedelta(minutes=40))
    form = card(page, "Log an incident")
    form.get_by_label("Department", exact=True).select_option(label=platform().name)
    form.get_by_label("Title", exact=True).fill("Build cache unavailable")
    form.get_by_label("Severity", exact=True).select_option(label="SEV2 – major")
    form.get_by_label("Started at", exact=True).fill(started.strftime(DATETIME))
    form.locator("select[name=new-handled_by]").select_option(str(lead_person.pk))
    submit(page, "Log incident")
    expect(status_message(page)).to_contain_text("Logged “Build cache unavailable”")
    row = rows_of(page, "Incident log").filter(has_text="Build cache unavailable")
    resolved = row.locator("td").nth(3)
    expect(resolved.locator(".badge", has_text="Open")).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text(started.strftime("%Y-%m-%d %H:%M"))
    manager.check_accessibility()

    submit(page, "Resolve Build cache unavailable", within=row)
    expect(status_message(page)).to_contain_text("Resolved “Build cache unavailable”")
    row = rows_of(page, "Incident log").filter(has_text="Build cache unavailable")
    resolved = row.locator("td").nth(3)
    expect(resolved).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    expect(row.get_by_role("button")).to_have_count(0)
    assert Incident.objects.get(title="Build cache unavailable").resolved_at is not None
    # Open only: it is gone.
    page.get_by_label("Open", exact=True).select_option("true")
    submit(page, "Filter")
    expect(rows_of(page, "Incident log").filter(has_text="Build cache unavailable")).to_have_count(
        0
    )
    manager.check_accessibility()
    manager.close()

    # HR sees every department on call, including those without a Tech Lead.
    hr = Session(browser, live_server.url, "hr")
    page = hr.go("/incidents/")
    on_call = rows_of(page, "Escalation point per department")
    names = on_call.locator("th").all_inner_texts()
    assert names == sorted(Department.objects.values_list("name", flat=True))
    leadless = on_call.filter(has_text="IT Operations")
    expect(leadless.locator(".badge", has_text="No Tech Lead")).to_have_count(1)
    hr.close()


# 6. Processes: acknowledging one ------------------------------------------------------


def test_employee_acknowledges_a_pending_process(browser, live_server):
    employee = person_of("employee")
    process = pending_process_for(employee)

    staff = Session(browser, live_server.url, "employee")
    page = staff.go("/processes/")
    assert own_title(page) == "Cross-department processes"
    pending = page.locator("section", has=page.locator("#pending-heading"))
    expect(pending.get_by_role("heading")).to_have_text("Waiting for your acknowledgement")
    expect(pending.get_by_role("link", name=process.title)).to_have_count(1)
    coverage = page.locator(f"section[aria-labelledby='process-{process.pk}'] tbody tr").filter(
        has=page.locator("th", has_text="Platform")
    )
    before = coverage.locator("td").first.inner_text()
    done, people = (int(n) for n in re.fullmatch(r"(\d+) of (\d+)", before).groups())

    submit(page, f"Acknowledge {process.title}", within=pending)
    expect(status_message(page)).to_contain_text(
        f"Acknowledged “{process.title}” (version {process.version})"
    )
    expect(page.get_by_role("button", name=f"Acknowledge {process.title}")).to_have_count(0)
    expect(page.locator("#pending-heading + ul a", has_text=process.title)).to_have_count(0)
    expect(coverage.locator("td").first).to_have_text(f"{done + 1} of {people}")
    assert ProcessAcknowledgement.objects.filter(
        document=process, person=employee, version=process.version
    ).exists()
    staff.check_accessibility()
    staff.close()


# 7. Health components link to the lists behind them ------------------------------------


def follow(page, link):
    """Click a link; the page it lands on must answer 200 (a link to a section of the page
    already shown only scrolls to it)."""
    target = urlsplit(link.get_attribute("href"))
    if target.fragment and target.path in ("", urlsplit(page.url).path) and not target.query:
        link.click()
        expect(page.locator(f"#{target.fragment}")).to_be_in_viewport()
        return
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200, (page.url, navigation.value.status)


def assert_filtered_to(page, department: Department):
    """The landing page is a list filtered to the department, or the department's page."""
    if f"/departments/{department.pk}/" in page.url:
        expect(page.get_by_role("heading", level=1)).to_have_text(department.name)
    else:
        assert f"department={department.pk}" in page.url, page.url
        # Processes are filtered by the departments they involve; the rest by their own.
        select = page.locator("form.filters #id_department, form.filters #id_involved_department")
        expect(select).to_have_value(str(department.pk))


def test_health_component_links_land_on_filtered_lists(browser, live_server):
    department = platform()
    hr = Session(browser, live_server.url, "hr")

    # Overview, "Department health, explained": every value in Platform's row.
    page = hr.go("/")
    row = page.locator("#health-components tbody tr").filter(
        has=page.locator("th", has_text=department.name)
    )
    hrefs = row.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 9, hrefs  # the department, 7 components, last quarter's sessions
    for index in range(1, len(hrefs)):
        page.goto(live_server.url + "/")
        link = page.locator("#health-components tbody tr").filter(
            has=page.locator("th", has_text=department.name)
        )
        follow(page, link.locator("a").nth(index))
        assert_filtered_to(page, department)

    # One of them in full: tech-session cadence lists the department's completed sessions.
    page = hr.go("/")
    row = page.locator("#health-components tbody tr").filter(
        has=page.locator("th", has_text=department.name)
    )
    follow(page, row.get_by_role("link", name=re.compile(r"^\d+% Tech-session cadence, Platform$")))
    assert own_title(page) == "Tech sessions"
    expect(page.locator("form.filters #id_status")).to_have_value("completed")
    sessions = rows_of(page, "Tech sessions")
    completed = TechSession.objects.filter(department=department, status="completed").count()
    expect(sessions).to_have_count(completed)
    expect(sessions.locator("td:nth-of-type(1)")).to_have_text([department.name] * completed)
    hr.check_accessibility()

    # The department page: the health table's component links and "The role's work".
    page = hr.go(f"/departments/{department.pk}/")
    labels = page.locator("#health tbody th a").all_inner_texts()
    assert len(labels) == 7, labels
    for label in labels:
        page.goto(f"{live_server.url}/departments/{department.pk}/")
        follow(page, page.locator("#health").get_by_role("link", name=label, exact=True))
        assert_filtered_to(page, department)
    page = hr.go(f"/departments/{department.pk}/")
    work = page.locator("section", has=page.locator("#work-heading"))
    follow(page, work.get_by_role("link", name=re.compile(r"^\d+ overdue$")))
    assert own_title(page) == "Process improvement"
    assert_filtered_to(page, department)
    expect(page.get_by_label("Overdue", exact=True)).to_have_value("true")
    hr.check_accessibility()
    page = hr.go(f"/departments/{department.pk}/")
    work = page.locator("section", has=page.locator("#work-heading"))
    follow(page, work.get_by_role("link", name=re.compile(r"^\d+ open incidents?$")))
    assert own_title(page) == "Incidents"
    assert_filtered_to(page, department)
    expect(page.get_by_label("Open", exact=True)).to_have_value("true")
    open_here = Incident.objects.filter(department=department, resolved_at=None).count()
    expect(rows_of(page, "Incident log").locator(".badge", has_text="Open")).to_have_count(
        open_here
    )

    # On a phone, the department page with its new sections does not scroll sideways, and
    # its tables (the People one has no link) still scroll by keyboard.
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(f"{live_server.url}/departments/{department.pk}/")
    fits_a_phone(page)
    hr.check_accessibility()
    hr.close()


# 8. Every new page: axe, its own title, no console error, no sideways scroll at 390 px ---

FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0};
}"""


@pytest.mark.parametrize("username", ["hr", "techlead", "manager", "employee"])
def test_every_new_page_is_accessible_and_fits_a_phone(browser, live_server, username):
    session = TechSession.objects.filter(
        department=platform(), status=SessionStatus.SCHEDULED
    ).first()
    paths = [*WORK_PAGES, f"/sessions/{session.pk}/"]
    pending_process_for(person_of("employee"))  # the employee's page shows its card too
    phone = Session(browser, live_server.url, username, width=PHONE)
    titles = set()
    for path in paths:
        name = path.strip("/").replace("/", "-")
        page = phone.go(path, shot=f"role-work-{name}-{username}-phone")  # axe runs here
        titles.add(own_title(page))
        fits_a_phone(page)
        # Focus stays visible: the first few stops of the keyboard tab order.
        page.locator("main").focus()
        for _ in range(4):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] == "BODY":
                break  # past the page's last stop (a short page): the browser's own UI next
            assert focused["visible"], (path, focused)
    assert len(titles) == len(paths), titles
    phone.close()
