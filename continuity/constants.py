from django.db import models


class HoldingType(models.TextChoices):
    """What a person can hold, in the order lists show them (DESIGN.md, "Holdings")."""

    TECH_LEAD = "tech_lead", "Tech Lead role"
    MANAGER = "manager", "Managed department"
    DOCUMENT = "document", "Document or tool"
    IMPROVEMENT_PROJECT = "improvement_project", "Improvement project"
    IMPROVEMENT_TASK = "improvement_task", "Improvement task"
    SUCCESSOR = "successor", "Successor nomination"
    TECH_SESSION = "tech_session", "Tech session"
