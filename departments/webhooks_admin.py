"""Webhooks in the admin for HR: the integrations app's admins (which know no roles),
registered again with HR's access and saving through the audited services. Imported by
departments/admin.py."""

from django.contrib import admin

from integrations.admin import WebhookAdmin, WebhookDeliveryAdmin
from integrations.models import Webhook, WebhookDelivery

from .admin_base import HRAdminMixin, ServiceAdminMixin
from .selectors import user_is_hr
from .services import webhook_create, webhook_redeliver, webhook_update


class HRWebhookAdmin(ServiceAdminMixin, WebhookAdmin):
    """HR adds and edits webhooks (audited); a webhook is deactivated, not deleted."""

    create_service = staticmethod(webhook_create)
    update_service = staticmethod(webhook_update)
    update_target = "webhook"


class HRWebhookDeliveryAdmin(HRAdminMixin, WebhookDeliveryAdmin):
    """HR reads the deliveries and redelivers (audited); nothing else changes them."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return user_is_hr(request.user)

    def redeliver_one(self, request, delivery):
        return webhook_redeliver(actor=request.user, delivery=delivery)


for _model, _admin in ((Webhook, HRWebhookAdmin), (WebhookDelivery, HRWebhookDeliveryAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
