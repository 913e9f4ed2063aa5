"""What a change to the eligibility policy would do, before it is made, computed in SQL.

The change (rules created, updated, deleted) is applied in memory to the policy's rows;
each active person's verdict under the current and the proposed rules is one CASE each
(eligibility.verdict_case), so the whole organisation is compared in a fixed number of
queries whatever its size: the rules, the gains, the losses and the leads affected. Each
list is capped at PREVIEW_CAP rows; a window count over the same rows keeps its count exact.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window

from departments.errors import DomainError
from departments.models import Person

from ..constants import VerdictChoice
from ..models import EligibilityRule, TechLeadAssignment
from .eligibility import verdict_case

PREVIEW_CAP = 500
ELIGIBLE = VerdictChoice.ELIGIBLE.value


class UnknownRules(DomainError):
    """A change names rules that do not exist (a 400 on the list that names them)."""

    def __init__(self, ids: Iterable[int], *, field: str):
        ids = sorted(set(ids))
        noun = "rules" if len(ids) > 1 else "rule"
        super().__init__(f"No eligibility {noun} with id {', '.join(map(str, ids))}.", field=field)
        self.ids = ids


@dataclass(frozen=True)
class PersonRef:
    id: int
    full_name: str


@dataclass(frozen=True)
class LeadChange:
    """An active Tech Lead whose verdict the change moves (`before` -> `after`)."""

    department_id: int
    department_name: str
    person_id: int
    person_name: str
    before: str
    after: str


@dataclass(frozen=True)
class RulePreview:
    """Who a rule change makes assignable (gains), who it stops being assignable (losses)
    and which active Tech Leads' verdicts it moves; counts are exact, lists capped."""

    gains_count: int = 0
    losses_count: int = 0
    leads_affected_count: int = 0
    gains: list[PersonRef] = field(default_factory=list)
    losses: list[PersonRef] = field(default_factory=list)
    leads_affected: list[LeadChange] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "gains": self.gains_count,
            "losses": self.losses_count,
            "leads_affected": self.leads_affected_count,
        }

    @property
    def has_impact(self) -> bool:
        return any(self.counts.values())

    @property
    def gains_beyond_cap(self) -> int:
        return self.gains_count - len(self.gains)

    @property
    def losses_beyond_cap(self) -> int:
        return self.losses_count - len(self.losses)

    @property
    def leads_beyond_cap(self) -> int:
        return self.leads_affected_count - len(self.leads_affected)

    def as_api(self) -> dict:
        """The API's answer (DESIGN.md, Rule changes with a preview)."""
        return {
            "counts": self.counts,
            "gains": [person.id for person in self.gains],
            "losses": [person.id for person in self.losses],
            "leads_affected": [
                {
                    "department": lead.department_id,
                    "person": lead.person_id,
                    "from": lead.before,
                    "to": lead.after,
                }
                for lead in self.leads_affected
            ],
        }


def rules_with_changes(
    rules: Iterable[EligibilityRule],
    *,
    create: Iterable[EligibilityRule] = (),
    update: Iterable[EligibilityRule] = (),
    delete: Iterable[int] = (),
) -> list[EligibilityRule]:
    """The policy after a change, in memory: `update` holds rows with their new values
    (matched by id), `create` unsaved rows, `delete` ids. Nothing is written, and the
    rows given are not changed. Unknown ids raise UnknownRules."""
    by_id = {rule.pk: rule for rule in rules}
    update, delete = list(update), set(delete)
    for name, ids in (("update", {r.pk for r in update}), ("delete", delete)):
        if unknown := ids - by_id.keys():
            raise UnknownRules(unknown, field=name)
    for rule in update:
        by_id[rule.pk] = copy.copy(rule)
    for pk in delete:
        del by_id[pk]
    return [*by_id.values(), *(copy.copy(rule) for rule in create)]


def rule_change_preview(
    *,
    create: Iterable[EligibilityRule] = (),
    update: Iterable[EligibilityRule] = (),
    delete: Iterable[int] = (),
    current: list[EligibilityRule] | None = None,
) -> RulePreview:
    """The impact of a policy change over the active people, computed in SQL.

    Queries: the current rules (unless `current` is given), the gains, the losses and the
    leads affected: four, whatever the number of people.
    """
    if current is None:
        current = list(EligibilityRule.objects.all())
    proposed = rules_with_changes(current, create=create, update=update, delete=delete)
    return rule_sets_compare(current=current, proposed=proposed)


def rule_sets_compare(
    *, current: list[EligibilityRule], proposed: list[EligibilityRule]
) -> RulePreview:
    """Gains, losses and leads affected between two policies (three queries)."""
    people = Person.objects.filter(is_active=True).annotate(
        verdict_before=verdict_case(current), verdict_after=verdict_case(proposed)
    )
    gained = ~Q(verdict_before=ELIGIBLE) & Q(verdict_after=ELIGIBLE)
    lost = Q(verdict_before=ELIGIBLE) & ~Q(verdict_after=ELIGIBLE)
    gains, gains_count = _capped(people.filter(gained), "id", "full_name")
    losses, losses_count = _capped(people.filter(lost), "id", "full_name")
    leads = (
        TechLeadAssignment.objects.filter(ended_at__isnull=True, person__is_active=True)
        .annotate(
            verdict_before=verdict_case(current, "person__"),
            verdict_after=verdict_case(proposed, "person__"),
        )
        .exclude(verdict_before=F("verdict_after"))
    )
    rows, leads_count = _capped(
        leads.order_by("department__name", "department_id"),
        "department_id",
        "department__name",
        "person_id",
        "person__full_name",
        "verdict_before",
        "verdict_after",
    )
    return RulePreview(
        gains_count=gains_count,
        losses_count=losses_count,
        leads_affected_count=leads_count,
        gains=[PersonRef(*row) for row in gains],
        losses=[PersonRef(*row) for row in losses],
        leads_affected=[LeadChange(*row) for row in rows],
    )


def _capped(queryset, *fields: str) -> tuple[list[tuple], int]:
    """The first PREVIEW_CAP rows' `fields` (by id unless ordered) and the exact number of
    rows, in one query: the window count is taken over every row before the LIMIT."""
    if not queryset.query.order_by:
        queryset = queryset.order_by("pk")
    rows = list(
        queryset.annotate(total=Window(Count("pk"))).values_list(*fields, "total")[:PREVIEW_CAP]
    )
    total = rows[0][-1] if rows else 0
    return [row[:-1] for row in rows], total
