"""The eligibility policy's rows, edited by HR."""

from django.db import transaction

from departments.services import audit_entry_create, model_validate, snapshot

from ..constants import RULE_FIELDS
from ..models import EligibilityRule
from .access import require_hr


@transaction.atomic
def eligibility_rule_save(*, actor, rule: EligibilityRule) -> EligibilityRule:
    """Create or change a policy row (HR only), audited with before and after."""
    require_hr(actor)
    before = None
    if rule.pk:
        before = snapshot(EligibilityRule.objects.select_for_update().get(pk=rule.pk), RULE_FIELDS)
    model_validate(rule)
    rule.save()
    audit_entry_create(
        actor=actor,
        verb="eligibility_rule.create" if before is None else "eligibility_rule.update",
        target=rule,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
    )
    return rule
