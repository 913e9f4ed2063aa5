from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from departments.models import Department, Person, Track

from .constants import (
    OPEN_TASK_STATUSES,
    Attendance,
    Readiness,
    SessionStatus,
    Severity,
    TaskStatus,
    VerdictChoice,
)


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
            models.CheckConstraint(
                condition=Q(min_level__gte=1) & Q(min_step__gte=1),
                name="%(app_label)s_%(class)s_lower_bounds_positive",
                violation_error_message="Minimum level and step must be 1 or more.",
            ),
            models.CheckConstraint(
                condition=Q(max_level__isnull=True) | Q(max_level__gte=F("min_level")),
                name="%(app_label)s_%(class)s_level_range",
                violation_error_message="Maximum level must not be below the minimum level.",
            ),
            models.CheckConstraint(
                condition=Q(max_step__isnull=True) | Q(max_step__gte=F("min_step")),
                name="%(app_label)s_%(class)s_step_range",
                violation_error_message="Maximum step must not be below the minimum step.",
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
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="An assignment cannot end before it starts.",
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
        ]
        indexes = [
            # Succession risk: "does this department have a ready successor?"
            models.Index(fields=["department", "readiness"], name="successor_dept_ready_idx"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_readiness_display()}) for {self.department}"


class TechSession(models.Model):
    """A knowledge-transfer session a department runs (handbook: "tech sessions")."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="tech_sessions"
    )
    topic = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="presented_sessions"
    )
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    scheduled_for = models.DateTimeField()
    link = models.URLField(max_length=500, blank=True, help_text="Recording or slides.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            # Cadence: completed sessions of a department in the last quarter.
            models.Index(
                fields=["department", "status", "scheduled_for"], name="session_dept_cadence_idx"
            ),
        ]

    def __str__(self):
        return self.topic


class TechSessionInvite(models.Model):
    session = models.ForeignKey(TechSession, on_delete=models.CASCADE, related_name="invites")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="session_invites")
    mandatory = models.BooleanField(default=False)
    attendance = models.CharField(
        max_length=16, choices=Attendance.choices, default=Attendance.INVITED
    )

    class Meta:
        ordering = ["session", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="%(app_label)s_%(class)s_once_per_session",
                violation_error_message="This person is already invited.",
            ),
        ]

    def __str__(self):
        return f"{self.person} at {self.session}"


class ImprovementProject(models.Model):
    """A Process Improvement project, usually mirrored by a Jira project (`jira_key`)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="improvement_projects"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_projects"
    )
    jira_key = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department", "name"]
        constraints = [
            # Jira payloads name the project by key: it must point at one project.
            models.UniqueConstraint(
                fields=["jira_key"],
                condition=~Q(jira_key=""),
                name="%(app_label)s_%(class)s_unique_jira_key",
                violation_error_message="Another project already uses this Jira key.",
            ),
        ]

    def __str__(self):
        return self.name


class ImprovementTask(models.Model):
    project = models.ForeignKey(ImprovementProject, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="delegated_tasks"
    )
    assignee = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tasks"
    )
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.TODO)
    due_date = models.DateField(null=True, blank=True)
    jira_issue_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    jira_url = models.URLField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Overdue tasks per department: open tasks by due date.
            models.Index(fields=["project", "status", "due_date"], name="task_project_due_idx"),
            # "My tasks" (?assignee=).
            models.Index(fields=["assignee", "status"], name="task_assignee_status_idx"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today) -> bool:
        """Open and past its due date (the SQL twin is selectors.overdue)."""
        return bool(self.due_date and self.status in OPEN_TASK_STATUSES and self.due_date < today)


class Allocation(models.Model):
    """A share of a person's capacity for a period: a project, or an operational duty."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocations")
    project = models.ForeignKey(
        ImprovementProject,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    duty = models.CharField(max_length=200, blank=True, help_text="An operational duty.")
    percent = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        ordering = ["person", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1) & Q(percent__lte=100),
                name="%(app_label)s_%(class)s_percent_range",
                violation_error_message="An allocation is 1 to 100 percent.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="%(app_label)s_%(class)s_period_order",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(duty=""),
                name="%(app_label)s_%(class)s_has_purpose",
                violation_error_message="An allocation names a project or a duty.",
            ),
        ]
        indexes = [
            # Over- and under-allocation: a person's allocations overlapping a period.
            models.Index(fields=["person", "period_start", "period_end"], name="alloc_period_idx"),
        ]

    def __str__(self):
        return f"{self.person}: {self.percent}% {self.project or self.duty}"


class Incident(models.Model):
    """An urgent technical issue the department handled ("firefighting")."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="incidents")
    title = models.CharField(max_length=300)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    started_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="handled_incidents"
    )
    postmortem_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("started_at")),
                name="%(app_label)s_%(class)s_resolved_after_start",
                violation_error_message="An incident cannot be resolved before it starts.",
            ),
        ]
        indexes = [
            # Incident log of a department, newest first; open incidents.
            models.Index(fields=["department", "-started_at"], name="incident_dept_recent_idx"),
        ]

    def __str__(self):
        return self.title
