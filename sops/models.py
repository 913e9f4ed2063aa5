from django.conf import settings
from django.db import models
from django.db.models import F, Q

from departments.constraints import in_range
from departments.models import Department, Person

from .constants import MAX_REVIEW_INTERVAL_DAYS, DocumentKind, DocumentStatus, ReviewOutcome


def review_interval_range():
    """A review policy's and a document's interval: 1 day to MAX_REVIEW_INTERVAL_DAYS."""
    return in_range(
        "review_interval_days",
        1,
        MAX_REVIEW_INTERVAL_DAYS,
        what="interval_range",
        message="The review interval must be 1 to 3650 days.",
    )


class ReviewPolicy(models.Model):
    """A department's own review interval for one kind of document."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="review_policies"
    )
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    review_interval_days = models.PositiveIntegerField()

    class Meta:
        ordering = ["department", "kind"]
        verbose_name_plural = "review policies"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind"],
                name="%(app_label)s_%(class)s_one_per_kind",
                violation_error_message="This department already has a policy for this kind.",
            ),
            review_interval_range(),
        ]

    def __str__(self):
        return (
            f"{self.department}: {self.get_kind_display()} every {self.review_interval_days} days"
        )


class Document(models.Model):
    """An SOP, best practice, playbook, Knowledge Hub page or cross-department process.

    `status` and `next_review_at` are derived from `last_reviewed_at`, the interval and
    archiving; they are stored so lists filter on an index and the staleness check can
    update them set-based.
    """

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="documents")
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_documents"
    )
    url = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True, help_text="What it is for (a tool's purpose).")
    review_interval_days = models.PositiveIntegerField()
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    next_review_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.CURRENT
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # The staleness check's claims: the status last reported to the owner, and when; when
    # a long-stale document was escalated. A conditional UPDATE on these makes a second
    # (or concurrent) run find nothing left to report.
    notified_status = models.CharField(max_length=16, blank=True)
    notified_run = models.ForeignKey(
        "StalenessRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_run = models.ForeignKey(
        "StalenessRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    involved_departments = models.ManyToManyField(
        Department, blank=True, related_name="involved_in_processes"
    )
    # Bumped by material updates only: acknowledgements are of this version.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            review_interval_range(),
        ]
        indexes = [
            # Department pages and ?department=&status= lists, health per department.
            models.Index(fields=["department", "status"], name="document_dept_status_idx"),
            # ?owner= lists and the owners' digests.
            models.Index(fields=["owner", "status"], name="document_owner_status_idx"),
            # ?status= lists; the staleness check's "which rows could change" scan.
            models.Index(fields=["status", "next_review_at"], name="document_status_due_idx"),
            # ?kind= lists.
            models.Index(fields=["kind", "status"], name="document_kind_status_idx"),
            # Lists by due date (the documents page, the overview's upcoming reviews): an
            # index walk in order that stops at the page, not a sort of every document.
            models.Index(fields=["next_review_at"], name="document_due_idx"),
            # The API's `sops/` list in its default order (title, id): the same walk.
            models.Index(fields=["title", "id"], name="document_title_idx"),
            # The staleness check: due or stale documents not yet reported at that status.
            models.Index(
                fields=["status"],
                name="document_unreported_idx",
                condition=Q(status__in=["due_soon", "stale"]) & ~Q(notified_status=F("status")),
            ),
            # The staleness check: stale documents not yet escalated, by due date.
            models.Index(
                fields=["next_review_at"],
                name="document_unescalated_idx",
                condition=Q(status="stale", escalated_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class DocumentReview(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="document_reviews"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    # An update that changes what people must do; only these ask for acknowledgement again.
    material = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [
            # A document's review history, newest first.
            models.Index(fields=["document", "-reviewed_at"], name="review_doc_recent_idx"),
        ]

    def __str__(self):
        return f"{self.document}: {self.get_outcome_display()} on {self.reviewed_at:%Y-%m-%d}"


class ProcessAcknowledgement(models.Model):
    """A person confirming they have read a version of a cross-department process."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="acknowledgements")
    version = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "person", "version"],
                name="%(app_label)s_%(class)s_once_per_version",
                violation_error_message="Already acknowledged.",
            ),
        ]

    def __str__(self):
        return f"{self.person} read {self.document} v{self.version}"


