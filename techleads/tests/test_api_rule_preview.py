"""`POST eligibility-rules/preview/` and the audited rule changes of `eligibility-rules/`,
on the root conftest's organisation (Lea, IC L4, leads Platform; Ian IC L3; Jo IC L2;
Dana IC L5; Maya and Max managers at Level 1)."""

import pytest

from departments.models import AuditEntry
from departments.tests.api import ROLES
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import EligibilityRule
from techleads.services import assignment_create

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/eligibility-rules/preview/"
JUNIORS = {
    "track": "ic",
    "min_level": 2,
    "max_level": 2,
    "verdict": "eligible",
    "priority": 5,
    "explanation": "Level 2 ICs can lead small teams",
}


def ic_rule() -> EligibilityRule:
    return EligibilityRule.objects.get(track="ic", min_level=3)


def manager_rule() -> EligibilityRule:
    return EligibilityRule.objects.get(track="manager", min_level=1, max_level=1)


def test_the_preview_names_gains_losses_and_affected_leads(api, org):
    body = {
        "create": [JUNIORS],
        "update": [{"id": ic_rule().pk, "min_level": 5}],
        "delete": [manager_rule().pk],
    }
    response = api("hr").post(PREVIEW, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "counts": {"gains": 1, "losses": 4, "leads_affected": 1},
        "gains": [org.jo.pk],
        "losses": [org.maya.pk, org.max.pk, org.lea.pk, org.ian.pk],
        "leads_affected": [
            {
                "department": org.platform.pk,
                "person": org.lea.pk,
                "from": "eligible",
                "to": "ineligible",
            }
        ],
    }


def test_the_preview_writes_nothing(api, org):
    rules = list(EligibilityRule.objects.values())
    audit = AuditEntry.objects.count()
    body = {"update": [{"id": ic_rule().pk, "min_level": 9}], "delete": [manager_rule().pk]}
    assert api("hr").post(PREVIEW, body, format="json").status_code == 200
    assert list(EligibilityRule.objects.values()) == rules
    assert AuditEntry.objects.count() == audit


def test_an_empty_change_has_no_impact(api, org):
    response = api("hr").post(PREVIEW, {}, format="json")
    assert response.json() == {
        "counts": {"gains": 0, "losses": 0, "leads_affected": 0},
        "gains": [],
        "losses": [],
        "leads_affected": [],
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"update": [{"id": 9999, "min_level": 4}]},
            {"update": {"0": {"id": ["No eligibility rule with id 9999."]}}},
        ),
        ({"delete": [9999]}, {"delete": {"0": ["No eligibility rule with id 9999."]}}),
        ({"delete": ["one"]}, {"delete": {"0": ["A valid integer is required."]}}),
        (
            {"create": [{**JUNIORS, "max_level": 1}]},
            {
                "create": {
                    "0": {
                        "non_field_errors": ["Maximum level must not be below the minimum level."]
                    }
                }
            },
        ),
        (
            {"create": [{"track": "ic"}]},
            {
                "create": {
                    "0": {
                        "verdict": ["This field is required."],
                        "explanation": ["This field is required."],
                    }
                }
            },
        ),
        ({"creat": [JUNIORS]}, {"creat": ["Unknown field; expected create, update or delete."]}),
        (
            {"update": {"id": 1}},
            {"update": {"non_field_errors": ['Expected a list of items but got type "dict".']}},
        ),
    ],
    ids=[
        "unknown update",
        "unknown delete",
        "bad id",
        "range",
        "missing",
        "misspelt",
        "not a list",
    ],
)
def test_invalid_changes_are_400_with_field_messages(api, org, body, errors):
    response = api("hr").post(PREVIEW, body, format="json")
    assert response.status_code == 400
    assert response.json() == errors


def test_an_update_that_breaks_a_range_is_400(api, org):
    body = {"update": [{"id": ic_rule().pk, "max_level": 2}]}  # min_level stays 3
    response = api("hr").post(PREVIEW, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "update": {
            "0": {"non_field_errors": ["Maximum level must not be below the minimum level."]}
        }
    }


def test_a_rule_both_updated_and_deleted_is_400(api, org):
    pk = ic_rule().pk
    body = {"update": [{"id": pk, "min_level": 4}], "delete": [pk]}
    response = api("hr").post(PREVIEW, body, format="json")
    assert response.json() == {"delete": {"0": [f"Rule {pk} is both updated and deleted."]}}


@pytest.mark.parametrize(
    ("role", "status"),
    list(zip(ROLES, [200, 403, 403, 403, 403, 403, 401], strict=True)),
)
def test_only_hr_previews(api, org, role, status):
    body = {"update": [{"id": ic_rule().pk, "min_level": 4}]}
    assert api(role).post(PREVIEW, body, format="json").status_code == status


@pytest.mark.parametrize(
    ("role", "status"), list(zip(ROLES, [204, 403, 403, 403, 403, 403, 401], strict=True))
)
def test_only_hr_deletes_a_rule(api, org, role, status):
    rule = manager_rule()
    assert api(role).delete(f"/api/v1/eligibility-rules/{rule.pk}/").status_code == status
    assert EligibilityRule.objects.filter(pk=rule.pk).exists() is (status != 204)


def test_saved_changes_are_audited_with_their_counts(api, org):
    hr = api("hr")
    rule = ic_rule()
    assert (
        hr.patch(
            f"/api/v1/eligibility-rules/{rule.pk}/", {"min_level": 5}, format="json"
        ).status_code
        == 200
    )
    entry = AuditEntry.objects.get(verb="eligibility_rule.update")
    assert entry.after["counts"] == {"gains": 0, "losses": 2, "leads_affected": 1}

    created = hr.post("/api/v1/eligibility-rules/", JUNIORS, format="json")
    assert created.status_code == 201
    entry = AuditEntry.objects.get(verb="eligibility_rule.create")
    assert entry.after["counts"] == {"gains": 1, "losses": 0, "leads_affected": 0}

    assert hr.delete(f"/api/v1/eligibility-rules/{manager_rule().pk}/").status_code == 204
    entry = AuditEntry.objects.get(verb="eligibility_rule.delete")
    assert entry.after == {"counts": {"gains": 0, "losses": 2, "leads_affected": 0}}


@pytest.mark.parametrize("extra", [5, 40])
def test_the_preview_runs_a_fixed_number_of_queries(api, org, extra, django_assert_num_queries):
    for _ in range(extra):
        department = DepartmentFactory()
        people = PersonFactory.create_batch(3, department=department, level=3)
        assignment_create(department=department, person=people[0], assigned_by=org.hr, reason="x")
    body = {"update": [{"id": ic_rule().pk, "min_level": 4}], "create": [JUNIORS]}
    hr = api("hr")
    # The token's user with their HR role; the rules; each rule's three constraint checks (the
    # range checks Django validates in the database, each in a savepoint: 2 x 9); the
    # gains; the losses; the leads affected. None depends on the number of people.
    with django_assert_num_queries(23):
        response = hr.post(PREVIEW, body, format="json")
    assert response.json()["counts"]["leads_affected"] == extra
