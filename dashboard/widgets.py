"""The person picker: a <select> that static/js/picker.js turns into a searchable
combobox (WAI-ARIA combobox pattern; several people as removable chips).

Progressive enhancement: the server renders an ordinary select, which still works
without JavaScript; the options carry what the picker shows beside each name as data
attributes: the verdict (`data-verdict`, when the choices are annotated with
`eligibility_verdict`: the role's forms) and the department (`data-hint`, when it was
selected with the people, so that searching "platform" finds its people). Reading them
costs no query.
"""

from django import forms

from departments.models import Person

DEPARTMENT = Person._meta.get_field("department")


class PickerMixin:
    picker = "one"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-picker": self.picker, **(attrs or {})}, choices)

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
