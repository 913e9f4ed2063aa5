"""The preview of a policy change, against the fixed organisation of the root conftest:
Platform (Maya manager L1, Lea IC L4 and its Tech Lead, Ian IC L3, Jo IC L2) and Data
(Max manager L1, Dana IC L5), under the handbook's policy."""

import pytest

from departments.models import AuditEntry
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import EligibilityRule
from techleads.rules import eligibility_evaluate
from techleads.selectors import (
    UnknownRules,
    people_with_eligibility,
    rule_change_preview,
    rules_with_changes,
    verdict_case,
)
from techleads.selectors.preview import PREVIEW_CAP, LeadChange, PersonRef
from techleads.services import assignment_create, eligibility_rule_delete, eligibility_rule_save

from .test_rules import HANDBOOK_TABLE

pytestmark = pytest.mark.django_db


def ic_eligible_rule() -> EligibilityRule:
    return EligibilityRule.objects.get(track="ic", min_level=3)


def manager_level_1_rule() -> EligibilityRule:
    return EligibilityRule.objects.get(track="manager", min_level=1, max_level=1)


def raised(rule: EligibilityRule, **fields) -> EligibilityRule:
    """`rule` with new values, as a form or the API hands it over (not saved)."""
    for name, value in fields.items():
        setattr(rule, name, value)
    return rule


def juniors_eligible() -> EligibilityRule:
    return EligibilityRule(
        track="ic",
        min_level=2,
        max_level=2,
        verdict="eligible",
        priority=5,
        explanation="Level 2 ICs can lead small teams",
    )


def test_the_case_twin_gives_the_handbook_verdicts(db):
    """verdict_case over the stored rules agrees with the pure rule and the subquery twin."""
    people = [PersonFactory(track=t, level=lv, step=s) for t, lv, s, _ in HANDBOOK_TABLE]
    rules = list(EligibilityRule.objects.all())
    rows = dict(
        people_with_eligibility()
        .annotate(case_verdict=verdict_case(rules))
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", "case_verdict")
    )
    subquery = dict(people_with_eligibility().values_list("pk", "eligibility_verdict"))
    for person, (track, level, step, expected) in zip(people, HANDBOOK_TABLE, strict=True):
        pure = eligibility_evaluate(track=track, level=level, step=step, rules=rules)
        assert rows[person.pk] == subquery[person.pk] == pure.verdict == expected


def test_a_change_names_each_gain_loss_and_affected_lead(org):
    PersonFactory(full_name="Former Junior", department=org.platform, level=2, is_active=False)
    preview = rule_change_preview(
        create=[juniors_eligible()],
        update=[raised(ic_eligible_rule(), min_level=5)],
        delete=[manager_level_1_rule().pk],
    )
    assert preview.gains == [PersonRef(org.jo.pk, "Jo Junior")]  # the inactive one is not
    assert preview.losses == [
        PersonRef(p.pk, p.full_name) for p in (org.maya, org.max, org.lea, org.ian)
    ]
    assert preview.leads_affected == [
        LeadChange(org.platform.pk, "Platform", org.lea.pk, "Lea Lead", "eligible", "ineligible")
    ]
    assert preview.counts == {"gains": 1, "losses": 4, "leads_affected": 1}
    assert preview.as_api()["leads_affected"] == [
        {
            "department": org.platform.pk,
            "person": org.lea.pk,
            "from": "eligible",
            "to": "ineligible",
        }
    ]


def test_a_verdict_change_that_keeps_a_lead_unassignable_still_affects_the_lead(org):
    """Transition -> ineligible is neither a gain nor a loss, but the lead's verdict moves."""
    org.max.level, org.max.step = 2, 4
    org.max.save()
    assignment_create(
        department=org.data,
        person=org.max,
        assigned_by=org.hr,
        reason="Cover",
        override_reason="Nobody else knows the warehouse",
    )
    transition = EligibilityRule.objects.get(track="manager", min_level=2, min_step=3)
    preview = rule_change_preview(update=[raised(transition, verdict="ineligible")])
    assert (preview.gains, preview.losses) == ([], [])
    assert preview.leads_affected == [
        LeadChange(org.data.pk, "Data", org.max.pk, "Max Manager", "transition", "ineligible")
    ]


def test_a_preview_writes_nothing(org):
    rule = ic_eligible_rule()
    rules_before = list(EligibilityRule.objects.values())
    audit_before = AuditEntry.objects.count()
    rule_change_preview(
        create=[juniors_eligible()], update=[raised(rule, min_level=9)], delete=[rule.pk + 1]
    )
    assert list(EligibilityRule.objects.values()) == rules_before
    assert AuditEntry.objects.count() == audit_before


