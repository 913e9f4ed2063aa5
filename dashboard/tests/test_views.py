"""Dashboard pages through the Django test client: scope, actions, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.services import document_create
from techleads.selectors import current_assignment
from techleads.services import assignment_create

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_root_is_the_login_page(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in page and 'name="password"' in page
    assert "csrfmiddlewaretoken" in page
    assert client.get(reverse("dashboard:departments")).status_code == 302


def test_login_then_overview(client, org):
    org.hr.set_password("pw-for-the-test-123")
    org.hr.save()
    response = client.post(
        reverse("dashboard:login"), {"username": "hr", "password": "pw-for-the-test-123"}
    )
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "<title>Overview" in page and "No Tech Lead" in page


def test_manager_sees_only_their_department(client, org):
    login(client, org.maya.user)
    assert client.get(reverse("dashboard:department", args=[org.platform.pk])).status_code == 200
    assert client.get(reverse("dashboard:department", args=[org.data.pk])).status_code == 404
    overview = client.get("/").content.decode()
    assert "Platform" in overview and ">Data<" not in overview


def test_hr_assigns_and_an_ineligible_person_is_refused_with_the_reason(client, org):
    login(client, org.hr)
    url = reverse("dashboard:assign", args=[org.data.pk])
    junior = PersonFactory(department=org.data, level=1, full_name="Jun Ior")
    refused = client.post(url, {"person": junior.pk, "reason": "Keen"})
    assert refused.status_code == 200
    assert "below Level 3 cannot be Tech Leads yet" in refused.content.decode()
    assert current_assignment(department=org.data) is None
    done = client.post(url, {"person": org.dana.pk, "reason": "Expert"}, follow=True)
    assert "is now the Tech Lead of Data" in done.content.decode()
    assert current_assignment(department=org.data).person == org.dana


def test_hand_over_and_end(client, org):
    login(client, org.hr)
    client.post(
        reverse("dashboard:hand_over", args=[org.platform.pk]),
        {"person": org.ian.pk, "reason": "Ready"},
    )
    assert current_assignment(department=org.platform).person == org.ian
    client.post(reverse("dashboard:end", args=[org.platform.pk]), {"reason": "Reorg"})
    assert current_assignment(department=org.platform) is None


def test_manager_cannot_assign_but_can_nominate(client, org):
    login(client, org.maya.user)
    refused = client.post(reverse("dashboard:end", args=[org.platform.pk]), {"reason": "x"})
    assert refused.status_code == 403
    assert current_assignment(department=org.platform) == org.lead
    client.post(
        reverse("dashboard:nominate", args=[org.platform.pk]),
        {"person": org.ian.pk, "readiness": "ready_now", "notes": "Runs the sessions"},
    )
    assert org.platform.successor_candidates.get().person == org.ian


def test_owner_marks_a_document_reviewed(client, org):
    doc = document_create(
        actor=org.hr,
        title="Runbook",
        kind="sop",
        department=org.platform,
        last_reviewed_at=None,
    )
    login(client, org.lea.user)
    page = client.get(reverse("dashboard:document", args=[doc.pk])).content.decode()
    assert "Mark reviewed" in page
    client.post(reverse("dashboard:review", args=[doc.pk]), {"outcome": "confirmed"})
    doc.refresh_from_db()
    assert doc.status == "current"
    login(client, org.ian.user)
    assert (
        "Mark reviewed"
        not in client.get(reverse("dashboard:document", args=[doc.pk])).content.decode()
    )
    refused = client.post(reverse("dashboard:review", args=[doc.pk]), {"outcome": "retired"})
    assert refused.status_code == 403


def test_explorer_filters_by_verdict_with_reasons(client, org):
    login(client, org.hr)
    page = client.get(reverse("dashboard:explorer"), {"verdict": "ineligible"}).content.decode()
    assert "Jo Junior" in page and "Ian Engineer" not in page
    assert "below Level 3 cannot be Tech Leads yet" in page
    assert client.get(reverse("dashboard:explorer"), {"level": "abc"}).status_code == 200


def grow(org, n):
    for i in range(n):
        department = DepartmentFactory(manager=org.maya)
        people = PersonFactory.create_batch(3, department=department, level=4)
        if i % 2:
            assignment_create(
                department=department, person=people[0], assigned_by=org.hr, reason="x"
            )
        document_create(actor=org.hr, title=f"Doc {i}", kind="sop", department=department)


PAGES = [
    ("dashboard:overview", None),
    ("dashboard:departments", None),
    ("dashboard:department", "platform"),
    ("dashboard:explorer", None),
    ("dashboard:documents", None),
    ("dashboard:inbox", None),
    ("dashboard:role_changes", None),
]


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_pages_render_with_the_same_number_of_queries_at_any_size(client, org, name, arg):
    login(client, org.hr)
    url = reverse(name, args=[getattr(org, arg).pk] if arg else None)
    counts = []
    for extra in (2, 15):
        grow(org, extra)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_every_page_has_its_own_title(client, org, name, arg):
    login(client, org.hr)
    url = reverse(name, args=[getattr(org, arg).pk] if arg else None)
    page = client.get(url).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.endswith("· Tech Lead management") and len(title) > 25
