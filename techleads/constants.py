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
