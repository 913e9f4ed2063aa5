"""The health links' accessible names contain their visible text (WCAG 2.5.3, "label in
name"): someone who sees "80%" or "n/a" and says "click n/a" reaches the link, and a screen
reader hears the same words plus what they are about.

axe-core checks it with `label-content-name-mismatch`, an experimental rule it does not run
unless asked; these tests enable it, in Chromium, on the overview and the department pages
at desktop and phone width.
"""

import re
from pathlib import Path

import pytest

from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.services import document_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # the org fixture's logins (UserFactory)
RULE = "label-content-name-mismatch"
AXE_RUN = """axe.run(document, {
  rules: {"label-content-name-mismatch": {enabled: true}},
  resultTypes: ["violations"],
})"""
# What each link shows (its text without the visually hidden parts) and its aria-label.
LINKS = """(root) => [...document.querySelectorAll(root + ' a')].map(a => {
  const shown = a.cloneNode(true);
  shown.querySelectorAll('.visually-hidden').forEach(e => e.remove());
  return {text: shown.textContent.trim(), label: a.getAttribute('aria-label')};
})"""
SHOWN = """(a) => {
  const shown = a.cloneNode(true);
  shown.querySelectorAll('.visually-hidden').forEach(e => e.remove());
  return shown.textContent.trim();
}"""


@pytest.fixture
def health(org):
    """Platform has documents and a process to acknowledge; a department with nothing to
    measure ("Analytics": its name holds "na", which must not make "n/a" pass by chance)
    shows n/a for most components."""
    analytics = DepartmentFactory(name="Analytics", slug="analytics")
    PersonFactory(department=analytics, level=3)
    document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.platform, last_reviewed_at=None
    )
    document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    return org


def logged_in(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page, errors


def axe(page) -> dict:
    """Run axe-core in the page. Its source is evaluated through the browser's debugging
    protocol rather than added as a <script>: the pages' Content-Security-Policy allows no
    inline script, and the test must not loosen it."""
    import axe_playwright_python

    page.evaluate((Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text())
    return page.evaluate(AXE_RUN)


def serious(result) -> list[str]:
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_health_links_name_what_they_show(browser, live_server, health, width):
    context, page, errors = logged_in(browser, live_server, width)

    page.goto(live_server.url + "/")
    links = page.evaluate(LINKS, "#health-components tbody")
    assert links and any(link["text"] == "n/a" for link in links), links
    assert all(link["label"] is None for link in links), links  # the text is the name
    result = axe(page)
    assert serious(result) == []
    assert RULE not in {v["id"] for v in result["violations"]}
    # Every value's name starts with what it shows, then says what it is about.
    row = page.locator("#health-components tbody tr").filter(
        has=page.locator("th", has_text="Analytics")
    )
    acknowledgements = row.get_by_role(
        "link", name=re.compile(r"^n\/a Process acknowledgements, Analytics, not applicable$")
    )
    assert acknowledgements.evaluate(SHOWN) == "n/a"
    platform = page.locator("#health-components tbody tr").filter(
        has=page.locator("th", has_text="Platform")
    )
    freshness = platform.get_by_role(
        "link", name=re.compile(r"^\d+% Documentation freshness, Platform$")
    )
    assert re.fullmatch(r"\d+%", freshness.evaluate(SHOWN))
    assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 390)

    for department in (health.platform, health.data):
        page.goto(f"{live_server.url}/departments/{department.pk}/")
        assert page.evaluate(LINKS, "#health") != []
        result = axe(page)
        assert serious(result) == [], department.name
        assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 390)

    context.close()
    assert errors == []
