"""Eligibility as a pure function of track, level, step and the policy rows.

The SQL twin is techleads.selectors.people_with_eligibility; the tests feed both the same cases.
"""

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from urllib.parse import quote, urlsplit

from departments.models import Track

from .constants import SuccessionFlag, VerdictChoice


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


def rules_in_order(rules: Iterable[RuleLike]) -> list[RuleLike]:
    """The order rules are tried in: priority, then id; a rule not saved yet (a proposed
    one) comes after the saved ones of its priority, as it will once saved."""
    return sorted(rules, key=lambda r: (r.priority, r.id is None, r.id or 0))


def eligibility_evaluate(
    *, track: str, level: int, step: int, rules: Iterable[RuleLike]
) -> Verdict:
    """First matching rule by priority decides; no match means ineligible."""
    ordered = rules_in_order(rules)
    match = next((r for r in ordered if rule_matches(r, track=track, level=level, step=step)), None)
    return verdict_for_rule(match, track=track, level=level, step=step)


# Succession ---------------------------------------------------------------------------


def successor_flags(
    *,
    confirmed_at: datetime,
    now: datetime,
    confirmation_days: int,
    is_active: bool,
    verdict: str,
    leads_elsewhere: bool,
) -> list[str]:
    """Why a successor candidate is not ready, whatever their readiness says, in the
    contract's order. The SQL twin is selectors.successors_with_flags.

    `expired`: the confirmation is older than `confirmation_days` (exactly that old is still
    valid); `ineligible` and `transition`: the candidate's verdict, named like the verdict
    (each is its own flag, so a `transition` candidate is not also `ineligible`);
    `leads_elsewhere`: active Tech Lead of another department.
    """
    present = {
        SuccessionFlag.EXPIRED: confirmed_at + timedelta(days=confirmation_days) < now,
        SuccessionFlag.INACTIVE: not is_active,
        SuccessionFlag.INELIGIBLE: verdict == VerdictChoice.INELIGIBLE,
        SuccessionFlag.TRANSITION: verdict == VerdictChoice.TRANSITION,
        SuccessionFlag.LEADS_ELSEWHERE: leads_elsewhere,
    }
    return [flag.value for flag in SuccessionFlag if present[flag]]


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
# A done issue whose resolution is another one ("Won't Do", "Duplicate", "Cannot
# Reproduce") was dropped, not done. Jira Cloud's "Done" and Server's "Fixed" are done.
JIRA_DONE_RESOLUTIONS = {"done", "fixed", "resolved", "complete", "completed"}
JIRA_ISSUE_DELETED = "jira:issue_deleted"


class JiraPayloadError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def jira_signature_valid(*, secret: str, body: bytes, header: str) -> bool:
    """Whether `header` (X-Hub-Signature: `sha256=<hex>`) is the HMAC-SHA256 of the raw
    `body` with `secret`, as Jira Cloud's admin webhooks sign it. Constant-time."""
    algorithm, _, digest = header.partition("=")
    if not secret or algorithm.strip().lower() != "sha256" or not digest:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), digest.strip().lower().encode())


def jira_deleted_issue_key(payload: object) -> str | None:
    """The issue key of a `jira:issue_deleted` webhook, or None for any other payload."""
    if not isinstance(payload, dict) or payload.get("webhookEvent") != JIRA_ISSUE_DELETED:
        return None
    issue = payload.get("issue")
    key = issue.get("key") if isinstance(issue, dict) else None
    if not _is_issue_key(key):
        raise JiraPayloadError({"issue.key": ["Expected an issue key such as PROJ-123."]})
    return key


def jira_issue_fields(payload: object) -> dict:
    """The task fields of a Jira issue payload (a webhook body or a REST issue).

    Returns issue_key, project_key, title, status, due_date (ISO string or None),
    assignee_account_id and assignee_email (either may be None; both are None without an
    assignee) and url (the issue's browse URL, or ""); raises JiraPayloadError with field
    messages.
    """
    issue = payload.get("issue", payload) if isinstance(payload, dict) else None
    if not isinstance(issue, dict):
        raise JiraPayloadError({"issue": ["Expected a Jira issue object."]})
    fields = issue.get("fields")
    errors: dict[str, list[str]] = {}
    if not isinstance(fields, dict):
        raise JiraPayloadError({"issue.fields": ["Expected the issue's fields object."]})
    key = issue.get("key")
    if not _is_issue_key(key):
        errors["issue.key"] = ["Expected an issue key such as PROJ-123."]
    project = fields.get("project")
    project_key = project.get("key") if isinstance(project, dict) else None
    if not isinstance(project_key, str) or not project_key:
        errors["issue.fields.project.key"] = ["Expected the project's key."]
    summary = fields.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors["issue.fields.summary"] = ["Expected a non-empty summary."]
    status = _jira_status(fields.get("status"), fields.get("resolution"))
    if status is None:
        errors["issue.fields.status"] = ["Unknown status: expected a Jira status object."]
    due = fields.get("duedate")
    if due is not None and not (isinstance(due, str) and _is_iso_date(due)):
        errors["issue.fields.duedate"] = ["Expected a date as YYYY-MM-DD, or null."]
    assignee = fields.get("assignee")
    account_id = email = None
    if isinstance(assignee, dict):
        account_id = _text(assignee.get("accountId"))
        email = _text(assignee.get("emailAddress"))
    if assignee is not None and not (account_id or email):
        errors["issue.fields.assignee"] = [
            "Expected an assignee with an accountId or an emailAddress, or null."
        ]
    if errors:
        raise JiraPayloadError(errors)
    return {
        "issue_key": key,
        "project_key": project_key,
        "title": summary.strip()[:300],
        "status": status,
        "due_date": due,
        "assignee_account_id": account_id,
        "assignee_email": email.lower() if email else None,
        "url": jira_browse_url(issue.get("self"), key),
    }


def jira_browse_url(rest_url: object, key: str) -> str:
    """The page of issue `key` on the site of its REST URL (the issue's `self`):
    https://acme.atlassian.net/rest/api/2/issue/10001 -> https://acme.atlassian.net/browse/KEY,
    keeping a Jira Server's context path (https://host/jira/rest/... -> https://host/jira/browse/KEY).
    """
    if not isinstance(rest_url, str):
        return ""
    parts = urlsplit(rest_url)
    host = parts.netloc.rpartition("@")[2]  # never carry credentials along
    if parts.scheme not in ("http", "https") or not host:
        return ""
    context = parts.path.split("/rest/", 1)[0] if "/rest/" in parts.path else ""
    url = f"{parts.scheme}://{host}{context}/browse/{quote(key)}"
    return url if len(url) <= 500 else ""


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _is_issue_key(key: object) -> bool:
    return isinstance(key, str) and "-" in key and len(key) <= 64


def _jira_status(status: object, resolution: object = None) -> str | None:
    if not isinstance(status, dict):
        return None
    category = status.get("statusCategory")
    key = category.get("key") if isinstance(category, dict) else None
    name = status.get("name")
    if isinstance(key, str) and key in JIRA_STATUS_CATEGORY:
        mapped = JIRA_STATUS_CATEGORY[key]
    else:
        mapped = JIRA_STATUS_NAME.get(name.strip().lower()) if isinstance(name, str) else None
    resolved_as = resolution.get("name") if isinstance(resolution, dict) else None
    if (
        mapped == "done"
        and isinstance(resolved_as, str)
        and resolved_as.strip().lower() not in JIRA_DONE_RESOLUTIONS
    ):
        return "cancelled"
    return mapped


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
