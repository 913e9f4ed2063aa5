"""Login lockouts in the admin: HR (not only superusers) sees axes' records of failed and
successful logins, and clears a lockout with the "reset" action, which deletes the failed
attempts through an audited service. Imported by departments/admin.py."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from .admin_base import HRAdminMixin
from .lockout import login_lockout_reset


class HRReadsMixin(HRAdminMixin):
    """HR and superusers read these records; nobody adds, edits or deletes them here.
    The logs grow with every login: no second COUNT of the whole table."""

    show_full_result_count = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LockoutAdmin(HRReadsMixin, AccessAttemptAdmin):
    """Failed logins per username and address; "Locked Out" once at the limit."""

    actions = ["reset"]

    @admin.action(description="Reset: clear the failed attempts (ends the lockout)")
    def reset(self, request, queryset):
        cleared = login_lockout_reset(actor=request.user, attempts=queryset)
        self.message_user(request, f"{cleared} lockout record(s) cleared.")


class LoginLogAdmin(HRReadsMixin, AccessLogAdmin):
    pass


class LoginFailureLogAdmin(HRReadsMixin, AccessFailureLogAdmin):
    pass


for model, model_admin in [
    (AccessAttempt, LockoutAdmin),
    (AccessLog, LoginLogAdmin),
    (AccessFailureLog, LoginFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
