from celery import shared_task

from .services import deliveries_dispatch, delivery_send, outbox_sweep, webhooks_sweep


@shared_task
def sweep_outbox() -> dict:
    """Publish what the outbox holds (scheduled every minute by django-celery-beat)."""
    return outbox_sweep()


@shared_task(bind=True)
def deliver_webhook(self, delivery: int) -> str | int | None:
    """One attempt at a webhook delivery. Run eagerly (no broker: inside the request's
    after-commit), the attempt goes to a background thread instead of holding the request."""
    if self.request.is_eager:
        return deliveries_dispatch([delivery])
    return delivery_send(delivery_id=delivery)


@shared_task
def sweep_webhooks() -> dict:
    """Send the webhook deliveries that are due (scheduled every minute by
    django-celery-beat)."""
    return webhooks_sweep()
