"""Every link a page shows opens for its viewer.

A department's page is a 404 outside the viewer's scope, yet documents, processes and
sessions of other departments are listed to everyone: their department's name is a link
only where its page opens (templates/dashboard/includes/department_link.html, deciding by
`visible_department_ids`), plain text elsewhere. The footer's Admin link is for staff.

Each role's pages are crawled with the Django test client: every internal `href` must
answer 200 for that viewer."""

from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body
from sops.services import document_create
from techleads.services import (
    improvement_project_create,
    incident_record,
    tech_session_schedule,
)

pytestmark = pytest.mark.django_db

ROLES = ["hr", "maya", "lea", "ian"]  # HR, a manager, a Tech Lead, an employee


class Links(HTMLParser):
    """The `href` of every <a> of a page."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href is not None:
            self.hrefs.append(href)


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def internal_links(page_url: str, html: str) -> set[str]:
    """The page's links into this site, resolved against the page, without fragments."""
    links = set()
    for href in hrefs(html):
        if href.startswith(("#", "mailto:", "tel:")):
            continue
        url = urlsplit(urljoin(page_url, href))
        if url.scheme not in ("", "http", "https") or url.netloc not in ("", "testserver"):
            continue  # Confluence, a recording, a post-mortem: not ours to check
        links.add(url.path + (f"?{url.query}" if url.query else ""))
    return links


def department_href(department) -> str:
    return reverse("dashboard:department", args=[department.pk])


@pytest.fixture
def spread(org):
    """Something of Data's on every page that lists other departments' things: documents
    (read by everyone), a process owned by Data involving Platform, a Data session Ian is
    invited to, a Data improvement project and incident."""
    runbook = document_create(
        actor=org.hr, title="Platform runbook", kind="sop", department=org.platform
    )
    warehouse = document_create(
        actor=org.hr, title="Warehouse guide", kind="best_practice", department=org.data
    )
    process = document_create(
        actor=org.hr,
        title="Data access requests",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.platform, org.data],
    )
    platform_session = tech_session_schedule(
        actor=org.lea.user,
        department=org.platform,
        topic="Platform deploys",
        scheduled_for=timezone.now() + timedelta(days=2),
        invitees=[org.ian],
    )
    data_session = tech_session_schedule(
        actor=org.hr,
        department=org.data,
        topic="Data for platform people",
        scheduled_for=timezone.now() + timedelta(days=3),
        invitees=[org.ian, org.dana],
    )
    improvement_project_create(actor=org.hr, department=org.data, name="Data quality")
    incident_record(
        actor=org.hr,
        department=org.data,
        title="Warehouse down",
        severity="sev2",
        started_at=timezone.now() - timedelta(hours=2),
    )
    return {
        "runbook": runbook,
        "warehouse": warehouse,
        "process": process,
        "platform_session": platform_session,
        "data_session": data_session,
    }


def login(client, org, role):
    client.force_login(org.hr if role == "hr" else getattr(org, role).user)


def pages(spread) -> list[str]:
    """Every page of the dashboard's navigation, and the pages of things other departments
    own that a viewer may open."""
    return [
        "/",
        reverse("dashboard:departments"),
        reverse("dashboard:explorer"),
        reverse("dashboard:documents"),
        reverse("dashboard:document", args=[spread["runbook"].pk]),
        reverse("dashboard:document", args=[spread["warehouse"].pk]),
        reverse("dashboard:document", args=[spread["process"].pk]),
        reverse("dashboard:sessions"),
        reverse("dashboard:session", args=[spread["data_session"].pk]),
        reverse("dashboard:improvement"),
        reverse("dashboard:capacity"),
        reverse("dashboard:incidents"),
        reverse("dashboard:processes"),
        reverse("dashboard:inbox"),
        reverse("dashboard:role_changes"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_of_every_page_opens_for_its_viewer(client, org, spread, role):
    login(client, org, role)
    answers: dict[str, int] = {}
    broken = []
    for page_url in pages(spread):
        page = client.get(page_url)
        if page.status_code == 404:
            continue  # out of the viewer's scope: a page nobody links them to
        assert page.status_code == 200, page_url
        for link in sorted(internal_links(page_url, body(page))):
            if link not in answers:
                answers[link] = client.get(link).status_code
            if answers[link] != 200:
                broken.append((page_url, link, answers[link]))
    assert not broken, broken


@pytest.mark.parametrize(
    ("role", "linked", "plain"),
    [
        ("hr", ["platform", "data"], []),
        ("maya", ["platform"], ["data"]),
        ("lea", ["platform"], ["data"]),
        ("ian", ["platform"], ["data"]),
    ],
)
def test_department_names_are_links_only_in_the_viewer_s_scope(
    client, org, spread, role, linked, plain
):
    login(client, org, role)
    for page_url, shown in (
        (reverse("dashboard:documents"), {"platform", "data"}),
        (reverse("dashboard:document", args=[spread["warehouse"].pk]), {"data"}),
        (reverse("dashboard:processes"), {"platform", "data"}),  # owner and involved
    ):
        page = body(client.get(page_url))
        links = hrefs(page)
        for name in shown & set(linked):
            assert department_href(getattr(org, name)) in links, (page_url, name)
        for name in shown & set(plain):
            department = getattr(org, name)
            assert department_href(department) not in links, (page_url, name)
            assert department.name in page, (page_url, name)  # still named, as text


def test_the_document_page_names_its_department_as_text_out_of_scope(client, org, spread):
    client.force_login(org.ian.user)
    page = body(client.get(reverse("dashboard:document", args=[spread["warehouse"].pk])))
    assert "Best practice of Data ·" in page
    page = body(client.get(reverse("dashboard:document", args=[spread["runbook"].pk])))
    assert f'of <a href="{department_href(org.platform)}">Platform</a> ·' in page


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_link_is_not_shown_to_who_cannot_open_the_admin(client, org, role):
    login(client, org, role)
    assert "/admin/" not in hrefs(body(client.get(reverse("dashboard:documents"))))


def test_the_admin_link_is_shown_to_staff(client, org):
    org.hr.is_staff = True
    org.hr.save()
    client.force_login(org.hr)
    assert "/admin/" in hrefs(body(client.get(reverse("dashboard:documents"))))
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [reverse("dashboard:documents"), reverse("dashboard:processes"), "/"],
)
def test_deciding_link_or_text_costs_the_same_at_any_size(client, org, spread, grow, url):
    """The viewer's departments are read once per page, not once per row."""
    client.force_login(org.ian.user)
    grow(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(12)  # more departments, and documents in them: more rows, out of scope
    for i in range(12):
        document_create(
            actor=org.hr,
            title=f"Process {i}",
            kind="cross_department_process",
            department=org.data,
            involved_departments=[org.platform, org.data],
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]
