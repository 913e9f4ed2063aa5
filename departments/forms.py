from collections.abc import Iterable

from django import forms
from django.contrib import messages

from .errors import DomainError
from .models import Department, Track

BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class JsonBooleanField(forms.Field):
    """A JSON true or false: "maybe", "true" or 1 are refused rather than guessed at."""

    default_error_messages = {"invalid": "Expected true or false (a JSON boolean)."}

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class WordBooleanField(forms.Field):
    """A spreadsheet's boolean: true/false, 1/0 or yes/no, in any case."""

    default_error_messages = {"invalid": "Expected true/false, 1/0 or yes/no."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return BOOLEAN_WORDS[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class TrackField(forms.CharField):
    """A career track by its code or its label, in any case: `ic`, `IC`, `Manager`."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        for code, label in Track.choices:
            if value.casefold() in (code.casefold(), label.casefold()):
                return code
        allowed = ", ".join(f"{code} ({label})" for code, label in Track.choices)
        raise forms.ValidationError(f"Not a track; expected one of: {allowed}.", code="invalid")


class DepartmentRefField(forms.Field):
    """A department by its id or its slug (a slug is tried first: slugs may be digits)."""

    default_error_messages = {"invalid": "No department with this id or slug."}

    def __init__(self, *, departments: dict[str | int, Department] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.departments = departments or {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
            found = self.departments.get(value)
            if found is None and value.isdigit():
                found = self.departments.get(int(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            found = self.departments.get(value)
        else:
            found = None
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return found


def department_refs(departments: Iterable[Department]) -> dict[str | int, Department]:
    """Departments by slug and by id, as a row may name them."""
    refs: dict[str | int, Department] = {}
    for department in departments:
        refs[department.slug] = department
        refs[department.pk] = department
    return refs


class PersonRowForm(forms.Form):
    """One HRIS row of the API's bulk upsert: it changes only the fields it carries.

    Only the fields present in the row are validated and returned, so a field left out
    keeps the person's value; `employee_id` is always needed, and a new person also needs
    NEW_PERSON_FIELDS. A null (or, in the CSV, an empty cell) clears the email, the Jira
    account id and the department; the other fields need a value when present.
    """

    employee_id = forms.CharField(max_length=64)
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254, required=False)
    jira_account_id = forms.CharField(max_length=128, required=False)
    department = DepartmentRefField(required=False)
    track = TrackField(max_length=64)
    level = forms.IntegerField(min_value=1, max_value=20)
    step = forms.IntegerField(min_value=1, max_value=20)
    is_active = JsonBooleanField()

    def __init__(self, data: dict, *, departments: dict[str | int, Department]):
        super().__init__(data=data)
        for name in list(self.fields):
            if name != "employee_id" and name not in data:
                del self.fields[name]
        if "department" in self.fields:
            self.fields["department"].departments = departments


class PersonCsvRowForm(PersonRowForm):
    """One row of an HRIS CSV export: booleans are words (true/false, 1/0, yes/no)."""

    is_active = WordBooleanField()


PERSON_ROW_FIELDS = tuple(PersonRowForm.base_fields)
# What a new person cannot do without (the model has no default for them).
NEW_PERSON_FIELDS = ("full_name", "track", "level")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: beside the field it names, else above the form.

    One mapping for the admin and the dashboard, as the API's exception handler is for the
    API."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def perform_form(request, form, perform, success) -> bool:
    """Validate, call the service (`perform(cleaned_data)`); its refusal becomes a form
    error, its result a success message (`success(result)`). True when done. The dashboard's
    action forms and the admin's role views share it."""
    if not form.is_valid():
        return False
    try:
        result = perform(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, success(result))
    return True
