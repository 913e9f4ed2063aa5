"""Eligibility in SQL: the twin of rules.eligibility_evaluate, for one person or any queryset."""

from collections.abc import Iterable

from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from departments.models import Person

from ..constants import VerdictChoice
from ..models import EligibilityRule
from ..rules import RuleLike, Verdict, eligibility_evaluate, rules_in_order, verdict_for_rule


def _matching_rules(track=None, level=None, step=None) -> QuerySet[EligibilityRule]:
    """Active rules matching a person row (OuterRef by default), in priority order."""
    track = track if track is not None else OuterRef("track")
    level = level if level is not None else OuterRef("level")
    step = step if step is not None else OuterRef("step")
    return (
        EligibilityRule.objects.filter(
            is_active=True, track=track, min_level__lte=level, min_step__lte=step
        )
        .filter(Q(max_level__isnull=True) | Q(max_level__gte=level))
        .filter(Q(max_step__isnull=True) | Q(max_step__gte=step))
        .order_by("priority", "id")
    )


def rule_condition(rule: RuleLike, prefix: str = "") -> Q:
    """Whether a person row (its columns under `prefix`, e.g. "person__") matches `rule`:
    rules.rule_matches as a WHERE condition."""
    condition = Q(
        **{
            f"{prefix}track": rule.track,
            f"{prefix}level__gte": rule.min_level,
            f"{prefix}step__gte": rule.min_step,
        }
    )
    if rule.max_level is not None:
        condition &= Q(**{f"{prefix}level__lte": rule.max_level})
    if rule.max_step is not None:
        condition &= Q(**{f"{prefix}step__lte": rule.max_step})
    return condition


def verdict_case(rules: Iterable[RuleLike], prefix: str = "") -> Case | Value:
    """The verdict under a given list of rules (saved or not) as one CASE over the person's
    columns: the same order and "no rule = ineligible" as eligibility_evaluate, for policies
    that exist only in memory (a change's preview). The table's own policy is read by
    people_with_eligibility's subqueries."""
    ineligible = Value(VerdictChoice.INELIGIBLE.value, output_field=CharField())
    whens = [
        When(rule_condition(rule, prefix), then=Value(rule.verdict))
        for rule in rules_in_order(rules)
        if rule.is_active
    ]
    if not whens:
        return ineligible
    return Case(*whens, default=ineligible, output_field=CharField())


def people_with_eligibility(queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """Annotate `eligibility_verdict` and `eligibility_rule_id` in SQL, for any number of people.

    The SQL twin of rules.eligibility_evaluate: same rule order, same "no rule = ineligible".
    """
    queryset = queryset if queryset is not None else Person.objects.all()
    matching = _matching_rules()
    return queryset.annotate(
        eligibility_rule_id=Subquery(matching.values("id")[:1]),
        eligibility_verdict=Coalesce(
            Subquery(matching.values("verdict")[:1]), Value(VerdictChoice.INELIGIBLE.value)
        ),
    )


def person_eligibility(*, person: Person, rules: list[EligibilityRule] | None = None) -> Verdict:
    """The evaluation for one person (one query for the matching rule, none if rules given)."""
    if rules is not None:
        return eligibility_evaluate(
            track=person.track, level=person.level, step=person.step, rules=rules
        )
    rule = _matching_rules(person.track, person.level, person.step).first()
    return verdict_for_rule(rule, track=person.track, level=person.level, step=person.step)


def annotated_verdict(person: Person, rules_by_id: dict[int, EligibilityRule]) -> Verdict:
    """Build the full Verdict from a person annotated by people_with_eligibility."""
    rule = rules_by_id.get(person.eligibility_rule_id)
    return verdict_for_rule(rule, track=person.track, level=person.level, step=person.step)


def rules_by_id() -> dict[int, EligibilityRule]:
    return {rule.id: rule for rule in EligibilityRule.objects.all()}


def lead_verdict_subquery() -> Coalesce:
    """For a TechLeadAssignment queryset: the verdict of its person, in SQL."""
    matching = _matching_rules(
        OuterRef("person__track"), OuterRef("person__level"), OuterRef("person__step")
    )
    return Coalesce(Subquery(matching.values("verdict")[:1]), Value(VerdictChoice.INELIGIBLE.value))
