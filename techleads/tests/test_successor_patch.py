"""Changing a successor candidate (PATCH/PUT successors/{id}/) changes their readiness and
notes only: the candidate's person and department stay, since another person is another
nomination (POST successors/)."""

import pytest

from departments.models import AuditEntry
from techleads.models import SuccessorCandidate
from techleads.services import successor_nominate

pytestmark = pytest.mark.django_db

STAYS = "Nominate the new candidate instead; this one stays."


@pytest.fixture
def candidate(org):
    return successor_nominate(
        department=org.platform, person=org.ian, actor=org.hr, readiness="developing", notes="Keen"
    )


def url(candidate) -> str:
    return f"/api/v1/successors/{candidate.pk}/"


def rows() -> list[tuple[int, int, str, str]]:
    return list(
        SuccessorCandidate.objects.order_by("pk").values_list(
            "department_id", "person_id", "readiness", "notes"
        )
    )


@pytest.mark.parametrize("role", ["hr", "maya"])
@pytest.mark.parametrize(
    ("field", "other"),
    [("person", lambda org: org.jo.pk), ("department", lambda org: org.data.pk)],
)
def test_another_person_or_department_is_a_400_and_changes_nothing(
    api, org, candidate, role, field, other
):
    before, audited = rows(), AuditEntry.objects.count()
    response = api(role).patch(
        url(candidate), {field: other(org), "readiness": "ready_now"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json() == {field: [STAYS]}
    assert rows() == before  # neither a second nomination nor a changed readiness
    assert AuditEntry.objects.count() == audited


def test_a_full_update_naming_another_person_is_a_400(api, org, candidate):
    body = {
        "department": org.platform.pk,
        "person": org.jo.pk,
        "readiness": "ready_now",
        "notes": "",
    }
    response = api("maya").put(url(candidate), body, format="json")
    assert response.status_code == 400 and response.json() == {"person": [STAYS]}
    assert rows() == [(org.platform.pk, org.ian.pk, "developing", "Keen")]


def test_readiness_and_notes_change_on_the_same_candidate(api, org, candidate):
    response = api("maya").patch(
        url(candidate), {"readiness": "ready_now", "notes": "Ran the on-call"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["person"], body["department"]) == (
        candidate.pk,
        org.ian.pk,
        org.platform.pk,
    )
    assert rows() == [(org.platform.pk, org.ian.pk, "ready_now", "Ran the on-call")]
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.verb, entry.target_id) == ("successor.update", str(candidate.pk))


def test_sending_the_same_person_and_department_back_is_allowed(api, org, candidate):
    body = {
        "department": org.platform.pk,
        "person": org.ian.pk,
        "readiness": "ready_soon",
        "notes": "Keen",
    }
    assert api("hr").put(url(candidate), body, format="json").status_code == 200
    patched = api("hr").patch(url(candidate), {"person": org.ian.pk}, format="json")
    assert patched.status_code == 200, patched.content
    assert rows() == [(org.platform.pk, org.ian.pk, "ready_soon", "Keen")]


def test_nominating_still_takes_a_person_and_a_department(api, org, candidate):
    body = {"department": org.platform.pk, "person": org.jo.pk, "readiness": "developing"}
    response = api("maya").post("/api/v1/successors/", body, format="json")
    assert response.status_code == 201, response.content
    assert [r[1] for r in rows()] == [org.ian.pk, org.jo.pk]
