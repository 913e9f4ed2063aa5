"""Audit entries worded as sentences for people ("HR (hr) ended Daniel Ito's role as Tech
Lead of Analytics — 3 days ago"): one pure function, used by the overview's recent role
changes and the role changes page.

It reads only what the entry holds (verb, target_repr, note, before/after) and the actor
and department the pages select with it, so a page of sentences costs no query per row.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.timesince import timesince

from departments.models import AuditEntry
from techleads.constants import Readiness

ARROW = " → "  # TechLeadAssignment and EligibilityRule: "<person> → <department>"


@dataclass(frozen=True)
class AuditSentence:
    """The sentence in three parts, so that a page can link the department's name."""

    before: str
    department: str = ""
    after: str = ""

    def __str__(self) -> str:
        return f"{self.before}{self.department}{self.after}"


def actor_name(user) -> str:
    if user is None:
        return "The system"
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


def time_ago(then: datetime, now: datetime) -> str:
    if now - then < timedelta(minutes=1):
        return "just now"
    return f"{timesince(then, now, depth=1)} ago".replace("\xa0", " ")


def _readiness(value) -> str:
    return Readiness(value).label.lower() if value in Readiness.values else str(value)


def _candidate(entry: AuditEntry) -> tuple[str, str]:
    """(person, department) of a SuccessorCandidate: "<person> (<readiness>) for <dept>"."""
    who, _, department = entry.target_repr.rpartition(" for ")
    return who.rpartition(" (")[0] or who, department


def _wording(entry: AuditEntry, actor: str, department: str) -> tuple[str, str, str]:
    """(before, department, after) of the sentence, without its time."""
    verb, repr_ = entry.verb, entry.target_repr
    after = entry.after or {}
    before = entry.before or {}
    if verb.startswith("techlead."):
        person, _, named = repr_.rpartition(ARROW)
        department = department or named
        if verb == "techlead.assign":
            override = ", overriding the eligibility rules" if after.get("override_reason") else ""
            return f"{actor} assigned {person} as Tech Lead of ", department, override
        if verb == "techlead.end":
            return f"{actor} ended {person}'s role as Tech Lead of ", department, ""
        if verb == "techlead.hand_over":
            marker = f" to {person}."
            if entry.note.startswith("From ") and marker in entry.note:
                previous = entry.note[len("From ") :].split(marker, 1)[0]
                return f"{actor} handed ", department, f" over from {previous} to {person}"
            return f"{actor} handed ", department, f" over to {person}"
    if verb.startswith("successor."):
        person, named = _candidate(entry)
        department = department or named
        if verb == "successor.nominate":
            readiness = _readiness(after.get("readiness"))
            return f"{actor} nominated {person} as successor for ", department, f" ({readiness})"
        if verb == "successor.remove":
            return f"{actor} withdrew {person} as successor for ", department, ""
        if verb == "successor.update":
            if before.get("readiness") != after.get("readiness"):
                return (
                    f"{actor} changed {person}'s readiness as successor for ",
                    department,
                    f" to {_readiness(after.get('readiness'))}",
                )
            if before.get("emergency") != after.get("emergency"):
                marked = "marked" if after.get("emergency") else "unmarked"
                return f"{actor} {marked} {person} as emergency successor for ", department, ""
            if before.get("rank") != after.get("rank"):
                return (
                    f"{actor} ranked {person} as successor for ",
                    department,
                    f" number {after.get('rank')}",
                )
            return f"{actor} updated the notes on {person} as successor for ", department, ""
        if verb == "successor.confirm":
            return f"{actor} confirmed {person} as successor for ", department, ""
    if verb.startswith("eligibility_rule."):
        done = {"eligibility_rule.create": "added", "eligibility_rule.delete": "removed"}.get(
            verb, "changed"
        )
        return f"{actor} {done} the eligibility rule “{repr_}”", "", ""
    words = verb.replace(".", " ").replace("_", " ")
    return f"{actor} recorded {words}: {repr_}", "", ""


def audit_sentence(entry: AuditEntry, *, now: datetime) -> AuditSentence:
    """One audit entry as a sentence, ending with how long ago it happened."""
    department = entry.department.name if entry.department is not None else ""
    before, department, after = _wording(entry, actor_name(entry.actor), department)
    return AuditSentence(before, department, f"{after} — {time_ago(entry.created_at, now)}")
