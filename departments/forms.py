from django import forms

from .models import Department, Track


class PersonRowForm(forms.Form):
    """One HRIS row (CSV import and the API's bulk upsert): the department is its slug."""

    employee_id = forms.CharField(max_length=64)
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254, required=False)
    department = forms.SlugField(max_length=200, required=False)
    track = forms.ChoiceField(choices=Track.choices)
    level = forms.IntegerField(min_value=1, max_value=20)
    step = forms.IntegerField(min_value=1, max_value=20, required=False)
    is_active = forms.NullBooleanField(required=False)

    def __init__(self, *args, departments: dict[str, Department], **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = departments

    def clean_department(self):
        slug = self.cleaned_data["department"]
        if not slug:
            return None
        try:
            return self.departments[slug]
        except KeyError:
            raise forms.ValidationError(f"Unknown department {slug!r}.") from None

    def clean(self):
        data = super().clean()
        if data.get("step") is None:
            data["step"] = 1
        if data.get("is_active") is None:
            data["is_active"] = True
        return data


PERSON_ROW_FIELDS = tuple(PersonRowForm.base_fields)
# The fields an HRIS row owns; everything else on Person (the login link) stays as it is.
PERSON_SYNC_FIELDS = ("full_name", "email", "department", "track", "level", "step", "is_active")
