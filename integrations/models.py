"""The outbox: work for Celery, written to the database before the broker sees it.

A service calls `integrations.services.task_enqueue(...)` inside its own transaction; the
row commits with the rest of its work, and only then is it published. While the broker is
unreachable the row waits here (pending) and the periodic sweep publishes it later, so a
Redis outage loses nothing and fails no request. This app knows nothing of the domain.
"""

from django.core.exceptions import ValidationError
from django.db import models

from .delivery import webhook_url_validate
from .events import EVENTS


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


def events_validate(value) -> None:
    """A non-empty list of known event names, each once."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one event.", code="required")
    unknown = [name for name in value if name not in EVENTS]
    if unknown:
        raise ValidationError(
            "Unknown event(s): %(unknown)s. Known: %(known)s.",
            code="invalid_choice",
            params={"unknown": ", ".join(map(str, unknown)), "known": ", ".join(EVENTS)},
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each event once.", code="duplicate")


class Webhook(models.Model):
    """A receiver of events: a URL, the events it subscribes to, the secret that signs them."""

    url = models.URLField(
        max_length=500,
        validators=[webhook_url_validate],
        help_text="http or https; a public address unless private URLs are allowed.",
    )
    events = models.JSONField(
        default=list, validators=[events_validate], help_text="The event names it receives."
    )
    secret = models.CharField(max_length=200, help_text="Signs each delivery (HMAC-SHA256).")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.url

    def subscribes_to(self, event: str) -> bool:
        return self.is_active and event in self.events


class WebhookDelivery(models.Model):
    """One event for one webhook: the body is fixed when the event happens (an outbox row
    written in the change's transaction) and sent, and retried, after commit."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    event_id = models.UUIDField(unique=True, editable=False)
    payload = models.JSONField(help_text="The body sent: id, event, occurred_at, data.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # A pending delivery is sent from then on (its creation, or after a failure the backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the row until then (see integrations.services.delivery_send).
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The sweep: pending deliveries whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="integrations_delivery_due",
                condition=models.Q(status="pending"),
            ),
            # webhook-deliveries/?webhook=, newest first (and a webhook's deliveries).
            models.Index(fields=["webhook", "-created_at"], name="integrations_delivery_hook"),
            # ?status= and ?event=, newest first.
            models.Index(fields=["status", "-created_at"], name="integrations_delivery_status"),
            models.Index(fields=["event", "-created_at"], name="integrations_delivery_event"),
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook_id} ({self.get_status_display()})"
