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

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from departments.models import Person

DEPARTMENT = Person._meta.get_field("department")


LIMIT = 50  # options a searchable picker renders (plus the selected ones)


def searchable(field, form_name: str, department) -> None:
    """Give `field`'s picker the search URL that rebuilds this form's queryset server-side
    (dashboard/picker.py): which form, and its department."""
    query = urlencode({"for": form_name, "department": department.pk})
    field.widget.attrs["data-search"] = f"{reverse('dashboard:people_search')}?{query}"


class PickerMixin:
    picker = "one"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": self.picker, **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        search = self.attrs.get("data-search")
        queryset = getattr(self.choices, "queryset", None)
        if not search or queryset is None:
            return super().get_context(name, value, attrs)
        widget = copy(self)
        widget.attrs = {k: v for k, v in self.attrs.items() if k != "data-search"}
        shown = copy(self.choices)
        shown.queryset = queryset[: LIMIT + 1]
        first = list(iter(shown))  # one query, LIMIT + 1 rows
        people = [c for c in first if c[0] != ""]
        more = len(people) > LIMIT
        if more:
            first = first[: len(first) - 1]
            widget.attrs["data-search"] = search
        shown_ids = {str(c[0]) for c in first}
        chosen = [v for v in self.format_value(value) if v.isdigit() and v not in shown_ids]
        if chosen:  # bound beyond the first ones: one more query, for those only
            extra = copy(self.choices)
            extra.queryset = queryset.filter(pk__in=chosen[:LIMIT])
            first += [c for c in extra if c[0] != ""]
        widget.choices = first
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
