from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import UserManager
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from .constants import INTEGRATION_GROUP
from .constraints import in_range

# Levels and steps are small positive numbers; the upper bound keeps nonsense out of HRIS syncs.
LADDER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(20)]


class Track(models.TextChoices):
    IC = "ic", "Individual Contributor"
    MANAGER = "manager", "Manager"


class Department(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    manager = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_departments",
    )
    confluence_space = models.CharField(max_length=200, blank=True)
    knowledge_hub_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# The field each of Person's unique constraints guards, by violation_error_code.
CONSTRAINT_FIELDS = {"email_taken": "email", "jira_account_id_taken": "jira_account_id"}


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    employee_id = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    jira_account_id = models.CharField(
        "Jira account id",
        max_length=128,
        blank=True,
        help_text="The person's Atlassian accountId: Jira's assignee is matched by it first.",
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    track = models.CharField(max_length=16, choices=Track.choices)
    level = models.PositiveSmallIntegerField(validators=LADDER_VALIDATORS)
    step = models.PositiveSmallIntegerField(default=1, validators=LADDER_VALIDATORS)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name_plural = "people"
        constraints = [
            in_range("level", 1, what="level_positive", message="Level must be 1 or more."),
            in_range("step", 1, what="step_positive", message="Step must be 1 or more."),
            # One person per address: Jira and notifications find people by email, which
            # mail systems compare ignoring case. Blank means "none", so it may repeat.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="%(app_label)s_%(class)s_email_unique",
                violation_error_code="email_taken",
                violation_error_message="Another person already has this email.",
            ),
            models.UniqueConstraint(
                fields=["jira_account_id"],
                condition=~Q(jira_account_id=""),
                name="%(app_label)s_%(class)s_jira_account_unique",
                violation_error_code="jira_account_id_taken",
                violation_error_message="Another person already has this Jira account id.",
            ),
        ]
        indexes = [
            # Department pages, candidate lists and scoping: active people of a department.
            models.Index(fields=["department", "is_active"], name="person_dept_active_idx"),
            # Eligibility explorer filters: ?track=&level=
            models.Index(fields=["track", "level", "step"], name="person_track_level_idx"),
            # The people's default order (lists, pickers, the API): a page of 50 by name is
            # an index walk, not a sort of every person.
            models.Index(fields=["full_name", "id"], name="person_name_idx"),
        ]

    def __str__(self):
        return self.full_name

    def validate_constraints(self, exclude=None):
        """Django reports a conditional or expression constraint as a non-field error;
        name the field instead, so forms and the API put the message where it belongs."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            for error in errors.pop(NON_FIELD_ERRORS, []):
                field = CONSTRAINT_FIELDS.get(error.code, NON_FIELD_ERRORS)
                errors.setdefault(field, []).append(error)
            raise ValidationError(errors) from exc

    @property
    def ladder_position(self) -> str:
        return f"{self.get_track_display()} Level {self.level} Step {self.step}"


class AuditEntryImmutable(Exception):
    """The audit trail is append-only: an entry is never changed or deleted once written."""


AUDIT_CHANGE_REFUSED = "Audit entries cannot be changed: the audit trail is append-only."
AUDIT_DELETE_REFUSED = "Audit entries cannot be deleted: the audit trail is append-only."


class AuditEntryQuerySet(models.QuerySet):
    """bulk_create() appends and is allowed; update() and delete() would rewrite history.

    The database refuses them too on PostgreSQL (the trigger of migration 0008); these
    refusals name the rule before a query is sent, on every database.
    """

    def update(self, **kwargs):
        raise AuditEntryImmutable(AUDIT_CHANGE_REFUSED)

    def delete(self):
        raise AuditEntryImmutable(AUDIT_DELETE_REFUSED)

    update.alters_data = True
    delete.alters_data = True
    delete.queryset_only = True  # as Django's: Manager has no delete()


class AuditEntry(models.Model):
    """One change to the organisation or the role: who, when, what, before and after.

    Append-only: save() inserts and never updates, delete() refuses, and so do the
    queryset's update() and delete(); on PostgreSQL a trigger refuses UPDATE, DELETE and
    TRUNCATE of the table whatever the client. The actor and the department are PROTECTed:
    deleting a user or a department the trail names is refused instead of blanking the
    entry's "who" or "where" (users are deactivated, departments are never deleted).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=300)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            # "History of this object" in the admin and the API.
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # Recent role changes of a department (department page, overview).
            models.Index(fields=["department", "-created_at"], name="audit_dept_recent_idx"),
        ]

    def __str__(self):
        return f"{self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        # Only an INSERT: a saved entry (or one given an existing pk) is never rewritten.
        if not self._state.adding:
            raise AuditEntryImmutable(AUDIT_CHANGE_REFUSED)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable(AUDIT_DELETE_REFUSED)


class IntegrationLoginManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(groups__name=INTEGRATION_GROUP)


class IntegrationLogin(get_user_model()):
    """A login of an integration (Jira, an HRIS sync): a member of the Integrations group
    with an API token and no password. HR creates and revokes them in the admin."""

    objects = IntegrationLoginManager()

    class Meta:
        proxy = True
        verbose_name = "integration login"
