"""DepartmentSerializer works on its own (`DepartmentSerializer(department).data`), finding
the Tech Lead itself; the departments/ endpoints hand it departments with their lead
prefetched, so a list costs the same queries whatever its length."""

import pytest

from techleads.api.serializers import DepartmentSerializer
from techleads.selectors import departments_with_lead

pytestmark = pytest.mark.django_db


def summary(org) -> dict:
    return {
        "id": org.lea.pk,
        "full_name": "Lea Lead",
        "assignment": org.lead.pk,
        "since": org.lead.started_at.isoformat().replace("+00:00", "Z"),
    }


def test_a_plain_serializer_finds_the_lead_itself(org, django_assert_num_queries):
    with django_assert_num_queries(1):  # the department's active assignment with its person
        data = DepartmentSerializer(org.platform).data
    assert data["tech_lead"] == summary(org)
    assert (data["id"], data["name"], data["slug"]) == (org.platform.pk, "Platform", "platform")


def test_a_department_without_a_lead_has_none(org):
    assert DepartmentSerializer(org.data).data["tech_lead"] is None


def test_many_departments_without_a_context(org):
    rows = DepartmentSerializer([org.platform, org.data], many=True).data
    assert [r["tech_lead"] and r["tech_lead"]["id"] for r in rows] == [org.lea.pk, None]


def test_prefetched_leads_cost_no_query(org, django_assert_num_queries):
    departments = list(departments_with_lead().order_by("name"))
    with django_assert_num_queries(0):
        rows = DepartmentSerializer(departments, many=True).data
    assert {r["slug"]: r["tech_lead"] for r in rows} == {"data": None, "platform": summary(org)}


def test_the_endpoint_answers_the_same(api, org):
    response = api("hr").get(f"/api/v1/departments/{org.platform.pk}/")
    assert response.status_code == 200
    assert response.json() == DepartmentSerializer(org.platform).data
