"""Admin building blocks shared by every app's admin: who may see a model (HR,
superusers), saves that go through a service, read-only history inlines, a relation's
list filter that lists no rows."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from django.utils.html import format_html_join

from .errors import DomainError
from .forms import add_domain_error
from .models import Department
from .selectors import user_is_hr


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


class AutocompleteFilter(admin.FieldListFilter):
    """A relation's list filter that lists no rows: an autocomplete box (the related
    admin's search) and the chosen row, where Django's filter lists every department of
    the company in the sidebar. Same parameter as Django's (`department__id__exact`),
    so links to a filtered list keep working. `("department", AutocompleteFilter)`."""

    template = "admin/autocomplete_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__{field.target_field.name}__exact"
        if not any(params.get(self.lookup_kwarg) or []):
            params.pop(self.lookup_kwarg, None)  # the box cleared: every row
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = field.verbose_name
        self.choice_field = forms.ModelChoiceField(
            queryset=field.remote_field.model._default_manager.all(),
            required=False,
            widget=AutocompleteSelect(field, model_admin.admin_site),
        )

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def selected(self):
        value = self.used_parameters.get(self.lookup_kwarg)
        return value[-1] if isinstance(value, list) else value

    def choices(self, changelist):
        yield {
            "selected": self.selected() is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "display": "All",
        }
        # The box's form keeps the list's other filters, its search and its order.
        mine = (self.lookup_kwarg, PAGE_VAR)
        kept = [(k, v) for k, v in changelist.params.items() if k not in mine]
        field_id = f"filter_{self.lookup_kwarg}"
        yield {
            "form": True,
            "id": field_id,
            "kept": kept,
            # Renders the chosen row only (one query); the others come from the search.
            "widget": self.choice_field.widget.render(
                self.lookup_kwarg, self.selected(), attrs={"id": field_id}
            ),
        }


def autocomplete_filter_media(model_admin) -> forms.Media:
    """The autocomplete's scripts and styles when a list filter is an AutocompleteFilter
    (the changelist's head loads them, beside the admin's jQuery)."""
    for spec in model_admin.list_filter:
        if isinstance(spec, tuple) and issubclass(spec[1], AutocompleteFilter):
            return AutocompleteSelect(None, model_admin.admin_site).media
    return forms.Media()


def person_autocomplete(widget=AutocompleteSelect, **kwargs):
    """The Person admin's search as a person picker, for a form field that is not a model
    field's (its URL names a relation to Person, Department.manager: the choices are the
    form field's, the search is the Person admin's, active people only)."""
    return widget(Department._meta.get_field("manager"), admin.site, **kwargs)


class HRAdminMixin:
    """Only HR and superusers see or change these models in the admin."""

    @property
    def media(self):
        return super().media + autocomplete_filter_media(self)

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
