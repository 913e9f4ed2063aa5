"""The role: the eligibility policy, Tech Lead assignments and successor candidates."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from departments.constraints import check, not_before
from departments.models import Department, Person, Track

from ..constants import Readiness, VerdictChoice


class EligibilityRule(models.Model):
    """One row of the eligibility policy: a track, a level/step range and the verdict.

    Rules are tried in `priority` order (lowest first); the first that matches decides.
    An open upper bound (null) means "and above".
    """

    track = models.CharField(max_length=16, choices=Track.choices)
    min_level = models.PositiveSmallIntegerField(default=1)
    max_level = models.PositiveSmallIntegerField(null=True, blank=True)
    min_step = models.PositiveSmallIntegerField(default=1)
    max_step = models.PositiveSmallIntegerField(null=True, blank=True)
    verdict = models.CharField(max_length=16, choices=VerdictChoice.choices)
    priority = models.PositiveSmallIntegerField(default=100)
    explanation = models.CharField(
        max_length=300, help_text="One sentence shown with every verdict this rule gives."
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "id"]
        constraints = [
            check(
                "lower_bounds_positive",
                Q(min_level__gte=1) & Q(min_step__gte=1),
                "Minimum level and step must be 1 or more.",
            ),
            not_before(
                "max_level",
                "min_level",
                what="level_range",
                message="Maximum level must not be below the minimum level.",
            ),
            not_before(
                "max_step",
                "min_step",
                what="step_range",
                message="Maximum step must not be below the minimum step.",
            ),
        ]
        indexes = [
            # The eligibility subquery: active rules of a track, in priority order.
            models.Index(fields=["track", "is_active", "priority"], name="rule_track_priority_idx"),
        ]

    def __str__(self):
        return f"{self.get_track_display()} {self.range_label} → {self.get_verdict_display()}"

    @property
    def range_label(self) -> str:
        levels = _range_label("Level", self.min_level, self.max_level)
        if self.min_step == 1 and self.max_step is None:
            return levels
        return f"{levels}, {_range_label('Step', self.min_step, self.max_step)}"


def _range_label(word: str, low: int, high: int | None) -> str:
    if high is None:
        return f"{word} {low}+"
    if high == low:
        return f"{word} {low}"
    return f"{word} {low}-{high}"


class TechLeadAssignment(models.Model):
    """A person holding the Tech Lead role of a department for a period. Never deleted."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="tech_lead_assignments"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tech_lead_assignments"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField()
    override_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # The invariant: at most one active Tech Lead per department, decided by the database.
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(ended_at__isnull=True),
                name="%(app_label)s_%(class)s_one_active_per_department",
                violation_error_message="This department already has an active Tech Lead.",
            ),
            not_before(
                "ended_at",
                "started_at",
                what="ends_after_start",
                message="An assignment cannot end before it starts.",
            ),
        ]
        indexes = [
            # Department history pages and "who was lead at <time>".
            models.Index(fields=["department", "-started_at"], name="assignment_dept_started_idx"),
            # "Is this person a Tech Lead now?" (role scoping, ?person=&active=).
            models.Index(fields=["person", "ended_at"], name="assignment_person_active_idx"),
        ]

    def __str__(self):
        return f"{self.person} → {self.department}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class SuccessorCandidate(models.Model):
    """Someone being developed to take over a department's Tech Lead role."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="successor_candidates"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="successor_for")
    readiness = models.CharField(
        max_length=16, choices=Readiness.choices, default=Readiness.DEVELOPING
    )
    rank = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="1 is the first choice."
    )
    emergency = models.BooleanField(
        default=False, help_text="Steps in if the lead leaves tomorrow (one per department)."
    )
    confirmed_at = models.DateTimeField(
        default=timezone.now, help_text="Set on nomination and by each confirmation."
    )
    notes = models.TextField(blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["department", "readiness", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "person"],
                name="%(app_label)s_%(class)s_once_per_department",
                violation_error_message="This person is already a successor candidate here.",
            ),
            # Marking another candidate moves the mark (successor_nominate, one transaction).
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(emergency=True),
                name="%(app_label)s_%(class)s_one_emergency_per_department",
                violation_error_message="This department already has an emergency successor.",
            ),
            check("rank_positive", Q(rank__gte=1), "Rank must be 1 or more."),
        ]
        indexes = [
            # Succession risk: "does this department have a ready successor?"
            models.Index(fields=["department", "readiness"], name="successor_dept_ready_idx"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_readiness_display()}) for {self.department}"

    @property
    def expires_at(self):
        return self.confirmed_at + timedelta(days=settings.SUCCESSION_CONFIRMATION_DAYS)
