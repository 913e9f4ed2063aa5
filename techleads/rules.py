"""Eligibility as a pure function of track, level, step and the policy rows.

The SQL twin is techleads.selectors.people_with_eligibility; the tests feed both the same cases.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from departments.models import Track

from .constants import VerdictChoice


class RuleLike(Protocol):
    id: int
    track: str
    min_level: int
    max_level: int | None
    min_step: int
    max_step: int | None
    verdict: str
    priority: int
    explanation: str


@dataclass(frozen=True)
class Verdict:
    verdict: str
    can_be_assigned: bool
    rule: RuleLike | None
    reason: str

    @property
    def rule_id(self) -> int | None:
        return self.rule.id if self.rule is not None else None


def rule_matches(rule: RuleLike, *, track: str, level: int, step: int) -> bool:
    return (
        rule.track == track
        and rule.min_level <= level
        and (rule.max_level is None or level <= rule.max_level)
        and rule.min_step <= step
        and (rule.max_step is None or step <= rule.max_step)
    )


def ladder_position(*, track: str, level: int, step: int) -> str:
    label = Track(track).label if track in Track.values else track
    return f"{label}, Level {level}, Step {step}"


def verdict_for_rule(rule: RuleLike | None, *, track: str, level: int, step: int) -> Verdict:
    """The verdict a matched rule (or no rule) gives, with its one-sentence reason."""
    position = ladder_position(track=track, level=level, step=step)
    if rule is None:
        return Verdict(
            verdict=VerdictChoice.INELIGIBLE,
            can_be_assigned=False,
            rule=None,
            reason=f"No eligibility rule covers {position}, so they cannot be assigned.",
        )
    explanation = rule.explanation.rstrip(". ")
    return Verdict(
        verdict=rule.verdict,
        can_be_assigned=rule.verdict == VerdictChoice.ELIGIBLE,
        rule=rule,
        reason=f"{explanation} ({position}).",
    )


def eligibility_evaluate(
    *, track: str, level: int, step: int, rules: Iterable[RuleLike]
) -> Verdict:
    """First matching rule by priority decides; no match means ineligible."""
    ordered = sorted(rules, key=lambda r: (r.priority, r.id or 0))
    match = next((r for r in ordered if rule_matches(r, track=track, level=level, step=step)), None)
    return verdict_for_rule(match, track=track, level=level, step=step)
