"""Reads of the Tech Lead role and its work: querysets with their joins and annotations,
one module per question. Every face (API, dashboard, admin) reads through these."""

from .access import (
    can_lead_department,
    can_manage_department,
    departments_led_by,
    departments_visible_to,
    people_visible_to,
)
from .candidates import department_candidates, department_members
from .capacity import (
    allocations_overlapping,
    allocations_visible_to,
    capacity_period,
    month_bounds,
    people_with_capacity,
)
from .eligibility import (
    annotated_verdict,
    lead_verdict_subquery,
    people_with_eligibility,
    person_eligibility,
    rules_by_id,
    verdict_case,
)
from .escalation import OnCall, escalation_annotated, escalation_for, on_call
from .preview import RulePreview, UnknownRules, rule_change_preview, rules_with_changes
from .role import (
    active_assignments,
    current_assignment,
    departments_with_lead,
    has_active_lead,
    lead_department_ids,
    lead_of,
)
from .succession import (
    annotated_flags,
    departments_with_risk,
    escalation_successors,
    ready_successors,
    succession_risks,
    succession_rows,
    succession_visible_to,
    successors_with_flags,
)
from .work import (
    incidents_visible_to,
    overdue,
    overdue_q,
    projects_visible_to,
    sessions_visible_to,
    tasks_visible_to,
)

__all__ = [
    "active_assignments",
    "annotated_flags",
    "departments_with_risk",
    "escalation_successors",
    "ready_successors",
    "succession_rows",
    "succession_visible_to",
    "successors_with_flags",
    "allocations_overlapping",
    "allocations_visible_to",
    "annotated_verdict",
    "can_lead_department",
    "can_manage_department",
    "capacity_period",
    "current_assignment",
    "department_candidates",
    "department_members",
    "departments_led_by",
    "departments_visible_to",
    "departments_with_lead",
    "has_active_lead",
    "OnCall",
    "escalation_annotated",
    "escalation_for",
    "on_call",
    "incidents_visible_to",
    "lead_department_ids",
    "lead_of",
    "lead_verdict_subquery",
    "month_bounds",
    "overdue",
    "overdue_q",
    "people_visible_to",
    "people_with_capacity",
    "people_with_eligibility",
    "person_eligibility",
    "projects_visible_to",
    "rule_change_preview",
    "RulePreview",
    "rules_by_id",
    "rules_with_changes",
    "sessions_visible_to",
    "succession_risks",
    "tasks_visible_to",
    "UnknownRules",
    "verdict_case",
]
