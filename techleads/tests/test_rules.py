"""The handbook's eligibility table, over the pure rule and its SQL twin (same cases)."""

import pytest

from departments.tests.factories import PersonFactory
from techleads.models import EligibilityRule
from techleads.rules import eligibility_evaluate
from techleads.selectors import annotated_verdict, people_with_eligibility, rules_by_id

HANDBOOK_TABLE = [
    # track, level, step, verdict
    ("ic", 1, 1, "ineligible"),
    ("ic", 2, 5, "ineligible"),
    ("ic", 3, 1, "eligible"),
    ("ic", 4, 3, "eligible"),
    ("ic", 9, 9, "eligible"),
    ("manager", 1, 1, "eligible"),
    ("manager", 1, 7, "eligible"),
    ("manager", 2, 1, "eligible"),
    ("manager", 2, 2, "eligible"),
    ("manager", 2, 3, "transition"),
    ("manager", 2, 6, "transition"),
    ("manager", 3, 1, "transition"),
    ("manager", 5, 2, "transition"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("track", "level", "step", "expected"), HANDBOOK_TABLE)
def test_pure_rule_follows_the_handbook(track, level, step, expected):
    verdict = eligibility_evaluate(
        track=track, level=level, step=step, rules=EligibilityRule.objects.all()
    )
    assert verdict.verdict == expected
    assert verdict.can_be_assigned is (expected == "eligible")
    assert verdict.rule is not None
    assert f"Level {level}, Step {step}" in verdict.reason


@pytest.mark.django_db
def test_sql_twin_gives_the_same_verdicts_in_one_query(django_assert_num_queries):
    people = [
        PersonFactory(track=track, level=level, step=step)
        for track, level, step, _ in HANDBOOK_TABLE
    ]
    rules = list(EligibilityRule.objects.all())
    with django_assert_num_queries(1):  # one SELECT with two correlated subqueries
        annotated = {
            p.pk: p for p in people_with_eligibility().filter(pk__in=[p.pk for p in people])
        }
    for person, (_, _, _, expected) in zip(people, HANDBOOK_TABLE, strict=True):
        row = annotated[person.pk]
        pure = eligibility_evaluate(
            track=person.track, level=person.level, step=person.step, rules=rules
        )
        assert row.eligibility_verdict == expected == pure.verdict
        assert row.eligibility_rule_id == pure.rule_id
        assert annotated_verdict(row, rules_by_id()).reason == pure.reason


@pytest.mark.django_db
def test_no_matching_rule_is_ineligible_with_a_reason():
    EligibilityRule.objects.filter(track="ic").update(is_active=False)
    person = PersonFactory(track="ic", level=5)
    verdict = eligibility_evaluate(
        track="ic", level=5, step=1, rules=EligibilityRule.objects.filter(is_active=True)
    )
    assert verdict.verdict == "ineligible"
    assert verdict.rule is None
    assert "No eligibility rule covers" in verdict.reason
    assert people_with_eligibility().get(pk=person.pk).eligibility_verdict == "ineligible"


@pytest.mark.django_db
def test_rule_priority_decides_between_overlapping_rules():
    EligibilityRule.objects.create(
        track="ic",
        min_level=3,
        max_level=3,
        verdict="ineligible",
        priority=1,
        explanation="Level 3 ICs need a year in level first",
    )
    verdict = eligibility_evaluate(track="ic", level=3, step=1, rules=EligibilityRule.objects.all())
    assert verdict.verdict == "ineligible"
    assert verdict.reason.startswith("Level 3 ICs need a year in level first")
    person = PersonFactory(track="ic", level=3)
    assert people_with_eligibility().get(pk=person.pk).eligibility_verdict == "ineligible"
