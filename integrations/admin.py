from django import forms
from django.contrib import admin, messages

from .events import EVENT_CHOICES
from .models import QueuedTask, Webhook, WebhookDelivery
from .services import delivery_redeliver


@admin.register(QueuedTask)
class QueuedTaskAdmin(admin.ModelAdmin):
    """The outbox, read-only: what waits for the broker, what was sent, what failed."""

    list_display = ["created_at", "task", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "task"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WebhookForm(forms.ModelForm):
    """The secret is write-only: never rendered; left empty it is kept (or, for a new
    webhook, generated and shown once after saving)."""

    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, help_text=""
    )
    secret = forms.CharField(
        required=False,
        min_length=16,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave empty to keep the current secret (a new webhook gets a generated one).",
    )

    class Meta:
        model = Webhook
        fields = ["url", "events", "secret", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["secret"] = ""  # never sent to the browser

    def clean_secret(self):
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Webhook subscriptions: the URL, the events, whether active. The secret never shows,
    except once, right after a webhook is added."""

    form = WebhookForm
    list_display = ["url", "event_list", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url"]

    @admin.display(description="Events")
    def event_list(self, webhook):
        return ", ".join(webhook.events)

    def save_model(self, request, obj, form, change):
        if not obj.secret:
            from .services import webhook_secret_generate

            obj.secret = webhook_secret_generate()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            f"The webhook's secret, shown this once (copy it to the receiver): {obj.secret}",
            messages.WARNING,
        )
        return super().response_add(request, obj, post_url_continue)


class EventFilter(admin.SimpleListFilter):
    """The events a webhook subscribes to, a fixed list: Django's filter of the field's
    values reads every delivery (a DISTINCT over the whole table) to list them."""

    title = "event"
    parameter_name = "event"  # Django's own filter's parameter: links keep working

    def lookups(self, request, model_admin):
        return EVENT_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """What was sent to the webhooks, read-only; "Redeliver" sends the selected again."""

    list_display = [
        "created_at",
        "event",
        "webhook",
        "status",
        "attempts",
        "response_status",
        "delivered_at",
        "last_error",
    ]
    list_filter = ["status", EventFilter, "webhook"]  # webhooks: a few subscriptions
    list_select_related = ["webhook"]
    readonly_fields = [
        "webhook",
        "event",
        "event_id",
        "status",
        "attempts",
        "response_status",
        "last_error",
        "created_at",
        "delivered_at",
        "next_attempt_at",
        "payload",
    ]
    fields = readonly_fields
    actions = ["redeliver"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return self.has_view_permission(request)

    def redeliver_one(self, request, delivery):
        """Queue one delivery again (departments' admin audits it as HR's change)."""
        return delivery_redeliver(delivery=delivery)

    @admin.action(description="Redeliver the selected deliveries", permissions=["redeliver"])
    def redeliver(self, request, queryset):
        sent, refused = 0, []
        for delivery in queryset.select_related("webhook"):
            if not delivery.webhook.is_active:
                refused.append(str(delivery.event_id))
                continue
            self.redeliver_one(request, delivery)
            sent += 1
        self.message_user(request, f"{sent} delivery(ies) queued again.")
        if refused:
            self.message_user(
                request,
                f"Not redelivered, the webhook is inactive: {', '.join(refused)}.",
                messages.WARNING,
            )
