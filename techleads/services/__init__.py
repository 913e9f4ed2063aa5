"""Writes to the Tech Lead role and the role's work, one module per question.

Each service opens its transaction, checks its actor's role itself and writes the audit
entry in it. Callers import from here: `from techleads.services import assignment_create`.
"""

from .access import lock_departments
from .capacity import allocation_remove, allocation_set
from .improvement import (
    improvement_project_create,
    improvement_project_update,
    improvement_task_create,
    improvement_task_update,
)
from .incidents import incident_record, incident_resolve, incident_update
from .jira import JiraUpsert, improvement_task_upsert_from_jira
from .policy import eligibility_rule_delete, eligibility_rule_save
from .role import ASSIGNMENT_FIELDS, assignment_create, assignment_end, assignment_hand_over
from .sessions import tech_session_record, tech_session_schedule
from .succession import (
    SUCCESSOR_FIELDS,
    successor_confirm,
    successor_nominate,
    successor_remove,
    successor_withdraw_new_lead,
)

__all__ = [
    "ASSIGNMENT_FIELDS",
    "SUCCESSOR_FIELDS",
    "JiraUpsert",
    "allocation_remove",
    "allocation_set",
    "assignment_create",
    "assignment_end",
    "assignment_hand_over",
    "eligibility_rule_delete",
    "eligibility_rule_save",
    "improvement_project_create",
    "improvement_project_update",
    "improvement_task_create",
    "improvement_task_update",
    "improvement_task_upsert_from_jira",
    "incident_record",
    "incident_resolve",
    "incident_update",
    "lock_departments",
    "successor_confirm",
    "successor_nominate",
    "successor_remove",
    "successor_withdraw_new_lead",
    "tech_session_record",
    "tech_session_schedule",
]
