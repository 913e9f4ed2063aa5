"""The person picker: a <select> that static/js/picker.js turns into a searchable
combobox (WAI-ARIA combobox pattern; several people as removable chips).

Progressive enhancement: the server renders an ordinary select, which still works
without JavaScript; the options carry what the picker shows beside each name as data
attributes: the verdict (`data-verdict`, when the choices are annotated with
`eligibility_verdict`: the role's forms) and the department (`data-hint`, when it was
selected with the people, so that searching "platform" finds its people). Reading them
costs no query.

Bounded: a picker whose form gives it a search URL (`data-search`, see `searchable`) renders
at most LIMIT options, the first ones of the field's queryset (ordered eligible first where
it matters) plus whoever is selected, read with one LIMIT query; when there are more, the
script asks the URL as the user types. Validation still uses the field's whole queryset.
"""

from copy import copy
from itertools import islice

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from departments.models import Person

DEPARTMENT = Person._meta.get_field("department")


LIMIT = 50  # options a searchable picker renders (plus the selected ones)


def searchable(field, form_name: str, department=None, person=None) -> None:
    """Give `field`'s picker the search URL that rebuilds this form's choices server-side
    (dashboard/picker.py): which form, and its department (or person)."""
    context = {"department": department.pk} if department else {"person": person.pk}
    query = urlencode({"for": form_name, **context})
    field.widget.attrs["data-search"] = f"{reverse('dashboard:people_search')}?{query}"


def searchable_people(form, form_name: str):
    """Every person picker of a form built from the viewer alone (dashboard/responsibilities.py)
    searchable: the search rebuilds the form for the viewer and reads the named field."""
    for name, field in form.fields.items() if form is not None else ():
        if isinstance(field.widget, PickerMixin):
            query = urlencode({"for": form_name, "field": name})
            field.widget.attrs["data-search"] = f"{reverse('dashboard:people_search')}?{query}"
    return form


class PickerMixin:
    picker = "one"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": self.picker, **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        search = self.attrs.get("data-search")
        if not search:
            return super().get_context(name, value, attrs)
        widget = copy(self)
        widget.attrs = {k: v for k, v in self.attrs.items() if k != "data-search"}
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None:  # a model field's: one query, LIMIT + 1 rows
            shown = copy(self.choices)
            shown.queryset = queryset[: LIMIT + 1]
            first = list(iter(shown))  # iter: list() would ask len(), a COUNT
        else:  # a list of (id, label) already read
            first = list(islice(self.choices, LIMIT + 2))
        blank = [c for c in first if c[0] == ""]
        people = [c for c in first if c[0] != ""]
        if len(people) > LIMIT:
            people = people[:LIMIT]
            widget.attrs["data-search"] = search
        shown_ids = {str(c[0]) for c in people}
        chosen = [v for v in self.format_value(value) if v.isdigit() and v not in shown_ids]
        if chosen and queryset is not None:  # bound beyond the first: one more query
            extra = copy(self.choices)
            extra.queryset = queryset.filter(pk__in=chosen[:LIMIT])
            people += [c for c in extra if c[0] != ""]
        elif chosen:
            people += [c for c in self.choices if str(c[0]) in chosen]
        widget.choices = blank + people
        return super(PickerMixin, widget).get_context(name, value, attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = getattr(value, "instance", None)
        if isinstance(person, Person):
            verdict = getattr(person, "eligibility_verdict", None)
            if verdict:
                option["attrs"]["data-verdict"] = verdict
            if DEPARTMENT.is_cached(person) and person.department is not None:
                option["attrs"]["data-hint"] = person.department.name
        return option


class PersonPicker(PickerMixin, forms.Select):
    """Choose one person."""


class PeoplePicker(PickerMixin, forms.SelectMultiple):
    """Choose several people, shown as chips."""

    picker = "many"
