"""The audit trail, integration logins and the scheduler in the admin; the building blocks
every app's admin shares are in departments/admin_base.py.

Departments and people are registered in techleads/admin.py: their admin pages show the
Tech Lead role (eligibility, history), which this app may not import.
"""

from django.contrib import admin, messages
from django_celery_beat import admin as beat_admin  # registers the scheduler's ModelAdmins
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    SolarSchedule,
)

from .admin_base import AutocompleteFilter, HRAdminMixin, ServiceAdminMixin, SuperuserOnlyMixin
from .models import AuditEntry, IntegrationLogin
from .services import integration_create, integration_revoke, integration_rotate

# The admin is the product's, HR's desk: not "Django administration".
admin.site.site_header = "Tech Lead management"
admin.site.site_title = "Tech Lead admin"
admin.site.index_title = "HR's desk"


# The scheduler's internals (clocked, crontab, interval and solar schedules) are for
# superusers; HR keeps Periodic tasks, where they edit the staleness check's schedule.
for _model, _admin in [
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (SuperuserOnlyMixin, _admin), {}))


@admin.register(AuditEntry)
class AuditEntryAdmin(HRAdminMixin, admin.ModelAdmin):
    """The audit trail, view only: nobody adds, changes or deletes an entry here, superusers
    included (the model and, on PostgreSQL, a trigger refuse it anyway). HR browses it."""

    list_display = ["created_at", "actor", "verb", "target_repr", "department"]
    # No list of the departments or actors the trail names (a scan of the whole trail,
    # then thousands of links): a department is chosen by autocomplete, an actor searched.
    list_filter = ["verb", "target_type", ("department", AutocompleteFilter)]
    search_fields = ["target_repr", "verb", "note", "actor__username"]
    list_select_related = ["actor", "department"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IntegrationLogin)
class IntegrationLoginAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """HR creates the logins integrations push data with (Jira, an HRIS sync): the token is
    shown once, in a message; rotate replaces it, revoke deletes it and stops the login.
    Nothing is edited or deleted here: each change is an audited service call."""

    list_display = ["username", "is_active", "token_created", "last_login", "date_joined"]
    list_filter = ["is_active"]
    search_fields = ["username"]
    list_select_related = ["auth_token"]
    actions = ["rotate", "revoke"]
    ordering = ["username"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username"]
        return ["username", "is_active", "token_created", "last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description="Token created")
    def token_created(self, login):
        token = getattr(login, "auth_token", None)
        return token.created if token else "No token (revoked)"

    def service_save(self, request, instance, form, change):
        if change:
            return instance  # nothing is edited here; see the actions
        login, key = integration_create(actor=request.user, name=form.cleaned_data["username"])
        login = IntegrationLogin.objects.get(pk=login.pk)
        login.new_token = key
        return login

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(obj, "new_token", None):
            self._show_token(request, obj, obj.new_token)

    def _show_token(self, request, login, key: str) -> None:
        self.message_user(
            request,
            f"The token of {login.username}, shown only this once (copy it now): {key}. "
            f"Send it as `Authorization: Token {key}`.",
            level=messages.WARNING,
        )

    @admin.action(description="Rotate: give a new token (the old one stops working)")
    def rotate(self, request, queryset):
        for login in queryset:
            self._show_token(request, login, integration_rotate(actor=request.user, login=login))
            self.log_change(request, login, "Rotated the token.")

    @admin.action(description="Revoke: delete the token and deactivate the login")
    def revoke(self, request, queryset):
        for login in queryset:
            integration_revoke(actor=request.user, login=login)
            self.log_change(request, login, "Revoked the token and deactivated the login.")
        self.message_user(request, f"{len(queryset)} login(s) revoked.")


# Login lockouts (axes' records): HR sees and clears them, see departments/lockout_admin.py;
# outbound webhooks: HR manages them, see departments/webhooks_admin.py.
from . import lockout_admin, webhooks_admin  # noqa: E402, F401