def test_rules_with_changes_leaves_the_given_rows_alone(org):
    current = list(EligibilityRule.objects.all())
    changed = raised(EligibilityRule.objects.get(pk=current[0].pk), min_level=7)
    proposed = rules_with_changes(current, update=[changed], delete=[current[1].pk])
    assert current[0].min_level != 7
    assert len(proposed) == len(current) - 1
    assert next(r for r in proposed if r.pk == current[0].pk).min_level == 7


def test_unknown_rules_are_refused_with_their_ids(org):
    with pytest.raises(UnknownRules) as refused:
        rule_change_preview(delete=[9998, 9999])
    assert (refused.value.field, refused.value.ids) == ("delete", [9998, 9999])
    assert "9998, 9999" in refused.value.message


def test_a_new_rule_after_a_saved_one_of_the_same_priority_loses_the_tie(org):
    """Saved later, a new rule gets a higher id: the preview tries it after the old one."""
    same_priority = EligibilityRule(
        track="ic",
        min_level=3,
        verdict="ineligible",
        priority=ic_eligible_rule().priority,
        explanation="Shadowed",
    )
    assert not rule_change_preview(create=[same_priority]).has_impact


def test_lists_are_capped_and_counts_exact(org, monkeypatch):
    monkeypatch.setattr("techleads.selectors.preview.PREVIEW_CAP", 2)
    PersonFactory.create_batch(3, department=org.data, level=2)
    preview = rule_change_preview(create=[juniors_eligible()])
    assert preview.gains_count == 4 and len(preview.gains) == 2  # Jo and three more
    assert PREVIEW_CAP == 500


@pytest.mark.parametrize("extra", [5, 40])
def test_the_preview_runs_four_queries_whatever_the_size(org, extra, django_assert_num_queries):
    for _ in range(extra):
        department = DepartmentFactory()
        people = PersonFactory.create_batch(3, department=department, level=3)
        assignment_create(department=department, person=people[0], assigned_by=org.hr, reason="x")
    change = raised(ic_eligible_rule(), min_level=4)
    # The rules; the gains; the losses; the leads affected (each list with its window count).
    with django_assert_num_queries(4):
        preview = rule_change_preview(update=[change])
    assert preview.losses_count == 1 + 3 * extra  # Ian and every level-3 IC
    assert preview.leads_affected_count == extra


def test_saving_a_rule_audits_its_impact(org):
    rule = eligibility_rule_save(actor=org.hr, rule=raised(ic_eligible_rule(), min_level=5))
    entry = AuditEntry.objects.get(verb="eligibility_rule.update", target_id=str(rule.pk))
    assert entry.after["min_level"] == 5
    assert entry.after["counts"] == {"gains": 0, "losses": 2, "leads_affected": 1}

    created = eligibility_rule_save(actor=org.hr, rule=juniors_eligible())
    entry = AuditEntry.objects.get(verb="eligibility_rule.create", target_id=str(created.pk))
    assert entry.after["counts"] == {"gains": 1, "losses": 0, "leads_affected": 0}


def test_deleting_a_rule_audits_the_row_and_its_impact(org):
    rule = manager_level_1_rule()
    pk = rule.pk
    impact = eligibility_rule_delete(actor=org.hr, rule=rule)
    assert impact.losses == [
        PersonRef(org.maya.pk, "Maya Manager"),
        PersonRef(org.max.pk, "Max Manager"),
    ]
    assert not EligibilityRule.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(verb="eligibility_rule.delete", target_id=str(pk))
    assert entry.before["track"] == "manager"
    assert entry.after == {"counts": {"gains": 0, "losses": 2, "leads_affected": 0}}


def test_only_hr_changes_the_policy(org):
    from departments.errors import Forbidden

    with pytest.raises(Forbidden):
        eligibility_rule_save(actor=org.maya.user, rule=juniors_eligible())
    with pytest.raises(Forbidden):
        eligibility_rule_delete(actor=org.lea.user, rule=manager_level_1_rule())
    assert not AuditEntry.objects.filter(verb__startswith="eligibility_rule.").exists()


def test_a_deactivated_rule_stops_deciding(org):
    preview = rule_change_preview(update=[raised(ic_eligible_rule(), is_active=False)])
    assert [p.full_name for p in preview.losses] == ["Lea Lead", "Ian Engineer", "Dana Data"]
    assert preview.leads_affected[0].after == "ineligible"
