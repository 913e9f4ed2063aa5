"""The eligibility policy's rows, edited by HR.

Every change is audited with its impact: the audit entry's `after` holds the counts of
the preview (gains, losses, leads affected) computed against the policy as it stood, with
the policy's rows locked, so two HR edits at once each count against the other's result.
"""

from django.db import transaction

from departments.services import audit_entry_create, model_validate, require_hr, snapshot

from ..constants import RULE_FIELDS
from ..models import EligibilityRule
from ..selectors.preview import RulePreview, UnknownRules, rule_change_preview

WHAT = "edit the eligibility policy"


def _locked_policy() -> list[EligibilityRule]:
    """Every rule, row-locked in pk order (the policy is a few rows)."""
    return list(EligibilityRule.objects.select_for_update().order_by("pk"))


@transaction.atomic
def eligibility_rule_save(*, actor, rule: EligibilityRule) -> EligibilityRule:
    """Create or change a policy row (HR only), audited with before, after and its impact."""
    require_hr(actor, WHAT)
    current = _locked_policy()
    stored = {r.pk: r for r in current}
    before = None
    if rule.pk:
        if rule.pk not in stored:  # removed meanwhile
            raise UnknownRules([rule.pk], field="id")
        before = snapshot(stored[rule.pk], RULE_FIELDS)
    model_validate(rule)
    if before is None:
        impact = rule_change_preview(create=[rule], current=current)
    else:
        impact = rule_change_preview(update=[rule], current=current)
    rule.save()
    audit_entry_create(
        actor=actor,
        verb="eligibility_rule.create" if before is None else "eligibility_rule.update",
        target=rule,
        before=before,
        after={**snapshot(rule, RULE_FIELDS), "counts": impact.counts},
    )
    return rule


@transaction.atomic
def eligibility_rule_delete(*, actor, rule: EligibilityRule) -> RulePreview:
    """Remove a policy row (HR only); the audit entry keeps the row (`before`) and the
    impact's counts (`after`). Returns the impact."""
    require_hr(actor, WHAT)
    current = _locked_policy()
    impact = rule_change_preview(delete=[rule.pk], current=current)
    audit_entry_create(
        actor=actor,
        verb="eligibility_rule.delete",
        target=rule,
        before=snapshot(rule, RULE_FIELDS),
        after={"counts": impact.counts},
    )
    rule.delete()
    return impact
