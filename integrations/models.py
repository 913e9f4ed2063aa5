"""The outbox: work for Celery, written to the database before the broker sees it.

A service calls `integrations.services.task_enqueue(...)` inside its own transaction; the
row commits with the rest of its work, and only then is it published. While the broker is
unreachable the row waits here (pending) and the periodic sweep publishes it later, so a
Redis outage loses nothing and fails no request. This app knows nothing of the domain.
"""

from django.db import models


class QueuedTask(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    task = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A publisher holds the row until then; a sweep may take it over once that has passed
    # (the publisher died between claiming and publishing).
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="integrations_queued_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.task} ({self.get_status_display()})"
