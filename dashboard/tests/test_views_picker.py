"""The person picker at the size of a large company: a searchable picker renders at most
widgets.LIMIT options (plus who is selected), validation still takes anyone of the field's
queryset, and the search (`/people/search/`) answers from that same queryset, in the page's
scope and role, in a bounded number of queries."""

import re

import pytest
from django.urls import reverse

from dashboard.tests.pages import body
from dashboard.widgets import LIMIT
from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MANY = 300


@pytest.fixture
def crowd(org):
    """MANY people in Data, named to sort in the order they are made, after the org's
    people (the factory's "Person N" sorts by digits: "Person 1032" before "Person 274",
    which put the last one among the first options when earlier tests had run)."""
    return [
        PersonFactory(full_name=f"Zz Person {n:04}", department=org.data, level=4)
        for n in range(MANY)
    ]


def options(page, form_marker):
    form = page.split(form_marker, 1)[1].split("</form>", 1)[0]
    select = form.split('name="person"', 1)[1].split("</select>", 1)[0]
    return select, re.findall(r'<option value="(\d+)"', select)


def search(client, **params):
    return client.get(reverse("dashboard:people_search"), params)


def test_the_pickers_render_at_most_the_bound_and_a_search_url(hr_client, org, crowd):
    page = body(hr_client.get(reverse("dashboard:department", args=[org.data.pk])))
    nominate = reverse("dashboard:nominate", args=[org.data.pk])
    for marker in (f'action="{nominate}"', "Assign a Tech Lead"):
        select, ids = options(page, marker)
        assert len(ids) == LIMIT, marker
        assert "data-search=" in select and "for=" in select
    assert len(page) < 200_000


def test_a_small_picker_lists_everyone_without_search(hr_client, org):
    page = body(hr_client.get(reverse("dashboard:department", args=[org.platform.pk])))
    select, ids = options(page, "Hand over to a successor")
    assert "data-search" not in select and len(ids) >= 3


def test_a_valid_choice_beyond_the_bound_is_accepted_and_an_outsider_refused(hr_client, org, crowd):
    last = crowd[-1]
    nominate = reverse("dashboard:nominate", args=[org.data.pk])
    page = body(hr_client.post(nominate, {"person": last.pk, "readiness": "nope"}))
    select, ids = options(page, f'action="{nominate}"')
    assert str(last.pk) in ids and len(ids) == LIMIT + 1  # kept selected when re-rendered
    assert re.search(rf'<option value="{last.pk}"[^>]* selected', select)
    hr_client.post(nominate, {"person": last.pk, "readiness": "ready_now"})
    assert org.data.successor_candidates.filter(person=last).exists()
    page = body(hr_client.post(nominate, {"person": org.lea.pk, "readiness": "ready_now"}))
    assert "Select a valid choice" in page  # a current Tech Lead: not in the queryset
    assign = reverse("dashboard:assign", args=[org.data.pk])
    page = body(hr_client.post(assign, {"person": org.ian.pk, "reason": "Keen"}))
    assert "Select a valid choice" in page  # not a member of Data
    hr_client.post(assign, {"person": crowd[-2].pk, "reason": "Keen"})
    assert org.data.tech_lead_assignments.filter(person=crowd[-2]).exists()


def test_the_search_answers_from_the_fields_queryset(hr_client, org, crowd):
    last = crowd[-1]
    found = search(hr_client, **{"for": "lead", "department": org.data.pk, "q": last.full_name})
    assert found.status_code == 200
    (match,) = [m for m in found.json()["results"] if m["id"] == last.pk]
    assert match["label"].startswith(last.full_name) and match["verdict"] == "eligible"
    by_id = search(hr_client, **{"for": "lead", "department": org.data.pk, "q": last.employee_id})
    assert [m["id"] for m in by_id.json()["results"]] == [last.pk]
    by_email = search(hr_client, **{"for": "lead", "department": org.data.pk, "q": last.email})
    assert [m["id"] for m in by_email.json()["results"]] == [last.pk]
    # Assign: Data's members only; nominate: anyone active but the current Tech Leads.
    ian = {"q": "ian engineer"}
    assert search(hr_client, **{"for": "lead", "department": org.data.pk, **ian}).json() == {
        "results": []
    }
    nominate = search(hr_client, **{"for": "nominate", "department": org.data.pk, **ian}).json()
    assert [m["id"] for m in nominate["results"]] == [org.ian.pk]
    assert nominate["results"][0]["hint"] == "Platform"
    lea = search(hr_client, **{"for": "nominate", "department": org.data.pk, "q": "Lea Lead"})
    assert lea.json() == {"results": []}
    many = search(hr_client, **{"for": "nominate", "department": org.data.pk, "q": "person"})
    assert len(many.json()["results"]) == 20


@pytest.mark.parametrize(
    ("role", "form", "status"),
    [
        ("hr", "lead", 200),
        ("hr", "nominate", 200),
        ("max", "nominate", 200),  # manager of Data
        ("max", "lead", 403),
        ("maya", "nominate", 404),  # manager of Platform: Data is out of scope
        ("ian", "nominate", 404),
        ("lea", "lead", 404),
    ],
)
def test_the_search_takes_the_pages_scope_and_role(client, org, role, form, status):
    user = org.hr if role == "hr" else getattr(org, role).user
    client.force_login(user)
    response = search(client, **{"for": form, "department": org.data.pk, "q": "a"})
    assert response.status_code == status


