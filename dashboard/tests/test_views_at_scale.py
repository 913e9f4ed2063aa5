"""Pages built for thousands of departments: what needs attention first in capped lists
with "see all" links, the per-department tables paginated, sortable and searchable, the
department page's people and documents paginated; health sorted by its SQL twin."""

import re

import pytest
from django.urls import reverse
from django.utils.timezone import now

from dashboard.health import (
    health_for,
    health_scores_refresh,
    lowest_health_candidates,
    lowest_scored,
    ranked_by_health,
)
from dashboard.lists import CHOICES_LIMIT, DEPARTMENT_CHOICES, PAGE_SIZE
from dashboard.selectors import ATTENTION
from dashboard.tests.pages import local, new
from departments.models import Department
from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.models import DepartmentSummary
from sops.services import document_create

pytestmark = pytest.mark.django_db


def rows_of(page: str, table_caption: str) -> list[str]:
    """The department names of the row headers of the table with this caption."""
    table = page.split(table_caption, 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"><a href="/departments/\d+/">([^<]+)</a>', table)


HEAT = "Heat map: share of each department"


@pytest.fixture
def many(org):
    """30 leadless departments Dept 00-29 (Dept 07 with three stale documents)."""
    departments = [DepartmentFactory(name=f"Dept {n:02}", slug=f"dept-{n:02}") for n in range(30)]
    for n in range(3):
        document_create(
            actor=org.hr,
            title=f"Old {n}",
            kind="sop",
            department=departments[7],
            last_reviewed_at=None,
        )
    return departments


def test_the_overview_lists_what_needs_attention_first_capped_with_see_all_links(client, org, many):
    health_scores_refresh()
    client.force_login(org.hr)
    page = client.get("/").content.decode()
    leadless = page.split('id="leadless-heading"', 1)[1].split("</section>", 1)[0]
    assert leadless.count("No Tech Lead") == ATTENTION
    assert "See all 31 departments without a Tech Lead" in leadless  # Data too
    assert 'href="/departments/?has_tech_lead=false"' in leadless
    worst = page.split('id="worst-heading"', 1)[1].split("</section>", 1)[0]
    assert worst.count("/ 100") == ATTENTION
    assert 'href="/departments/?sort=health"' in worst


def test_the_overview_tables_and_chart_show_one_page_of_departments(client, org, many):
    client.force_login(org.hr)
    page = client.get("/").content.decode()
    first = rows_of(page, HEAT)
    assert len(first) == PAGE_SIZE and first[0] == "Data"
    assert page.count('<g transform="translate(0,') == PAGE_SIZE  # never one bar per department
    assert "32 departments" in page and 'rel="next"' in page
    second = rows_of(client.get("/?page=2").content.decode(), HEAT)
    assert len(second) == 32 - PAGE_SIZE and not set(first) & set(second)


def test_the_overview_tables_sort_and_search(client, org, many):
    health_scores_refresh()
    client.force_login(org.hr)
    assert rows_of(client.get("/?sort=stale").content.decode(), HEAT)[0] == "Dept 07"
    assert rows_of(client.get("/?sort=-name").content.decode(), HEAT)[0] == "Platform"
    # Leadless departments without documents score lowest; Platform (a lead) is not first.
    by_health = rows_of(client.get("/?sort=health").content.decode(), HEAT)
    assert by_health[0] != "Platform"
    assert rows_of(client.get("/?search=dept-1").content.decode(), HEAT) == [
        f"Dept {n}" for n in range(10, 20)
    ]
    # An unknown sort is shown beside its field and sorts by name; nothing fails.
    response = client.get("/?sort=bogus")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert rows_of(response.content.decode(), HEAT)[0] == "Data"


def test_the_departments_list_sorts_searches_and_pages(client, org, many):
    client.force_login(org.hr)
    url = reverse("dashboard:departments")
    caption = '<caption class="visually-hidden">Departments</caption>'
    assert rows_of(client.get(f"{url}?sort=stale").content.decode(), caption)[0] == "Dept 07"
    assert rows_of(client.get(f"{url}?page=2").content.decode(), caption) == [
        "Dept 24",
        "Dept 25",
        "Dept 26",
        "Dept 27",
        "Dept 28",
        "Dept 29",
        "Platform",
    ]  # fmt: skip  (page 1: Data, Dept 00-23)
    page = client.get(f"{url}?search=Dept 2&sort=-name").content.decode()
    assert rows_of(page, caption)[:2] == ["Dept 29", "Dept 28"]


def test_the_stored_ranking_is_the_rules_score_and_picks_the_lowest_live(org, grow):
    grow(8)
    assert health_scores_refresh() == Department.objects.count()
    live = {h.department.pk: h.health.score for h in health_for(Department.objects.all())}
    stored = dict(DepartmentSummary.objects.values_list("department_id", "health_score"))
    assert stored == live
    ranked = list(ranked_by_health(Department.objects.all()).values_list("pk", flat=True))
    assert ranked == sorted(live, key=lambda pk: (live[pk] is None, live[pk] or 0, pk)) or (
        [live[pk] for pk in ranked] == sorted(live.values(), key=lambda v: (v is None, v or 0))
    )
    candidates = lowest_health_candidates(Department.objects.all(), limit=3)
    scored = health_for(Department.objects.filter(pk__in=candidates))
    lowest = lowest_scored({h.department.pk: h for h in scored}, candidates, limit=3)
    assert [h.health.score for h in lowest] == sorted(v for v in live.values() if v is not None)[:3]


def test_the_overview_counts_succession_risks_as_of_the_last_refresh(client, org):
    """Lea (Platform's lead) moves to transition without a ready successor: a risk, counted
    and listed once the ranking is refreshed."""
    org.lea.track, org.lea.level, org.lea.step = "manager", 3, 1
    org.lea.save()
    client.force_login(org.hr)
    assert "Lea Lead" not in client.get("/").content.decode().split('id="risks-heading"')[1][:900]
    health_scores_refresh()
    risks = client.get("/").content.decode().split('id="risks-heading"', 1)[1]
    assert "Lea Lead" in risks.split("</section>", 1)[0]
    assert DepartmentSummary.objects.get(pk=org.platform.pk).succession_risk


def test_the_department_page_pages_its_people_and_documents(client, org):
    PersonFactory.create_batch(PAGE_SIZE + 2, department=org.data, full_name="Zed Person")
    for n in range(PAGE_SIZE + 3):
        document_create(actor=org.hr, title=f"Doc {n:02}", kind="sop", department=org.data)
    client.force_login(org.hr)
    url = reverse("dashboard:department", args=[org.data.pk])
    page = client.get(url).content.decode()
    assert page.count("/documents/") >= PAGE_SIZE and "Doc 24" in page and "Doc 27" not in page
    assert 'href="?people_page=2#people-heading"' in page
    assert 'href="?documents_page=2#docs-heading"' in page
    second = client.get(f"{url}?documents_page=2").content.decode()
    assert "Doc 27" in second and "Doc 00" not in second
    people = client.get(f"{url}?people_page=2").content.decode()
    table = people.split('id="people-heading"', 1)[1].split("</table>", 1)[0]
    assert table.count("Zed Person") == 4  # 29 people (Max, Dana, 27 Zeds), 25 a page


@pytest.mark.parametrize(
    "name", ["dashboard:overview", "dashboard:departments", "dashboard:succession"]
)
def test_department_pages_run_bounded_queries_at_two_sizes(
    client, org, name, django_assert_max_num_queries
):
    client.force_login(org.hr)
    for size in (5, 60):
        for n in range(size):
            DepartmentFactory(name=f"Grown {size}-{n}")
        health_scores_refresh()
        assert Department.objects.count() > size
        with django_assert_max_num_queries(19):
            assert client.get(reverse(name) + "?sort=health").status_code == 200


def test_department_filters_take_an_id_or_slug_beyond_the_offered_choices(client, org):
    client.force_login(org.hr)
    page = client.get(reverse("dashboard:documents")).content.decode()
    assert '<select name="department"' in page
    Department.objects.bulk_create(
        Department(name=f"Bulk {n}", slug=f"bulk-{n}") for n in range(DEPARTMENT_CHOICES)
    )
    document_create(actor=org.hr, title="Data runbook", kind="sop", department=org.data)
    page = client.get(reverse("dashboard:documents")).content.decode()
    assert '<select name="department"' not in page and "Bulk 7" not in page
    assert 'placeholder="id or slug"' in page
    found = client.get(reverse("dashboard:documents") + "?department=data").content.decode()
    assert "Data runbook" in found


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=stale",
        "?department=data",
        "?kind=tool",
        "?kind=tool&status=current&department=platform",
        "?kind=cross_department_process",
        "?kind=sop",  # one of a group: counted by the documents
        "?search=Runbook",
        "?status=bogus",
    ],
)
def test_the_documents_list_counts_from_the_summary_what_it_can(client, org, query):
    for kind, department, reviewed in (
        ("sop", org.platform, None),
        ("tool", org.platform, "now"),
        ("tool", org.data, None),
        ("best_practice", org.data, "now"),
    ):
        document_create(
            actor=org.hr,
            title=f"Runbook {kind}",
            kind=kind,
            department=department,
            **({"last_reviewed_at": None} if reviewed is None else {}),
        )
    document_create(
        actor=org.hr,
        title="Hand-off",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.data],
    )
    client.force_login(org.hr)
    response = client.get(reverse("dashboard:documents") + query)
    page = response.context["page"]
    assert page.paginator.count == len(page.object_list)  # all on one page: the truth


