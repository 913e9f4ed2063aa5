"""The continuity API: holdings, transfer, the guard on people/ and the bulk upsert, the
orphans report and the hand-over with `transfer`; every endpoint for every role."""

import pytest

from continuity.selectors import person_holdings
from departments.models import Person
from departments.tests.factories import PersonFactory
from sops.models import Document
from techleads.models import TechLeadAssignment

pytestmark = pytest.mark.django_db


def expect(hr, maya, max_, lea, ian, nobody):
    codes = (hr, maya, max_, lea, ian, nobody, 401)
    return dict(zip(["hr", "maya", "max", "lea", "ian", "nobody", "anonymous"], codes, strict=True))


# Lea's holdings: HR, and Maya (manager of Platform, Lea's department); Max sees Lea as
# nobody of his (404); Lea sees herself but is not her own manager (403); Ian and a
# login without a person do not see her (404).
HOLDINGS_BY_ROLE = expect(200, 200, 404, 403, 404, 404)
HR_ONLY = expect(200, 403, 403, 403, 403, 403)
MATRIX = {
    "holdings": ("get", "/api/v1/people/{lea}/holdings/", None, HOLDINGS_BY_ROLE),
    "transfer (dry run)": (
        "post",
        "/api/v1/people/{lea}/transfer/",
        {"to": "{ian}", "reason": "r", "dry_run": True},
        HR_ONLY,
    ),
    "orphans": ("get", "/api/v1/reports/orphans/", None, HR_ONLY),
    # No DELETE for people: HR gets 405; everyone else is refused the write first.
    "no delete of people": ("delete", "/api/v1/people/{jo}/", None, {**HR_ONLY, "hr": 405}),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ["hr", "maya", "max", "lea", "ian", "nobody", "anonymous"])
def test_role_matrix(api, org, holdings, name, role):
    method, path, body, expected = MATRIX[name]
    ids = {"lea": org.lea.pk, "ian": org.ian.pk, "jo": org.jo.pk}
    if body is not None:
        body = {k: int(v.format(**ids)) if v == "{ian}" else v for k, v in body.items()}
    response = getattr(api(role), method)(path.format(**ids), body, format="json")
    assert response.status_code == expected[role], response.content


def test_holdings_lists_every_item(api, org, holdings, django_assert_max_num_queries):
    client = api("hr")
    # Token and user, HR group, the person (with eligibility), the UNION of holdings.
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/people/{org.lea.pk}/holdings/")
    body = response.json()
    assert body["person"] == org.lea.pk
    assert [i["type"] for i in body["items"]][:3] == ["tech_lead", "manager", "document"]
    assert body["items"][0] == {
        "type": "tech_lead",
        "id": org.lead.pk,
        "label": "Tech Lead of Platform",
        "department": org.platform.pk,
        "url": f"/api/v1/assignments/{org.lead.pk}/",
    }


