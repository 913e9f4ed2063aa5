"""Eligibility as a pure function of track, level, step and the policy rows.

The SQL twin is techleads.selectors.people_with_eligibility; the tests feed both the same cases.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
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


# Escalation ---------------------------------------------------------------------------


class ContactLike(Protocol):
    id: int
    is_active: bool


@dataclass(frozen=True)
class Contact:
    role: str  # "tech_lead", "successor" or "manager"
    person_id: int


def escalation_chain(
    *,
    lead: ContactLike | None,
    ready_successors: Iterable[ContactLike],
    manager: ContactLike | None,
) -> list[Contact]:
    """Who to call, in order: the Tech Lead, then a ready successor, then the manager,
    skipping anyone inactive. The first entry answers "who do I call now"."""
    chain = [("tech_lead", lead), *(("successor", s) for s in ready_successors)]
    chain.append(("manager", manager))
    seen: set[int] = set()
    contacts = []
    for role, person in chain:
        if person is None or not person.is_active or person.id in seen:
            continue
        seen.add(person.id)
        contacts.append(Contact(role=role, person_id=person.id))
    return contacts


# Capacity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CapacityFlag:
    allocated_percent: int
    over_allocated: bool
    unallocated_percent: int


class AllocationLike(Protocol):
    percent: int
    period_start: date
    period_end: date


def capacity_flag(*, percents: Iterable[int]) -> CapacityFlag:
    """The flag of the allocations covering one day: above 100% is over-allocation; below
    it, the rest is unallocated capacity."""
    total = sum(percents)
    return CapacityFlag(
        allocated_percent=total,
        over_allocated=total > 100,
        unallocated_percent=max(0, 100 - total),
    )


def capacity_peak(
    *, allocations: Iterable[AllocationLike], period_start: date, period_end: date
) -> CapacityFlag:
    """The flag of the period's busiest day (the SQL twin is selectors.people_with_capacity).

    Allocations that follow each other are never summed: 60% for the first half of a month
    and 50% for the second is a peak of 60%. A day's sum only rises where an allocation
    starts, so the busiest day is the start of some allocation, clipped to the period.
    """
    inside = [
        a for a in allocations if a.period_start <= period_end and a.period_end >= period_start
    ]
    days = {max(a.period_start, period_start) for a in inside}
    busiest = max(
        ([a.percent for a in inside if a.period_start <= day <= a.period_end] for day in days),
        key=sum,
        default=[],
    )
    return capacity_flag(percents=busiest)


# Jira ---------------------------------------------------------------------------------

# Jira's status categories ("new", "indeterminate", "done") are stable across workflows,
# whereas status names are per-project; fall back to names only without a category.
JIRA_STATUS_CATEGORY = {"new": "todo", "indeterminate": "in_progress", "done": "done"}
JIRA_STATUS_NAME = {
    "to do": "todo",
    "open": "todo",
    "backlog": "todo",
    "in progress": "in_progress",
    "in review": "in_progress",
    "done": "done",
    "closed": "done",
    "resolved": "done",
    "cancelled": "cancelled",
    "won't do": "cancelled",
}


class JiraPayloadError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def jira_issue_fields(payload: object) -> dict:
    """The task fields of a Jira issue payload (a webhook body or a REST issue).

    Returns issue_key, project_key, title, status, due_date (ISO string or None),
    assignee_email (or None) and url; raises JiraPayloadError with field messages.
    """
    issue = payload.get("issue", payload) if isinstance(payload, dict) else None
    if not isinstance(issue, dict):
        raise JiraPayloadError({"issue": ["Expected a Jira issue object."]})
    fields = issue.get("fields")
    errors: dict[str, list[str]] = {}
    if not isinstance(fields, dict):
        raise JiraPayloadError({"issue.fields": ["Expected the issue's fields object."]})
    key = issue.get("key")
    if not isinstance(key, str) or "-" not in key or len(key) > 64:
        errors["issue.key"] = ["Expected an issue key such as PROJ-123."]
    project = fields.get("project")
    project_key = project.get("key") if isinstance(project, dict) else None
    if not isinstance(project_key, str) or not project_key:
        errors["issue.fields.project.key"] = ["Expected the project's key."]
    summary = fields.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors["issue.fields.summary"] = ["Expected a non-empty summary."]
    status = _jira_status(fields.get("status"))
    if status is None:
        errors["issue.fields.status"] = ["Unknown status: expected a Jira status object."]
    due = fields.get("duedate")
    if due is not None and not (isinstance(due, str) and _is_iso_date(due)):
        errors["issue.fields.duedate"] = ["Expected a date as YYYY-MM-DD, or null."]
    assignee = fields.get("assignee")
    email = assignee.get("emailAddress") if isinstance(assignee, dict) else None
    if assignee is not None and not isinstance(email, str):
        errors["issue.fields.assignee"] = ["Expected an assignee with an emailAddress, or null."]
    if errors:
        raise JiraPayloadError(errors)
    url = issue.get("self") if isinstance(issue.get("self"), str) else ""
    return {
        "issue_key": key,
        "project_key": project_key,
        "title": summary.strip()[:300],
        "status": status,
        "due_date": due,
        "assignee_email": email.strip().lower() if email else None,
        "url": url[:500],
    }


def _jira_status(status: object) -> str | None:
    if not isinstance(status, dict):
        return None
    category = status.get("statusCategory")
    key = category.get("key") if isinstance(category, dict) else None
    if isinstance(key, str) and key in JIRA_STATUS_CATEGORY:
        return JIRA_STATUS_CATEGORY[key]
    name = status.get("name")
    return JIRA_STATUS_NAME.get(name.strip().lower()) if isinstance(name, str) else None


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
