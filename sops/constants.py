from django.db import models


class DocumentKind(models.TextChoices):
    SOP = "sop", "Standard operating procedure"
    BEST_PRACTICE = "best_practice", "Best practice"
    PLAYBOOK = "playbook", "Playbook"
    KNOWLEDGE_HUB = "knowledge_hub", "Knowledge Hub page"
    CROSS_DEPARTMENT_PROCESS = "cross_department_process", "Cross-department process"
    # A tool the department provides and maintains: same owner, review clock and checks.
    TOOL = "tool", "Tool"


class DocumentStatus(models.TextChoices):
    CURRENT = "current", "Current"
    DUE_SOON = "due_soon", "Due soon"
    STALE = "stale", "Stale"
    ARCHIVED = "archived", "Archived"


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed accurate"
    UPDATED = "updated", "Updated"
    RETIRED = "retired", "Retired"


# Review interval by kind, when neither the document nor its department sets one.
DEFAULT_REVIEW_INTERVAL_DAYS = {
    DocumentKind.SOP: 90,
    DocumentKind.BEST_PRACTICE: 180,
    DocumentKind.PLAYBOOK: 90,
    DocumentKind.KNOWLEDGE_HUB: 60,
    DocumentKind.CROSS_DEPARTMENT_PROCESS: 180,
    DocumentKind.TOOL: 90,
}
MAX_REVIEW_INTERVAL_DAYS = 3650

# A document's editable fields (the admin's form, the API's writable ones).
DOCUMENT_EDIT_FIELDS = (
    "title",
    "kind",
    "department",
    "owner",
    "url",
    "description",
    "review_interval_days",
    "last_reviewed_at",
)
# What the review clock and the staleness check derive: read-only everywhere.
DOCUMENT_DERIVED_FIELDS = ("next_review_at", "status", "archived_at", "version")
