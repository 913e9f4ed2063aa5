from django import forms

from departments.models import Person, Track
from sops.constants import DocumentKind, DocumentStatus, ReviewOutcome
from techleads.constants import Readiness, VerdictChoice
from techleads.selectors import people_with_eligibility


class PersonInDepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} ({person.get_track_display()} L{person.level} S{person.step})"


class CandidateField(PersonInDepartmentField):
    """The department's people, each labelled with the verdict of the eligibility policy, so
    HR sees who may be assigned before choosing (the refusal still comes from the service)."""

    def label_from_instance(self, person):
        verdict = VerdictChoice(person.eligibility_verdict).label.lower()
        return f"{super().label_from_instance(person)} · {verdict}"


class LeadForm(forms.Form):
    """Assign or hand over: a member of the department, why, and an optional override."""

    person = CandidateField(queryset=Person.objects.none())
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only to assign someone whose verdict does not allow it. Recorded.",
    )

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_with_eligibility(
            Person.objects.filter(department=department, is_active=True)
        ).order_by("full_name")


class EndForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NominateForm(forms.Form):
    person = PersonInDepartmentField(queryset=Person.objects.none())
    readiness = forms.ChoiceField(choices=Readiness.choices)
    notes = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            department=department, is_active=True
        ).order_by("full_name")


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices)
    material = forms.BooleanField(
        required=False, label="Material change (people must acknowledge it again)"
    )
    notes = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MarkReadForm(forms.Form):
    """One notification of the viewer's inbox, or (left out) all of it."""

    notification = forms.IntegerField(required=False, min_value=1)


def _choices(choices):
    return [("", "Any"), *choices]


class ExplorerFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select)
    track = forms.ChoiceField(choices=_choices(Track.choices), required=False)
    level = forms.IntegerField(required=False, min_value=1, max_value=20)
    verdict = forms.ChoiceField(choices=_choices(VerdictChoice.choices), required=False)
    q = forms.CharField(required=False, max_length=100, label="Name")


class DocumentFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select)
    status = forms.ChoiceField(choices=_choices(DocumentStatus.choices), required=False)
    kind = forms.ChoiceField(choices=_choices(DocumentKind.choices), required=False)
    owner = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(required=False, max_length=100, label="Title")


class DepartmentFilter(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    lead = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "Has a Tech Lead"), ("no", "No Tech Lead")], required=False
    )
