"""What a person holds, and what inactive people still hold."""

from django.core.paginator import Paginator

from continuity.selectors import holding_from_row, orphans, people_holdings, person_holdings
from departments.tests.factories import PersonFactory


def test_holdings_of_a_person_who_holds_one_of_each(org, holdings):
    items = [(h.type, h.id, h.label, h.department, h.url) for h in person_holdings(org.lea)]

    assert items == [
        ("tech_lead", org.lead.pk, "Tech Lead of Platform", org.platform.pk,
         f"/api/v1/assignments/{org.lead.pk}/"),
        ("manager", org.data.pk, "Manager of Data", org.data.pk,
         f"/api/v1/departments/{org.data.pk}/"),
        ("document", holdings.document.pk, "Deploy runbook", org.platform.pk,
         f"/api/v1/sops/{holdings.document.pk}/"),
        ("document", holdings.tool.pk, "Release bot", org.platform.pk,
         f"/api/v1/sops/{holdings.tool.pk}/"),
        ("improvement_project", holdings.project.pk, "Release automation", org.platform.pk,
         f"/api/v1/improvement-projects/{holdings.project.pk}/"),
        ("improvement_task", holdings.task.pk, "Automate the checklist", org.platform.pk,
         f"/api/v1/improvement-tasks/{holdings.task.pk}/"),
        ("successor", holdings.successor.pk, "Successor candidate for Data", org.data.pk,
         f"/api/v1/successors/{holdings.successor.pk}/"),
        ("tech_session", holdings.session.pk, "How releases work", org.platform.pk,
         f"/api/v1/tech-sessions/{holdings.session.pk}/"),
    ]  # fmt: skip


def test_a_person_who_holds_nothing_has_no_holdings(org):
    assert person_holdings(org.jo) == []


def test_holdings_are_one_query_whatever_their_number(org, holdings, django_assert_num_queries):
    # 1: the UNION of the eight branches (seven kinds; tasks held as assignee and as owner).
    with django_assert_num_queries(1):
        few = person_holdings(org.lea)
    for n in range(20):
        holdings.document.pk = None
        holdings.document.title = f"Runbook {n}"
        holdings.document.save()
    with django_assert_num_queries(1):
        many = person_holdings(org.lea)
    assert len(many) == len(few) + 20


def test_people_holdings_groups_by_person(org, holdings):
    from departments.models import Person

    held = people_holdings(Person.objects.filter(pk__in=[org.lea.pk, org.maya.pk, org.jo.pk]))

    assert len(held[org.lea.pk]) == 8
    assert [h.type for h in held[org.maya.pk]] == ["manager"]
    assert org.jo.pk not in held


def test_orphans_lists_what_inactive_people_hold_and_pages_in_sql(
    org, holdings, django_assert_num_queries
):
    gone = PersonFactory(full_name="Gone", department=org.platform, is_active=False)
    holdings.tool.owner = gone
    holdings.tool.save()

    # 1: the inactive holders; 2: COUNT over the UNION of their items; 3: the page's rows.
    with django_assert_num_queries(3):
        page = Paginator(orphans(), 50).page(1)
        rows = [holding_from_row(row) for row in page.object_list]

    assert [(h.type, h.id, h.holder) for h in rows] == [("document", holdings.tool.pk, gone.pk)]