def test_transfer_moves_and_answers_what_moved(api, org, holdings):
    response = api("hr").post(
        f"/api/v1/people/{org.lea.pk}/transfer/",
        {
            "to": org.ian.pk,
            "reason": "Lea leaves",
            "items": [{"type": "document", "id": holdings.document.pk, "to": org.dana.pk}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "moved": [
            {
                "type": "document",
                "id": holdings.document.pk,
                "label": "Deploy runbook",
                "department": org.platform.pk,
                "url": f"/api/v1/sops/{holdings.document.pk}/",
                "to": org.dana.pk,
            }
        ],
        "count": 1,
        "dry_run": False,
    }


def test_transfer_to_an_ineligible_receiver_is_a_400_on_to(api, org, holdings):
    response = api("hr").post(
        f"/api/v1/people/{org.lea.pk}/transfer/",
        {"to": org.jo.pk, "reason": "Lea leaves"},
        format="json",
    )
    assert response.status_code == 400
    assert "Jo Junior" in response.json()["to"][0]
    assert len(person_holdings(org.lea)) == 8


def test_patch_deactivating_a_holder_is_a_409_with_the_holdings(api, org, holdings):
    response = api("hr").patch(f"/api/v1/people/{org.lea.pk}/", {"is_active": False}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert "Lea Lead still holds 8 item(s)" in body["detail"]
    assert len(body["holdings"]) == 8
    assert Person.objects.get(pk=org.lea.pk).is_active


def test_patch_with_transfer_to_transfers_then_deactivates(api, org, holdings):
    response = api("hr").patch(
        f"/api/v1/people/{org.lea.pk}/",
        {"is_active": False, "transfer_to": org.ian.pk},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert "transfer_to" not in response.json()
    assert person_holdings(org.lea) == []
    assert Document.objects.get(pk=holdings.document.pk).owner == org.ian


def test_patch_moving_the_lead_is_a_409_then_allowed_with_transfer_to(api, org):
    url = f"/api/v1/people/{org.lea.pk}/"
    refused = api("hr").patch(url, {"department": org.data.pk}, format="json")
    assert refused.status_code == 409
    assert [h["type"] for h in refused.json()["holdings"]] == ["tech_lead"]

    allowed = api("hr").patch(
        url, {"department": org.data.pk, "transfer_to": org.ian.pk}, format="json"
    )
    assert allowed.status_code == 200, allowed.content
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian


def test_a_create_takes_no_transfer_to(api, org):
    """A new person holds nothing: a create is `Person` (unknown fields ignored, as DRF
    does), and only a change (PUT, PATCH) is `PersonChange` with `transfer_to`."""
    response = api("hr").post(
        "/api/v1/people/",
        {"employee_id": "N1", "full_name": "N", "track": "ic", "level": 3, "transfer_to": 1},
        format="json",
    )
    assert response.status_code == 201
    assert "transfer_to" not in response.json()


def test_bulk_upsert_row_deactivating_a_holder_is_that_rows_error(api, org, holdings):
    response = api("hr").post(
        "/api/v1/people/bulk-upsert/",
        [
            {"employee_id": org.jo.employee_id, "level": 3},
            {"employee_id": org.lea.employee_id, "is_active": False},
        ],
        format="json",
    )

    assert response.status_code == 400
    row = response.json()["rows"]["2"]
    assert "Lea Lead still holds" in row["is_active"][0]
    assert len(row["holdings"]) == 8
    # Nothing of the batch is written.
    assert Person.objects.get(pk=org.jo.pk).level == 2
    assert Person.objects.get(pk=org.lea.pk).is_active


def test_bulk_upsert_with_transfer_to_transfers_then_deactivates(api, org, holdings):
    response = api("hr").post(
        "/api/v1/people/bulk-upsert/",
        [
            {
                "employee_id": org.lea.employee_id,
                "is_active": False,
                "transfer_to": org.ian.employee_id,
            }
        ],
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert not Person.objects.get(pk=org.lea.pk).is_active
    assert person_holdings(org.lea) == []


def test_bulk_upsert_moving_the_lead_needs_a_receiver(api, org):
    row = {"employee_id": org.lea.employee_id, "department": "data"}
    refused = api("hr").post("/api/v1/people/bulk-upsert/", [row], format="json")
    assert refused.status_code == 400
    assert [h["type"] for h in refused.json()["rows"]["1"]["holdings"]] == ["tech_lead"]

    allowed = api("hr").post(
        "/api/v1/people/bulk-upsert/",
        [{**row, "transfer_to": org.ian.employee_id}],
        format="json",
    )
    assert allowed.status_code == 200, allowed.content
    assert Person.objects.get(pk=org.lea.pk).department == org.data


def test_bulk_upsert_unknown_or_refused_receiver_is_an_error_on_transfer_to(api, org):
    unknown = ("NOPE", "No person has employee_id NOPE.")
    for receiver, message in (unknown, (org.jo.employee_id, "Jo Junior")):
        response = api("hr").post(
            "/api/v1/people/bulk-upsert/",
            [{"employee_id": org.lea.employee_id, "is_active": False, "transfer_to": receiver}],
            format="json",
        )
        assert response.status_code == 400
        assert message in response.json()["rows"]["1"]["transfer_to"][0]
    assert Person.objects.get(pk=org.lea.pk).is_active


def test_orphans_report_lists_what_inactive_people_hold(api, org, holdings):
    gone = PersonFactory(full_name="Gone", department=org.platform, is_active=False)
    Document.objects.filter(pk=holdings.tool.pk).update(owner=gone)

    response = api("hr").get("/api/v1/reports/orphans/?page_size=10")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [
        {
            "type": "document",
            "id": holdings.tool.pk,
            "label": "Release bot",
            "department": org.platform.pk,
            "url": f"/api/v1/sops/{holdings.tool.pk}/",
            "holder": gone.pk,
        }
    ]


def test_orphans_report_takes_no_unknown_parameter(api, org):
    response = api("hr").get("/api/v1/reports/orphans/?holder=1")
    assert response.status_code == 400


@pytest.mark.parametrize("transfer", [False, True])
def test_handover_with_transfer_moves_the_lead_holdings_in_the_department(
    api, org, holdings, transfer
):
    response = api("hr").post(
        f"/api/v1/departments/{org.platform.pk}/handover/",
        {"person": org.ian.pk, "reason": "Lea moves on", "transfer": transfer},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == org.ian.pk
    if transfer:
        # Platform's documents (2), project, task and session: the role is not counted,
        # Data's management and nomination are not Platform's.
        assert body["transferred"] == 5
        assert [h.type for h in person_holdings(org.lea)] == ["manager", "successor"]
    else:
        assert "transferred" not in body
        assert len(person_holdings(org.lea)) == 7


def test_holdings_take_no_query_parameter(api, org):
    response = api("hr").get(f"/api/v1/people/{org.lea.pk}/holdings/?type=document")
    assert response.status_code == 400
    assert "type" in response.json()


def test_transfer_with_a_bad_item_type_is_a_400(api, org, holdings):
    response = api("hr").post(
        f"/api/v1/people/{org.lea.pk}/transfer/",
        {"to": org.ian.pk, "reason": "r", "items": [{"type": "car", "id": 1}]},
        format="json",
    )
    assert response.status_code == 400
    assert "items" in response.json()


def test_transfer_of_an_item_the_person_does_not_hold_is_a_400(api, org, holdings):
    response = api("hr").post(
        f"/api/v1/people/{org.ian.pk}/transfer/",
        {
            "to": org.dana.pk,
            "reason": "r",
            "items": [{"type": "document", "id": holdings.document.pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "does not hold" in response.json()["items"][0]


@pytest.mark.parametrize(
    ("items", "words"),
    [
        ([], "may not be empty"),
        ([{"type": "tech_lead", "id": 0}, {"type": "tech_lead", "id": 0}], "named twice"),
    ],
    ids=["empty", "twice"],
)
def test_transfer_items_empty_or_named_twice_are_a_400_and_move_nothing(
    api, org, holdings, items, words
):
    items = [{**item, "id": org.lead.pk} for item in items]
    response = api("hr").post(
        f"/api/v1/people/{org.lea.pk}/transfer/",
        {"to": org.ian.pk, "reason": "r", "items": items},
        format="json",
    )
    assert response.status_code == 400
    assert words in str(response.json()["items"])
    org.lead.refresh_from_db()
    assert org.lead.ended_at is None
