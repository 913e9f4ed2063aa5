"""The lean list path: rows rendered as DRF renders them, the token's one query, and the
people list without the verdict it does not show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from departments.api.serializers import PersonSerializer
from departments.models import Department, Person
from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.api.serializers import DocumentSerializer
from sops.filtersets import DocumentFilter
from sops.models import Document
from sops.services import document_create
from techleads.api.serializers import DepartmentSerializer
from techleads.selectors import (
    departments_with_lead,
    departments_with_lead_columns,
    people_with_eligibility,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(org):
    org.data.parent = org.platform
    org.data.save()
    PersonFactory(full_name="Between Departments", department=None)
    document_create(
        actor=org.hr,
        title="Release procedure",
        kind="sop",
        department=org.platform,
        owner=org.lea,
        url="https://wiki.example.com/release",
    )
    document_create(
        actor=org.hr,
        title="Incident escalation",
        kind="cross_department_process",
        department=org.platform,
        last_reviewed_at=None,
        involved_departments=[org.platform, org.data],
    )
    departments = Department.objects.order_by("id")
    return {
        "people": (PersonSerializer, Person.objects.order_by("id")),
        "departments, leads prefetched": (DepartmentSerializer, departments_with_lead(departments)),
        "departments, leads as columns": (
            DepartmentSerializer,
            departments_with_lead_columns(departments),
        ),
        "departments, leads looked up": (DepartmentSerializer, departments),
        "documents, involved prefetched": (
            DocumentSerializer,
            Document.objects.prefetch_related("involved_departments"),
        ),
        "documents, involved read per list": (DocumentSerializer, Document.objects.all()),
    }


@pytest.mark.parametrize(
    "case",
    [
        "people",
        "departments, leads prefetched",
        "departments, leads as columns",
        "departments, leads looked up",
        "documents, involved prefetched",
        "documents, involved read per list",
    ],
)
def test_a_lean_row_is_what_drf_renders(rows, case):
    serializer_class, queryset = rows[case]
    lean = serializer_class(queryset, many=True).data
    child = serializer_class()
    drf = [serializers.Serializer.to_representation(child, row) for row in queryset]
    assert [dict(row) for row in lean] == drf
    # Null foreign keys, dates and URLs are in the comparison, not only filled ones.
    assert any(None in row.values() for row in drf)
    # Each alone, too (a detail): the same row.
    assert [serializer_class(row).data for row in queryset] == drf


def test_the_involved_departments_of_a_list_are_one_query(rows, django_assert_num_queries):
    documents = list(Document.objects.all())
    with django_assert_num_queries(1):  # the involved departments of every row
        data = DocumentSerializer(documents, many=True).data
    involved = {row["title"]: row["involved_departments"] for row in data}
    assert involved["Incident escalation"] == sorted(
        involved["Incident escalation"], key=lambda pk: Department.objects.get(pk=pk).name
    )
    assert len(involved["Incident escalation"]) == 2 and involved["Release procedure"] == []


def test_a_lean_serializer_renders_validated_data_the_usual_way(org):
    serializer = PersonSerializer(
        data={"employee_id": "E-9", "full_name": "New", "track": "ic", "level": 2}
    )
    assert serializer.is_valid(), serializer.errors
    assert serializer.data["employee_id"] == "E-9"


@pytest.mark.parametrize("role", ["hr", "lea", "maya"])
def test_the_token_brings_the_role_and_the_person_in_its_query(
    api, role, django_assert_num_queries
):
    client = api(role)
    # The token with its user, their HR role and person; the page with the total.
    with django_assert_num_queries(2):
        response = client.get("/api/v1/people/")
    assert response.status_code == 200


def test_a_wrong_token_or_an_inactive_login_is_a_401(api, org):
    client = api("lea")
    org.lea.user.is_active = False
    org.lea.user.save()
    assert client.get("/api/v1/people/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/people/").status_code == 401


def test_the_people_list_reads_the_verdict_only_to_filter_by_it(api, org):
    client = api("hr")
    with CaptureQueriesContext(connection) as plain:
        everyone = client.get("/api/v1/people/").json()
    with CaptureQueriesContext(connection) as filtered:
        eligible = client.get("/api/v1/people/?verdict=eligible").json()
    assert not any("techleads_eligibilityrule" in q["sql"] for q in plain.captured_queries)
    assert any("techleads_eligibilityrule" in q["sql"] for q in filtered.captured_queries)
    verdicts = people_with_eligibility().filter(eligibility_verdict="eligible")
    assert {p["id"] for p in eligible["results"]} == set(verdicts.values_list("id", flat=True))
    assert 0 < eligible["count"] < everyone["count"]
    assert everyone["count"] == Person.objects.count()


@pytest.fixture
def grow(org):
    """Adds `n` more rows to each of the three lists."""

    def add(n):
        for _ in range(n):
            department = DepartmentFactory()
            PersonFactory(department=department)
            document_create(
                actor=org.hr,
                title=f"Process {department.slug}",
                kind="cross_department_process",
                department=department,
                involved_departments=[department, org.platform],
            )

    return add


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The token with the login's role and person; the page with its total.
        ("/api/v1/people/", 2),
        # The same: each department's lead comes in its row.
        ("/api/v1/departments/", 2),
        # The token; the total from the summary; the page; the involved departments.
        ("/api/v1/sops/", 4),
    ],
)
def test_a_list_costs_the_same_queries_at_any_length(
    api, org, grow, url, queries, django_assert_num_queries
):
    client = api("hr")
    for more in (10, 20):
        grow(more)
        with django_assert_num_queries(queries):
            response = client.get(url + "?page_size=100")
        body = response.json()
        assert len(body["results"]) == body["count"] >= more


def test_the_documents_page_joins_no_department_or_person(api, org, grow):
    grow(3)
    with CaptureQueriesContext(connection) as queries:
        assert api("hr").get("/api/v1/sops/").status_code == 200
    page = next(q["sql"] for q in queries.captured_queries if 'FROM "sops_document"' in q["sql"])
    assert "JOIN" not in page


def test_a_filterset_makes_its_form_class_once_and_a_page_s_changes_stay_its_own(
    api, hr_client, org, grow
):
    grow(2)
    assert DocumentFilter().get_form_class() is DocumentFilter().get_form_class()
    # The processes page keeps only `involved_department` in its copy of the form.
    assert hr_client.get("/processes/").status_code == 200
    body = api("hr").get("/api/v1/sops/?status=current&kind=cross_department_process").json()
    assert body["count"] == 2
    assert api("hr").get("/api/v1/sops/?status=retired").status_code == 400
