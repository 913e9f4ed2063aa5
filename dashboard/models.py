"""The dashboard's own rows: a small daily snapshot of what the trends pages draw.

The trends are read from these rows only, never by replaying the audit trail or the
review history on a page view.
"""

from django.db import models

from departments.models import Department


class DailySnapshot(models.Model):
    """One day's figures of one department, or of the whole organisation (department null).

    Every figure is additive (a department row has departments=1 and with_lead 0 or 1), so
    the figures of any set of departments are the sums of their rows.
    """

    day = models.DateField()
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    departments = models.PositiveIntegerField(default=0)
    documents_current = models.PositiveIntegerField(default=0)
    documents_due_soon = models.PositiveIntegerField(default=0)
    documents_stale = models.PositiveIntegerField(default=0)
    tools_current = models.PositiveIntegerField(default=0)
    tools_due_soon = models.PositiveIntegerField(default=0)
    tools_stale = models.PositiveIntegerField(default=0)
    with_lead = models.PositiveIntegerField(default=0)
    succession_risks = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # One row per department and day; (department, day) also serves a department's
            # trend: WHERE department_id = %s AND day >= %s.
            models.UniqueConstraint(
                fields=["department", "day"],
                condition=models.Q(department__isnull=False),
                name="%(app_label)s_%(class)s_one_per_department_day",
                violation_error_message="A department has one snapshot a day.",
            ),
            # One organisation row a day; also serves the organisation's trend.
            models.UniqueConstraint(
                fields=["day"],
                condition=models.Q(department__isnull=True),
                name="%(app_label)s_%(class)s_one_organisation_row_per_day",
                violation_error_message="The organisation has one snapshot a day.",
            ),
        ]
        indexes = [
            # A re-run replacing its day: DELETE ... WHERE day = %s.
            models.Index(fields=["day"], name="dashboard_snapshot_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.department or 'organisation'}"

    @property
    def documents(self) -> int:
        return self.documents_current + self.documents_due_soon + self.documents_stale
