from django import forms
from django.db.models import Case, When

from departments.models import Department, Person, Track
from sops.constants import DocumentKind, DocumentStatus, ReviewOutcome
from techleads import forms as techleads_forms
from techleads.constants import Readiness, SessionStatus, Severity, TaskStatus, VerdictChoice
from techleads.models import ImprovementProject
from techleads.selectors import active_assignments, people_with_eligibility

from .widgets import PeoplePicker, PersonPicker, searchable


class CandidateField(forms.ModelChoiceField):
    """A person to nominate, labelled with their department and verdict, so that a manager
    sees who is eligible before nominating (an ineligible nomination is allowed, and flagged).
    The queryset is annotated by people_with_eligibility."""

    widget = PersonPicker  # searchable among every department's people

    def label_from_instance(self, person):
        verdict = VerdictChoice(person.eligibility_verdict).label
        where = f", {person.department.name}" if person.department_id else ""
        return (
            f"{person.full_name} ({person.get_track_display()} L{person.level} S{person.step}"
            f"{where}) — {verdict}"
        )


class NominateForm(forms.Form):
    """Nominate (or update) a successor candidate. Candidates may come from any department:
    the department's own people first; the current Tech Leads are left out (refused)."""

    person = CandidateField(queryset=Person.objects.none())
    readiness = forms.ChoiceField(choices=Readiness.choices)
    rank = forms.IntegerField(
        min_value=1,
        max_value=1000,
        required=False,
        initial=1,
        help_text="1 is the first choice (left empty: 1, or the candidate's current rank).",
    )
    emergency = forms.BooleanField(
        required=False,
        label="Emergency successor (steps in if the lead leaves tomorrow)",
        help_text="Marking this candidate unmarks the department's current one.",
    )
    notes = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        leads = active_assignments().values("person_id")
        people = Person.objects.filter(is_active=True).exclude(pk__in=leads)
        self.fields["person"].queryset = (
            people_with_eligibility(people)
            .select_related("department")
            .annotate(elsewhere=Case(When(department=department, then=0), default=1))
            .order_by("elsewhere", "full_name", "id")
        )
        searchable(self.fields["person"], "nominate", department)


