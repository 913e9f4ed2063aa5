"""Cross-department processes in API v1: people acknowledge the current version, and the
coverage of each involved department says how many of its active people have."""

import pytest
from rest_framework.test import APIClient

from departments.tests.factories import DepartmentFactory, PersonFactory, UserFactory
from sops.models import ProcessAcknowledgement
from sops.services import document_create

pytestmark = pytest.mark.django_db


def acknowledge(api, role, document):
    return api(role).post(f"/api/v1/sops/{document.pk}/acknowledge/")


def coverage(api, document, role="hr"):
    response = api(role).get(f"/api/v1/sops/{document.pk}/coverage/")
    assert response.status_code == 200, response.content
    body = response.json()
    return {
        row["name"]: (row["people"], row["acknowledged"], row["coverage"])
        for row in body["departments"]
    }


def material_update(api, document):
    response = api("lea").post(
        f"/api/v1/sops/{document.pk}/reviews/",
        {"outcome": "updated", "material": True, "notes": "New escalation step"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["material"] is True


def test_acknowledging_is_201_then_200_for_the_same_version(api, org, process):
    first = acknowledge(api, "ian", process)
    assert first.status_code == 201
    body = first.json()
    assert (body["document"], body["person"], body["version"]) == (process.pk, org.ian.pk, 1)
    assert body["acknowledged_at"]
    again = acknowledge(api, "ian", process)
    assert again.status_code == 200
    assert again.json() == body
    assert ProcessAcknowledgement.objects.count() == 1


def test_a_material_update_asks_for_a_new_acknowledgement(api, org, process):
    acknowledge(api, "ian", process)
    acknowledge(api, "max", process)
    assert coverage(api, process) == {"Data": (2, 1, 0.5), "Platform": (4, 1, 0.25)}

    material_update(api, process)
    assert api("ian").get(f"/api/v1/sops/{process.pk}/").json()["version"] == 2
    assert coverage(api, process) == {"Data": (2, 0, 0.0), "Platform": (4, 0, 0.0)}
    renewed = acknowledge(api, "ian", process)
    assert (renewed.status_code, renewed.json()["version"]) == (201, 2)
    assert coverage(api, process)["Platform"] == (4, 1, 0.25)
    assert ProcessAcknowledgement.objects.filter(person=org.ian).count() == 2  # history kept


def test_a_minor_update_keeps_the_acknowledgements(api, org, process):
    acknowledge(api, "ian", process)
    response = api("lea").post(
        f"/api/v1/sops/{process.pk}/reviews/", {"outcome": "updated"}, format="json"
    )
    assert response.status_code == 201 and response.json()["material"] is False
    assert coverage(api, process)["Platform"] == (4, 1, 0.25)
    assert acknowledge(api, "ian", process).status_code == 200


def test_coverage_counts_the_active_people_of_each_involved_department(api, org, process):
    for role in ("ian", "lea", "max"):
        acknowledge(api, role, process)
    org.jo.is_active = False
    org.jo.save()
    org.lea.is_active = False  # left: neither counted nor counting
    org.lea.save()
    outsider = PersonFactory(department=DepartmentFactory(name="Sales"), user=UserFactory())
    sales = APIClient()
    sales.force_authenticate(outsider.user)
    assert sales.post(f"/api/v1/sops/{process.pk}/acknowledge/").status_code == 201

    body = api("ian").get(f"/api/v1/sops/{process.pk}/coverage/").json()
    assert (body["document"], body["version"]) == (process.pk, 1)
    assert [row["department"] for row in body["departments"]] == [org.data.pk, org.platform.pk]
    assert coverage(api, process) == {"Data": (2, 1, 0.5), "Platform": (2, 1, 0.5)}


def test_a_department_without_active_people_has_no_coverage_figure(api, org):
    empty = DepartmentFactory(name="Empty")
    process = document_create(
        actor=org.hr,
        title="Hiring loop",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[empty],
    )
    assert coverage(api, process) == {"Empty": (0, 0, None)}


def test_only_a_process_is_acknowledged_or_covered(api, org):
    sop = document_create(actor=org.lea.user, title="Deploys", kind="sop", department=org.platform)
    refused = acknowledge(api, "ian", sop)
    assert refused.status_code == 400
    assert "cross-department processes" in refused.json()["non_field_errors"][0]
    assert api("hr").get(f"/api/v1/sops/{sop.pk}/coverage/").status_code == 400
    assert not ProcessAcknowledgement.objects.exists()


def test_an_archived_process_is_a_409(api, org, process):
    retired = api("lea").post(
        f"/api/v1/sops/{process.pk}/reviews/", {"outcome": "retired"}, format="json"
    )
    assert retired.status_code == 201
    response = acknowledge(api, "ian", process)
    assert response.status_code == 409
    assert "archived" in response.json()["detail"]
    assert not ProcessAcknowledgement.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [("nobody", 403), ("hr", 403), ("anonymous", 401)])
def test_only_a_login_with_a_person_acknowledges(api, process, role, expected):
    assert acknowledge(api, role, process).status_code == expected
    assert not ProcessAcknowledgement.objects.exists()


def test_unknown_process_is_a_404(api, org):
    assert api("ian").post("/api/v1/sops/999999/acknowledge/").status_code == 404
    assert api("ian").get("/api/v1/sops/999999/coverage/").status_code == 404


def test_processes_filter_by_involved_department(api, org, process):
    data_only = document_create(
        actor=org.hr,
        title="Data requests",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.data],
    )
    document_create(actor=org.lea.user, title="Deploys", kind="sop", department=org.platform)

    def titles(query):
        response = api("ian").get(f"/api/v1/sops/?{query}")
        assert response.status_code == 200, response.content
        return [d["title"] for d in response.json()["results"]]

    assert titles(f"involved_department={org.platform.pk}") == ["Incident hand-off"]
    assert titles(f"involved_department={org.data.pk}") == ["Data requests", "Incident hand-off"]
    row = api("ian").get(f"/api/v1/sops/{data_only.pk}/").json()
    assert row["involved_departments"] == [org.data.pk]
    # An unknown slug, not a number, beyond any id (not a 500).
    for bad in ("no-such-department", "1.5", "100000000000000000000"):
        response = api("ian").get(f"/api/v1/sops/?involved_department={bad}")
        assert response.status_code == 400 and "involved_department" in response.json()