def test_the_search_refuses_anonymous_and_bad_parameters(client, hr_client, org):
    client.logout()
    assert search(client, **{"for": "lead", "department": org.data.pk}).status_code == 302
    client.force_login(org.hr)
    for params in (
        {"for": "everyone", "department": org.data.pk},
        {"for": "lead", "department": "x"},
        {"for": "lead", "department": org.data.pk, "sort": "name"},
        {"for": "lead", "department": org.data.pk, "q": "x" * 101},
    ):
        assert search(client, **params).status_code == 400, params
    assert search(client, **{"for": "lead", "department": 999999}).status_code == 404


def test_the_search_and_the_page_cost_bounded_queries(
    hr_client, org, crowd, django_assert_max_num_queries
):
    params = {"for": "nominate", "department": org.data.pk, "q": "person 01"}
    with django_assert_max_num_queries(8):
        assert len(search(hr_client, **params).json()["results"]) == 20
    with django_assert_max_num_queries(60):
        page = body(hr_client.get(reverse("dashboard:department", args=[org.data.pk])))
    assert len(re.findall(r"<option value=\"\d+\"", page)) <= 2 * LIMIT + 10


# Continuity's receivers (transfer and hand-over with holdings) ----------------------------


@pytest.fixture
def runbook(org):
    from sops.services import document_create

    return document_create(
        actor=org.hr, title="Deploy runbook", kind="playbook", department=org.platform,
        owner=org.lea,
    )  # fmt: skip


def selects(page):
    """name -> option ids of every select on the page."""
    found = re.findall(r'<select name="([^"]+)"(.*?)</select>', page, re.S)
    return {name: (rest, re.findall(r'<option value="(\d+)"', rest)) for name, rest in found}


def test_the_receivers_are_bounded_pickers_and_take_anyone_active(hr_client, org, crowd, runbook):
    url = reverse("dashboard:person_transfer", args=[org.lea.pk])
    page = body(hr_client.get(url))
    pickers = selects(page)
    for name in ("to", f"to_document_{runbook.pk}"):
        rest, ids = pickers[name]
        assert len(ids) == LIMIT and "data-search=" in rest and "for=receiver" in rest
    last = crowd[-1]
    form = {"to": last.pk, "reason": "Lea leaves", f"item_document_{runbook.pk}": "on"}
    preview = body(hr_client.post(url, {**form, "dry_run": "on"}))
    assert f"Deploy runbook: to {last.full_name}" in preview
    assert str(last.pk) in selects(preview)["to"][1]  # kept selected beyond the bound
    found = search(hr_client, **{"for": "receiver", "person": org.lea.pk, "q": last.employee_id})
    assert found.json()["results"] == [
        {"id": last.pk, "label": f"{last.full_name} ({last.employee_id})"}
    ]
    lea = search(hr_client, **{"for": "receiver", "person": org.lea.pk, "q": "Lea Lead"})
    assert lea.json() == {"results": []}  # not a receiver of her own holdings
    page = body(hr_client.get(reverse("dashboard:hand_over_holdings", args=[org.platform.pk])))
    rest, ids = selects(page)[f"to_document_{runbook.pk}"]
    assert len(ids) == LIMIT and "data-search=" in rest


@pytest.mark.parametrize(("role", "status"), [("hr", 200), ("maya", 403), ("lea", 403)])
def test_the_receivers_search_is_hr_only(client, org, role, status):
    client.force_login(org.hr if role == "hr" else getattr(org, role).user)
    response = search(client, **{"for": "receiver", "person": org.lea.pk})
    assert response.status_code == status
    if role == "hr":
        assert search(client, **{"for": "receiver", "person": 999999}).status_code == 404


# The forms built from the viewer alone (sessions, tasks, allocations, incidents) ----------


def test_the_session_form_pickers_are_bounded_and_search_the_viewers_people(client, org):
    crowd = PersonFactory.create_batch(MANY, department=org.platform, level=3)
    client.force_login(org.lea.user)  # Tech Lead of Platform
    page = body(client.get(reverse("dashboard:sessions")))
    pickers = selects(page)
    for name in ("new-presenter", "new-invitees", "new-mandatory"):
        rest, ids = pickers[name]
        assert len(ids) == LIMIT and "for=session" in rest, name
    last = crowd[-1]
    params = {"for": "session", "field": "invitees", "q": last.employee_id}
    assert [m["id"] for m in search(client, **params).json()["results"]] == [last.pk]
    dana = {"for": "session", "field": "invitees", "q": org.dana.full_name}
    assert search(client, **dana).json() == {"results": []}  # Data: out of her scope
    assert search(client, **{**params, "field": "topic"}).status_code == 400
    client.force_login(org.ian.user)  # an employee has no session form
    assert search(client, **params).status_code == 403
