"""The Person admin behind the no-orphans guard, and its transfer page.

techleads registers the Person admin; continuity replaces it with this subclass (the
guard lives here, above every app whose holdings it reads). People are never deleted:
no delete permission and no delete action, for anyone, superusers included.

Receivers are chosen with the admin's autocomplete: a plain select of receivers lists
every active person of the company (100,000 options, once per receiver field)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from departments.admin_base import person_autocomplete
from departments.constants import PERSON_FIELDS
from departments.forms import perform_form
from departments.models import Person
from techleads.admin.organisation import PersonAdmin

from .forms import ReceiverField, TransferForm, receiver_label, transfer_message
from .selectors import moved_with_receivers, person_holdings
from .services import holdings_transfer, person_change


class ReceiverAutocomplete(AutocompleteSelect):
    """The autocomplete for a ReceiverField (its choices are ReceiverChoices, not a
    ModelChoiceIterator): renders the chosen receiver only, the blank choice's words as
    the placeholder. The form still checks the receiver in the database."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-placeholder"] = self.choices.blank
        return attrs

    def optgroups(self, name, value, attr=None):
        chosen = [pk for pk in value if str(pk).isdigit()]
        people = self.choices.queryset.filter(pk__in=chosen)
        options = [self.create_option(name, "", "", False, 0)]
        for index, (pk, full_name, employee_id) in enumerate(
            people.values_list("pk", "full_name", "employee_id"), start=1
        ):
            label = receiver_label(full_name, employee_id)
            options.append(self.create_option(name, pk, label, True, index))
        return [(None, options, 0)]


def receiver_autocompletes(form) -> None:
    """Every ReceiverField of `form` (the shared TransferForm) picked by autocomplete."""
    for field in form.fields.values():
        if isinstance(field, ReceiverField):
            field.widget = person_autocomplete(ReceiverAutocomplete)
            field.widget.choices = field.choices
            field.widget.is_required = field.required


class GuardedPersonForm(forms.ModelForm):
    transfer_to = forms.ModelChoiceField(
        queryset=Person.objects.filter(is_active=True).order_by("full_name"),
        widget=person_autocomplete(),
        required=False,
        label="Transfer holdings to",
        help_text=(
            "Needed to deactivate someone who holds anything, or to move a Tech Lead to "
            "another department: receives what they hold first."
        ),
    )

    class Meta:
        model = Person
        fields = [*PERSON_FIELDS, "user"]


if admin.site.is_registered(Person):
    admin.site.unregister(Person)


@admin.register(Person)
class GuardedPersonAdmin(PersonAdmin):
    form = GuardedPersonForm
    update_service = staticmethod(person_change)
    actions = ["transfer_holdings"]

    def get_fields(self, request, obj=None):
        fields = [*PERSON_FIELDS, "user"]
        return fields if obj is None else [*fields, "transfer_to", "transfer_link"]

    def service_save(self, request, instance, form, change):
        if not change:
            form.cleaned_data.pop("transfer_to", None)
        return super().service_save(request, instance, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # people are deactivated, never deleted

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Transfer holdings of the selected person…")
    def transfer_holdings(self, request, queryset):
        first = queryset.order_by("pk").first()
        return redirect("admin:departments_person_transfer", first.pk)

    @admin.display(description="Holdings")
    def transfer_link(self, person):
        url = reverse("admin:departments_person_transfer", args=[person.pk])
        return format_html('<a class="button" href="{}">Transfer holdings…</a>', url)

    def get_readonly_fields(self, request, obj=None):
        return ["transfer_link"] if obj is not None else []

    def get_urls(self):
        view = self.admin_site.admin_view(self.transfer_view)
        return [
            path("<int:pk>/transfer/", view, name="departments_person_transfer"),
            *super().get_urls(),
        ]

    def transfer_view(self, request, pk):
        """Move what a person holds through holdings_transfer, as the API and the
        dashboard do; a dry run shows what would move."""
        if not self.has_change_permission(request):
            raise PermissionDenied("Only HR can transfer holdings.")
        person = get_object_or_404(Person, pk=pk)
        holdings = person_holdings(person)
        form = TransferForm(request.POST or None, person=person, holdings=holdings)
        receiver_autocompletes(form)
        result = {}

        def transfer(_):
            result.update(
                holdings_transfer(actor=request.user, person=person, **form.transfer_kwargs())
            )
            return result

        if request.method == "POST" and perform_form(request, form, transfer, transfer_message):
            if not result["dry_run"]:
                self.log_change(request, person, f"{result['count']} holding(s) transferred.")
                return redirect("admin:departments_person_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Transfer what {person} holds",
            "form": form,
            "person": person,
            "holdings": holdings,
            "preview": moved_with_receivers(result) if result else None,
        }
        return TemplateResponse(request, "admin/continuity/transfer.html", context)
