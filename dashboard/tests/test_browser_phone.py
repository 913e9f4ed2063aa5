"""Every dashboard page on a 390 px phone, in a real headless Chromium on the demo data:
nothing in the main column reaches past the screen's edge (no sideways scrolling, not even
inside a table's box), every table cell shows its column's name beside its value, the
overview's chart shows every status segment within the screen, and axe-core finds no
serious or critical violation (Session.go)."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from dashboard.tests.browser import PHONE, Session, fits_a_phone
from departments.models import Department
from sops.models import Document
from techleads.models import TechSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_demo"),
]

# Elements of the main column whose right edge is past the screen's (visually hidden text,
# 1 px wide and clipped, is not seen and so not counted).
OVERFLOWING = f"""[...document.querySelectorAll('main *')]
  .filter(e => {{
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.right > {PHONE} + 0.5;
  }})
  .slice(0, 8)
  .map(e => `${{e.tagName.toLowerCase()}}.${{e.className}}: ${{e.textContent.slice(0, 40)}}`)"""

# Table cells (the "nothing here" rows apart) whose label is missing or not shown before
# the value: the label is the cell's ::before, which must be displayed and read its
# column's name.
UNLABELLED = """[...document.querySelectorAll('main tbody td')]
  .filter(td => !td.classList.contains('empty') && !td.hasAttribute('colspan'))
  .filter(td => {
    const label = td.dataset.label;
    const before = getComputedStyle(td, '::before');
    return !label || before.display === 'none' || before.content !== `"${label}"`
      || td.getBoundingClientRect().width === 0;
  })
  .slice(0, 8)
  .map(td => `${td.closest('table').querySelector('caption')?.textContent}: ${td.textContent}`)"""


def detail_pages() -> list[str]:
    """One of each detail page (a person's too, where the dashboard has person pages)."""
    platform = Department.objects.get(slug="platform")
    document = Document.objects.filter(department=platform).order_by("pk").first()
    session = TechSession.objects.filter(department=platform).order_by("pk").first()
    pages = [
        f"/departments/{platform.pk}/",
        f"/departments/{platform.pk}/trends/",
        f"/documents/{document.pk}/",
        f"/sessions/{session.pk}/",
    ]
    try:
        pages.append(reverse("dashboard:person", args=[platform.manager_id]))
    except NoReverseMatch:
        pass
    return pages


def nav_pages(page) -> list[str]:
    """Every page of the main navigation the viewer has."""
    links = page.eval_on_selector_all(
        "nav[aria-label=Main] a", "links => links.map(a => a.getAttribute('href'))"
    )
    return sorted({re.sub(r"[?#].*", "", href) for href in links})


@pytest.mark.parametrize("username", ["hr", "manager"])
def test_every_page_shows_every_field_on_a_phone(browser, live_server, username):
    phone = Session(browser, live_server.url, username, width=PHONE)
    pages = nav_pages(phone.page) + detail_pages()
    assert "/trends/" in pages and len(pages) >= 16
    tables = 0
    for path in pages:
        page = phone.go(path)
        fits_a_phone(page)
        assert page.evaluate(OVERFLOWING) == [], path
        assert page.evaluate(UNLABELLED) == [], path
        tables += page.locator("main tbody td[data-label]").count()
    assert tables > 100  # the pages had tables to check
    phone.close()


def test_the_overview_chart_shows_every_status_within_the_screen(browser, live_server):
    phone = Session(browser, live_server.url, "hr", width=PHONE)
    page = phone.go("/")
    segments = page.locator("svg.chart rect")
    statuses = set()
    for i in range(segments.count()):
        box = segments.nth(i).bounding_box()
        assert box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box
        statuses.add(segments.nth(i).get_attribute("class"))
    # Current, due soon, stale and archived documents are all drawn.
    assert statuses == {"seg-current", "seg-due_soon", "seg-stale", "seg-archived"}
    # The chart's names are readable on a phone (at least 11 px), not shrunk to a dot.
    label = page.locator("svg.chart .chart-label").first
    assert label.bounding_box()["height"] >= 11
    phone.close()
