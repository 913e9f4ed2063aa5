"""Forms that choose a Tech Lead, shared by the admin's desk and the dashboard."""

from django import forms

from departments.models import Person

from .constants import VerdictChoice
from .selectors import department_members


class PersonVerdictField(forms.ModelChoiceField):
    """People labelled with their ladder position and verdict, so HR sees who may be
    assigned before choosing (the refusal and its reason still come from the service)."""

    def label_from_instance(self, person):
        position = f"{person.get_track_display()} L{person.level} S{person.step}"
        verdict = VerdictChoice(person.eligibility_verdict).label.lower()
        return f"{person.full_name} ({position}) · {verdict}"


class LeadForm(forms.Form):
    """Assign or hand over: a member of the department, why, and an optional override."""

    person = PersonVerdictField(queryset=Person.objects.none())
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only to assign someone whose verdict does not allow it: say why. Recorded.",
    )

    def __init__(self, *args, department, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department
        if department is not None:
            members = department_members(department=department, user=user)
            self.fields["person"].queryset = members


class EndForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
