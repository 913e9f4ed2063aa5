"""Admin building blocks shared by every app's admin, and the audit trail.

Departments and people are registered in techleads/admin.py: their admin pages show the
Tech Lead role (eligibility, history), which this app may not import.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html_join
from django_celery_beat import admin as beat_admin  # registers the scheduler's ModelAdmins
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    SolarSchedule,
)

from .errors import DomainError
from .forms import add_domain_error
from .models import AuditEntry, IntegrationLogin
from .selectors import user_is_hr
from .services import integration_create, integration_revoke, integration_rotate

# The admin is the product's, HR's desk: not "Django administration".
admin.site.site_header = "Tech Lead management"
admin.site.site_title = "Tech Lead admin"
admin.site.index_title = "HR's desk"


class SuperuserOnlyMixin:
    """Listed, browsed and changed by superusers only, whatever Django permissions a group
    holds. Adding keeps Django's permissions: HR gives the staleness check a new time with
    the "+" beside a periodic task's schedule, without browsing the schedules."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


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


class HRAdminMixin:
    """Only HR and superusers see or change these models in the admin."""

    def has_module_permission(self, request):
        return user_is_hr(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_hr(request.user)

    def has_add_permission(self, request, *args):
        return user_is_hr(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_hr(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # history and the audit trail are never deleted


def buttons(pk, *actions) -> str:
    """Buttons to the admin action pages of the object `pk`: (label, URL name) pairs."""
    links = ((reverse(name, args=[pk]), label) for label, name in actions)
    return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)


class ServiceRefused(Exception):
    """A service refused the admin's save; carries the DomainError to show on the form."""

    def __init__(self, error: DomainError):
        super().__init__(error.message)
        self.error = error


class ServiceAdminMixin(HRAdminMixin):
    """Saves go through a service; a refusal becomes a form error and nothing is written.

    Validation only validates: the service runs in save_model, after Django's form and
    inline validation, inside changeform_view's transaction. A refusal raises out of that
    transaction (rolling back whatever the save began), and the form is rendered again
    with the service's reason as its validation error.
    """

    # The services that save: create_service(actor=..., **the form's data), and
    # update_service(actor=..., <update_target>=the row, **the changed fields).
    create_service = None
    update_service = None
    update_target = ""

    def service_save(self, request, instance, form, change):
        if change:
            target = {self.update_target: instance}
            return self.update_service(actor=request.user, **target, **changed_values(form))
        return self.create_service(actor=request.user, **form.cleaned_data)

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class ServiceForm(base):
            def _post_clean(self):
                super()._post_clean()
                refusal = getattr(request, "_service_refusal", None)
                if refusal is not None:
                    add_domain_error(self, refusal)

        return ServiceForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            saved = self.service_save(request, obj, form, change)
        except DomainError as exc:
            raise ServiceRefused(exc) from exc
        # The admin goes on with `obj` (its change message, its redirect): make it the row
        # the service saved, which a create service builds itself.
        obj.__dict__.update(saved.__dict__)
        form.instance = obj

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the service saved the relations with the object.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ReadOnlyInline(admin.TabularInline):
    """History shown beside its object: never added, changed or deleted from here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        # HR reads history through the group check, not per-model permissions.
        return user_is_hr(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def changed_values(form) -> dict:
    """The form's cleaned values of the model fields it edits."""
    return {
        name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
    }


@admin.register(AuditEntry)
class AuditEntryAdmin(HRAdminMixin, admin.ModelAdmin):
    """The audit trail, view only: nobody adds, changes or deletes an entry here, superusers
    included (the model and, on PostgreSQL, a trigger refuse it anyway). HR browses it."""

    list_display = ["created_at", "actor", "verb", "target_repr", "department"]
    list_filter = [
        "verb",
        "target_type",
        ("department", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
    ]
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