class StalenessRun(models.Model):
    """One run of the staleness check: when, how long, what it found and did."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    full_scan = models.BooleanField(default=False)
    window_days = models.PositiveIntegerField(null=True, blank=True)
    documents_checked = models.PositiveIntegerField(default=0)
    status_changes = models.PositiveIntegerField(default=0)
    notifications_sent = models.PositiveIntegerField(default=0)
    # Whether this run looked for pending acknowledgements: the next run looks again only
    # when it is full, a new reminder period has begun or a process changed since.
    reminders_checked = models.BooleanField(default=False)
    acknowledgement_reminders = models.PositiveIntegerField(default=0)
    errors = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Staleness check {self.started_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An inbox entry (and the email sent for it): a digest, an escalation, an HR report or
    a reminder of processes to acknowledge."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Review digest"
        ESCALATION = "escalation", "Escalation"
        HR_REPORT = "hr_report", "Documents without an owner"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement reminder"

    recipient = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    run = models.ForeignKey(
        StalenessRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    # Makes a second run (or a concurrent one) unable to store the same notification twice.
    dedup_key = models.CharField(max_length=200, unique=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="notifications")
    more_documents = models.PositiveIntegerField(
        default=0, help_text="Documents beyond those listed (long digests are capped)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A person's inbox, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The emails still to send: a sender claims them in batches by id; without it
            # each claim would step over every notification ever emailed.
            models.Index(
                fields=["id"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_unsent_idx",
            ),
        ]

    def __str__(self):
        return self.subject


class DepartmentSummary(models.Model):
    """A department's documents by group and status, kept current in the transaction of
    every write that changes them (sops.summary) and recomputed by the staleness check for
    the departments whose statuses it moved. Pages and the health score read these columns
    instead of counting documents; `manage.py check_summary` compares them with a count.

    Groups: `docs` (SOPs, best practices, playbooks, Knowledge Hub pages), `tools` and
    `processes` (cross-department processes), as the health score weighs them apart.
    """

    department = models.OneToOneField(
        Department, primary_key=True, on_delete=models.CASCADE, related_name="document_summary"
    )
    docs_current = models.IntegerField(default=0)
    docs_due_soon = models.IntegerField(default=0)
    docs_stale = models.IntegerField(default=0)
    docs_archived = models.IntegerField(default=0)
    tools_current = models.IntegerField(default=0)
    tools_due_soon = models.IntegerField(default=0)
    tools_stale = models.IntegerField(default=0)
    tools_archived = models.IntegerField(default=0)
    processes_current = models.IntegerField(default=0)
    processes_due_soon = models.IntegerField(default=0)
    processes_stale = models.IntegerField(default=0)
    processes_archived = models.IntegerField(default=0)
    # The dashboard's ranking inputs, written by dashboard.health.health_scores_refresh
    # (periodically, not by each write: the score also moves with the clock): the health
    # score and whether the department is a succession risk, as of `scored_at`. Pages use
    # them to pick which departments to show first, then show live figures for those.
    health_score = models.FloatField(null=True, blank=True)
    succession_risk = models.BooleanField(default=False)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "department summaries"
        indexes = [
            # The lowest health first (the overview, the departments list sorted by health).
            models.Index(fields=["health_score"], name="summary_health_idx"),
            # The succession risks first (the overview).
            models.Index(
                fields=["department"],
                name="summary_risk_idx",
                condition=models.Q(succession_risk=True),
            ),
        ]

    def __str__(self):
        return f"Summary of {self.department_id}"