def test_who_to_call_now_is_a_page_of_departments_at_a_time(client, org, many):
    client.force_login(org.hr)
    page = client.get(reverse("dashboard:incidents")).content.decode()
    on_call = page.split('id="oncall-heading"', 1)[1].split("</section>", 1)[0]
    assert on_call.count('<tr><th scope="row">') == PAGE_SIZE
    assert 'href="?on_call_page=2#oncall-heading"' in on_call
    second = client.get(reverse("dashboard:incidents") + "?on_call_page=2").content.decode()
    assert "Platform" in second.split('id="oncall-heading"', 1)[1].split("</section>", 1)[0]


def test_forms_offer_a_text_field_for_the_id_beyond_the_limit_of_choices(client, org):
    """HR logs an incident in any department: beyond the limit, its id in a text field."""
    client.force_login(org.hr)
    url = reverse("dashboard:incidents")
    page = client.get(url).content.decode()
    assert 'placeholder="id"' not in page
    Department.objects.bulk_create(
        Department(name=f"Bulk {n}", slug=f"bulk-{n}") for n in range(CHOICES_LIMIT)
    )
    page = client.get(url).content.decode()
    assert 'placeholder="id"' in page and "Bulk 7" not in page
    response = client.post(
        reverse("dashboard:incident_create"),
        new(department=org.data.pk, title="Data outage", severity="sev2", started_at=local(now())),
    )
    assert response.status_code == 302
    assert org.data.incidents.filter(title="Data outage").exists()
