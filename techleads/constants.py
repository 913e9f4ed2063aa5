from django.db import models


class VerdictChoice(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Ineligible"
    # Should already have developed a successor: no new assignment, flagged when holding the role.
    TRANSITION = "transition", "Transition"


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", "Ready now"
    READY_SOON = "ready_soon", "Ready within a year"
    DEVELOPING = "developing", "Developing"


class SuccessionFlag(models.TextChoices):
    """Why a successor candidate is not ready, whatever their readiness says (in this order)."""

    EXPIRED = "expired", "Confirmation expired: the manager or HR must confirm them again"
    INACTIVE = "inactive", "No longer active"
    INELIGIBLE = "ineligible", "Ineligible: their level does not allow the role"
    TRANSITION = "transition", "In transition: should hand the role over, not take it"
    LEADS_ELSEWHERE = "leads_elsewhere", "Already the Tech Lead of another department"


class SuccessionRisk(models.TextChoices):
    LEADLESS = "leadless", "No Tech Lead"
    TRANSITION_WITHOUT_SUCCESSOR = (
        "transition_without_successor",
        "Lead in transition without a ready successor",
    )
    NO_READY_SUCCESSOR = "no_ready_successor", "No ready successor"
    NONE = "none", "Covered"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    INVITED = "invited", "Invited"
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class Severity(models.TextChoices):
    SEV1 = "sev1", "SEV1 – critical"
    SEV2 = "sev2", "SEV2 – major"
    SEV3 = "sev3", "SEV3 – minor"
    SEV4 = "sev4", "SEV4 – low"


class EscalationRole(models.TextChoices):
    """Why a person is a department's "who to call now" (rules.escalation_chain's order)."""

    TECH_LEAD = "tech_lead", "Tech Lead"
    SUCCESSOR = "successor", "Ready successor"
    MANAGER = "manager", "Manager"


# A policy row's fields (the API's, the admin's and the audit trail's).
RULE_FIELDS = (
    "track",
    "min_level",
    "max_level",
    "min_step",
    "max_step",
    "verdict",
    "priority",
    "explanation",
    "is_active",
)
# An assignment as its history shows it: read-only everywhere once written.
ASSIGNMENT_RECORD_FIELDS = (
    "department",
    "person",
    "started_at",
    "ended_at",
    "assigned_by",
    "reason",
    "override_reason",
    "ended_by",
    "end_reason",
)


# The capacity list finds its over-allocation candidates among the allocations of its own
# people up to this many people (an index lookup each), among all the period's beyond.
CAPACITY_SCOPED_SUMS = 5_000
