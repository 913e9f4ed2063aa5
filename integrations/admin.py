from django.contrib import admin

from .models import QueuedTask


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
