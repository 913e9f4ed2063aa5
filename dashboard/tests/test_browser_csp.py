"""The Content-Security-Policy in a real headless Chromium, on the demo data: the overview, a
department page, the admin and the API docs (Swagger UI) load at 1280 px with no console
error and no CSP violation (README, Security and reliability)."""

import pytest

from dashboard.tests.browser import Session
from departments.models import Department

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

# Runs before any page script (Playwright injects it outside the page's policy): every
# violation the browser reports is kept, besides the console error it also logs.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_pages_load_without_console_errors_or_csp_violations(browser, live_server):
    session = Session(browser, live_server.url, "hr", width=1280)
    session.page.add_init_script(RECORD_VIOLATIONS)
    missing = []
    session.page.on("response", lambda r: r.status >= 400 and missing.append(r.url))
    department = Department.objects.order_by("pk").first()
    for path in ["/", f"/departments/{department.pk}/", "/admin/"]:
        page = session.go(path)  # also checks axe-core
        assert page.locator("h1").count() >= 1, path
        assert violations(page) == [], (path, violations(page))

    # Swagger UI draws the operations from the schema with its own script, loaded from
    # /api/docs/?script= (no inline script); its look is third-party, so no axe-core here.
    page = session.page
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 10
    assert violations(page) == [], violations(page)
    header = page.request.get(live_server.url + "/api/docs/").headers
    assert "'unsafe-inline'" not in header["content-security-policy"]
    assert missing == [], missing
    session.close()  # fails on any console error collected on the way


def test_an_inline_script_would_be_refused(browser, live_server):
    """The policy is live: a script injected into the page's markup does not run."""
    session = Session(browser, live_server.url, "hr", width=1280)
    session.page.add_init_script(RECORD_VIOLATIONS)
    page = session.go("/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__ran = true'; document.body.append(s); }"""
    )
    assert page.evaluate("window.__ran === undefined")
    page.wait_for_function("window.__csp.length > 0")
    assert any(v.startswith("script-src") for v in violations(page)), violations(page)
    session.errors.clear()  # the refusal is logged as a console error, as it should be
    session.close()