class LeadForm(techleads_forms.LeadForm):
    """Assign or hand over, as the dashboard shows it: the person picker, the people who can
    be assigned first, then those in transition, then the ineligible (HR may override)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.widget = PersonPicker()
        rank = Case(
            When(eligibility_verdict=VerdictChoice.ELIGIBLE, then=0),
            When(eligibility_verdict=VerdictChoice.TRANSITION, then=1),
            default=2,
        )
        field.queryset = field.queryset.order_by(rank, "full_name", "id")  # sets the choices
        if self.department is not None:
            searchable(field, "lead", self.department)

    def add_error(self, field, error):
        """A refusal of someone the rules do not allow (the service's NotEligible, on
        `person`) also says the way forward: an override reason lets HR go ahead, and the
        override field is focused to write it."""
        data = getattr(self, "cleaned_data", {})
        person = data.get("person")  # read first: an error on a field drops its value
        super().add_error(field, error)
        verdict = getattr(person, "eligibility_verdict", VerdictChoice.ELIGIBLE)
        if field != "person" or verdict == VerdictChoice.ELIGIBLE:
            return
        if data.get("override_reason", "").strip():
            return
        super().add_error(
            "override_reason",
            f"To assign {person.full_name} anyway, say here why the rules should not apply "
            "and submit again: HR may override the verdict, and the reason is recorded.",
        )
        self.fields["override_reason"].widget.attrs["autofocus"] = True


class EndForm(techleads_forms.EndForm):
    """End the current assignment: a destructive step, so it asks to be confirmed."""

    confirm = forms.BooleanField(
        label="Yes, end the current Tech Lead's assignment now (it stays in the history)",
        error_messages={
            "required": "Tick the box to confirm. Nothing was ended; to pass the role on "
            "instead, use Hand over."
        },
    )


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


# The rest of the role's work ----------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class PersonField(forms.ModelChoiceField):
    widget = PersonPicker

    def label_from_instance(self, person):
        return person.full_name


class PeopleField(forms.ModelMultipleChoiceField):
    widget = PeoplePicker

    def label_from_instance(self, person):
        return person.full_name


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, department):
        return department.name


class ScopedForm(forms.Form):
    """A form whose department and people choices are the ones the viewer may act on.

    Prefixed: it shares its page with a filter form that has fields of the same names,
    and two inputs with one id break labels (and the page's accessibility)."""

    prefix = "new"

    def __init__(self, *args, departments=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, DepartmentField) and departments is not None:
                field.queryset = departments.order_by("name")
            if isinstance(field, (PersonField, PeopleField)) and people is not None:
                field.queryset = people.filter(is_active=True).order_by("full_name")


class SessionForm(ScopedForm):
    department = DepartmentField(queryset=Department.objects.none())
    topic = forms.CharField(max_length=300)
    scheduled_for = forms.DateTimeField(widget=DateTimeInput())
    presenter = PersonField(queryset=Person.objects.none(), required=False)
    link = forms.URLField(max_length=500, required=False, label="Slides or recording")
    invitees = PeopleField(queryset=Person.objects.none(), required=False)
    mandatory = PeopleField(
        queryset=Person.objects.none(), required=False, help_text="Invitees who must attend."
    )


class RecordSessionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(SessionStatus.COMPLETED, "Held"), (SessionStatus.CANCELLED, "Cancelled")]
    )
    present = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Invitees not ticked are recorded absent.",
    )
    link = forms.URLField(max_length=500, required=False, label="Slides or recording")
    # Cancelling cannot be undone: it asks to be confirmed, as ending an assignment does.
    confirm_cancel = forms.BooleanField(
        required=False, label="Yes, cancel this session (this cannot be undone)"
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Person.objects.filter(
            session_invites__session=session
        ).order_by("full_name")
        self.fields["present"].label_from_instance = lambda person: person.full_name

    def clean(self):
        data = super().clean()
        confirmed = data.pop("confirm_cancel", False)  # the form's, not the service's
        if data.get("status") == SessionStatus.CANCELLED and not confirmed:
            self.add_error(
                "confirm_cancel",
                "Tick the box to confirm. Nothing was cancelled; the session stays scheduled.",
            )
        return data


class TaskForm(ScopedForm):
    project = forms.ModelChoiceField(queryset=ImprovementProject.objects.none())
    title = forms.CharField(max_length=300)
    assignee = PersonField(queryset=Person.objects.none(), required=False)
    due_date = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects.order_by("name")


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class AllocationForm(ScopedForm):
    person = PersonField(queryset=Person.objects.none())
    project = forms.ModelChoiceField(queryset=ImprovementProject.objects.none(), required=False)
    duty = forms.CharField(max_length=200, required=False, help_text="Or an operational duty.")
    percent = forms.IntegerField(min_value=1, max_value=100)
    period_start = forms.DateField(widget=DateInput())
    period_end = forms.DateField(widget=DateInput())

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects.order_by("name")


class IncidentForm(ScopedForm):
    department = DepartmentField(queryset=Department.objects.none())
    title = forms.CharField(max_length=300)
    # No default: an explicit choice, so nobody logs a SEV1 (or plays one down) by accident.
    severity = forms.ChoiceField(choices=[("", "Choose a severity…"), *Severity.choices])
    started_at = forms.DateTimeField(widget=DateTimeInput())
    handled_by = PersonField(queryset=Person.objects.none(), required=False)
    postmortem_url = forms.URLField(max_length=500, required=False, label="Post-mortem")


class ResolveForm(forms.Form):
    postmortem_url = forms.URLField(max_length=500, required=False, label="Post-mortem")


class SessionFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select)
    status = forms.ChoiceField(choices=_choices(SessionStatus.choices), required=False)


class TaskFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select)
    status = forms.ChoiceField(choices=_choices(TaskStatus.choices), required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")


class CapacityFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select)
    period_start = forms.DateField(required=False, widget=DateInput(), label="From")
    period_end = forms.DateField(required=False, widget=DateInput(), label="To")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        return data


class IncidentFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select)
    severity = forms.ChoiceField(choices=_choices(Severity.choices), required=False)
    open = forms.BooleanField(required=False, label="Open only")


class ProcessFilter(forms.Form):
    department = forms.IntegerField(required=False, widget=forms.Select, label="Involving")
