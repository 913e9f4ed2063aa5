"""Filters every app's FilterSets share: strict booleans and ids (a malformed value is a
400, never "no filter")."""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from departments.api.fields import DEPARTMENT_REF_SCHEMA, unknown_department
from departments.models import AuditEntry
from departments.selectors import department_by_ref
from integrations.events import EVENT_CHOICES
from integrations.models import WebhookDelivery

TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, its form class made once per FilterSet class.

    django-filter makes the form class, a form field per filter, on every instantiation:
    every API list request and every list page (a third of the filtering's time). A form
    copies its class's fields when it is made, so a page changing its own form's fields
    (dashboard.lists) changes nothing shared. A filter whose choices depend on the
    request (a callable queryset) keeps the class made per instance."""

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            if not any(callable(getattr(f, "queryset", None)) for f in self.filters.values()):
                type(self)._form_class = form_class
        return form_class


class StrictBooleanField(forms.Field):
    """true/false/1/0/yes/no; anything else is a 400, not silently "no filter".

    On a page it is a select (Any / Yes / No): a checkbox would send "on", and could not
    say "no"."""

    widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in TRUE:
            return True
        if lowered in FALSE:
            return False
        raise forms.ValidationError("Expected true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


# The largest id a BIGINT key holds: a larger number matches nothing, and is refused
# before it reaches the database (which would fail on it, not answer "no rows").
MAX_ID = 2**63 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number (a level, a step): 1.5 or 1e20 is a 400, not passed to the database."""

    field_class = forms.IntegerField


class IdFilter(WholeNumberFilter):
    """A related row's id, through a join: a whole number in the database's range, else a
    400 (a plain NumberFilter passes 1e20 or 1.5 on to the database)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """`?search=`: any of `fields` contains the text, ignoring case. One definition for the
    API and the dashboard's search boxes."""

    def __init__(self, *, fields: list[str], **kwargs):
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", f"Text contained in: {', '.join(fields)}.")
        super().__init__(**kwargs)
        self.search_fields = fields

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(reduce(or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields)))


class DepartmentRefFormField(forms.Field):
    """A department by id or slug (see `department_by_ref`); an unknown one is an error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        department = department_by_ref(str(value))
        if department is None:
            # The text goes in as a parameter: django-filter %-formats messages, and a "%"
            # in the value the client sent must not be read as a format.
            raise forms.ValidationError(
                "%(detail)s",
                code="invalid_choice",
                params={"detail": unknown_department(str(value))},
            )
        return department


class DepartmentRefFilter(django_filters.Filter):
    """`?department=platform` or `?department=3`: rows of that department (through
    `field_name`, e.g. `project__department`); an unknown department is a 400."""

    field_class = DepartmentRefFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "A department's id or slug.")
        super().__init__(*args, **kwargs)
        # The schema says so: an integer or a string, described by the help text.
        extend_schema_field({**DEPARTMENT_REF_SCHEMA, "description": self.extra["help_text"]})(self)


class ActorFormField(forms.CharField):
    """A login by id (a whole number in the key's range) or by username."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if value.isdigit() and int(value) > MAX_ID:
            raise forms.ValidationError("No such user id.", code="invalid")
        return value


@extend_schema_field({"type": "string", "description": "A user's id or username."})
class ActorFilter(django_filters.CharFilter):
    """`?actor=12` or `?actor=hr`: entries written by that login."""

    field_class = ActorFormField

    def filter(self, qs, value):
        if not value:
            return qs
        if value.isdigit():
            return qs.filter(actor_id=int(value))
        return qs.filter(actor__username=value)


def moment_filter(field: str, lookup: str, label: str, meaning: str):
    """An ISO 8601 date and time, picked on a page with the browser's own control."""
    return django_filters.IsoDateTimeFilter(
        field_name=field,
        lookup_expr=lookup,
        label=label,
        help_text=f"{meaning} (ISO 8601).",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class AuditEntryFilter(FilterSet):
    """The audit trail's filters: one definition for the API, the dashboard page and its CSV
    export."""

    search = SearchFilter(fields=["target_repr", "note"])
    verb = django_filters.CharFilter(max_length=64, help_text="The exact verb, e.g. techlead.end.")
    verb_prefix = django_filters.CharFilter(
        field_name="verb",
        lookup_expr="startswith",
        max_length=64,
        label="Verb starts with",
        help_text="The start of the verb, e.g. techlead.",
    )
    department = DepartmentRefFilter()
    actor = ActorFilter(label="Actor", help_text="A user's id or username.")
    target_type = django_filters.CharFilter(
        max_length=100, label="Target type", help_text="e.g. techleads.techleadassignment."
    )
    since = moment_filter("created_at", "gte", "Since", "Written at or after this time")
    until = moment_filter("created_at", "lt", "Until", "Written before this time")

    class Meta:
        model = AuditEntry
        fields = [
            "search",
            "verb",
            "verb_prefix",
            "department",
            "actor",
            "target_type",
            "since",
            "until",
        ]


class WebhookDeliveryFilter(FilterSet):
    """Webhook deliveries by webhook, status and event; a value outside each is a 400."""

    webhook = IdFilter(field_name="webhook", help_text="A webhook's id.")
    status = django_filters.ChoiceFilter(choices=WebhookDelivery.Status.choices)
    event = django_filters.ChoiceFilter(choices=EVENT_CHOICES)

    class Meta:
        model = WebhookDelivery
        fields = ["webhook", "status", "event"]
