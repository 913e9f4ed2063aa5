"""The role's work: tech sessions, improvement projects and tasks, capacity, incidents."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from departments.constraints import check, in_range, not_before
from departments.models import Department, Person

from ..constants import OPEN_TASK_STATUSES, Attendance, SessionStatus, Severity, TaskStatus


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

    @property
    def has_started(self) -> bool:
        """Only a session that has started can be recorded as held (cancelled: any time)."""
        return self.scheduled_for <= timezone.now()


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
            in_range(
                "percent",
                1,
                100,
                what="percent_range",
                message="An allocation is 1 to 100 percent.",
            ),
            not_before(
                "period_end",
                "period_start",
                what="period_order",
                message="The period cannot end before it starts.",
                optional=False,
            ),
            check(
                "has_purpose",
                Q(project__isnull=False) | ~Q(duty=""),
                "An allocation names a project or a duty.",
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
            not_before(
                "resolved_at",
                "started_at",
                what="resolved_after_start",
                message="An incident cannot be resolved before it starts.",
            ),
        ]
        indexes = [
            # Incident log of a department, newest first; open incidents.
            models.Index(fields=["department", "-started_at"], name="incident_dept_recent_idx"),
        ]

    def __str__(self):
        return self.title
