"""The employee's documents page in a real headless Chromium, on the demo data: documents
of every department are listed, but only the departments whose page opens for the viewer
are links (the others' names are plain text), there is no Admin link for a login without
admin access, and every link on the page opens; at desktop and phone width, with axe-core
(no serious or critical violation) and no console error."""

import re

import pytest
from django.contrib.auth import get_user_model

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department
from techleads.selectors import departments_visible_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

DEPARTMENT_PAGE = re.compile(r"^/departments/(\d+)/")


@pytest.mark.parametrize("width", [1280, PHONE])
def test_the_employee_s_documents_page_links_only_what_opens(browser, live_server, width):
    employee = get_user_model().objects.get(username="employee")
    assert not employee.is_staff
    own = set(departments_visible_to(employee).values_list("pk", flat=True))
    session = Session(browser, live_server.url, "employee", width=width)
    page = session.go("/documents/")  # checks axe-core
    if width == PHONE:
        fits_a_phone(page)

    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    linked = {int(m.group(1)) for href in hrefs if (m := DEPARTMENT_PAGE.match(href))}
    assert linked and linked <= own, (linked, own)

    # Other departments' documents are listed, their department named as plain text.
    names = dict(Department.objects.values_list("name", "pk"))
    cells = page.locator("table tbody tr > :nth-child(3)")  # title, kind, department
    others = [cell for cell in cells.all() if names.get(cell.inner_text()) not in own]
    assert others, "the first page lists no other department's document"
    for cell in others:
        assert cell.locator("a").count() == 0, cell.inner_text()

    # No Admin link for a login that cannot open the admin.
    assert page.get_by_role("link", name="Admin", exact=True).count() == 0
    assert not any(href.startswith("/admin") for href in hrefs)

    # And every link of the page, to this site, opens for this viewer.
    for href in sorted({h for h in hrefs if h.startswith(("/", "?"))}):
        url = live_server.url + (href if href.startswith("/") else "/documents/" + href)
        assert page.request.get(url).status == 200, href
    session.close()
