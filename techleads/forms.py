"""Forms that choose a Tech Lead and change the policy, shared by the admin's desk and the
dashboard."""

import hashlib
import json

from django import forms

from departments.models import Person
from departments.services import snapshot

from .constants import RULE_FIELDS, VerdictChoice
from .models import EligibilityRule
from .selectors import RulePreview, department_members, rule_change_preview


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


class ImpactReviewForm(forms.Form):
    """A policy change in two steps. The first submission of a change that changes anyone's
    verdict shows its impact (`preview`) and saves nothing; the same change submitted again
    is saved, and when it moves the verdict of an active Tech Lead only with `confirm`
    ticked. `previewed` carries which change (and which impact) was shown: any edit in
    between, or a policy changed meanwhile by someone else, is shown again first."""

    # A checkbox only once a preview shows an active Tech Lead affected (show_impact).
    confirm = forms.BooleanField(
        required=False,
        label="I have reviewed the impact on active Tech Leads",
        help_text="Needed because the change moves an active Tech Lead's verdict.",
        widget=forms.HiddenInput,
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    preview: RulePreview | None = None

    @property
    def changed_data(self):
        # The review's own fields are not part of the change (the admin's history names them).
        return [name for name in super().changed_data if name not in ("confirm", "previewed")]

    def show_impact(self, preview: RulePreview) -> None:
        self.preview = preview
        if preview.leads_affected_count:
            self.fields["confirm"].widget = forms.CheckboxInput()

    def review_impact(self, *, preview: RulePreview, change: object) -> None:
        """Ask for the second step (and the confirmation) that `preview` needs."""
        self.show_impact(preview)
        if not preview.has_impact:
            return
        seen = _fingerprint(change, preview.counts)
        if self.cleaned_data.get("previewed") != seen:
            self.data = self.data.copy()  # shown again with the fingerprint of this change
            self.data[self.add_prefix("previewed")] = seen
            self.add_error(None, "Review the impact of this change below, then save it again.")
        elif preview.leads_affected_count and not self.cleaned_data.get("confirm"):
            leads = preview.leads_affected_count
            noun = "an active Tech Lead" if leads == 1 else f"{leads} active Tech Leads"
            self.add_error("confirm", f"This change moves the verdict of {noun}: confirm it.")


def _fingerprint(change: object, counts: dict) -> str:
    text = json.dumps([change, counts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class EligibilityRuleForm(ImpactReviewForm, forms.ModelForm):
    """Create or change a policy row, after reviewing its impact."""

    class Meta:
        model = EligibilityRule
        fields = [*RULE_FIELDS, "confirm", "previewed"]

    def _post_clean(self):
        super()._post_clean()  # the row with the form's values, validated
        if self.errors:
            return
        rule = self.instance
        change = {"id": rule.pk, **snapshot(rule, RULE_FIELDS)}
        if rule.pk:
            self.review_impact(preview=rule_change_preview(update=[rule]), change=change)
        else:
            self.review_impact(preview=rule_change_preview(create=[rule]), change=change)


class EligibilityRuleDeleteForm(ImpactReviewForm):
    """Remove a policy row, after reviewing its impact."""

    def __init__(self, *args, rule: EligibilityRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        if not self.is_bound:  # the page itself shows the impact: its first step
            self.show_impact(rule_change_preview(delete=[rule.pk]))
            change = {"delete": rule.pk}
            self.initial["previewed"] = _fingerprint(change, self.preview.counts)

    def clean(self):
        cleaned = super().clean()
        preview = rule_change_preview(delete=[self.rule.pk])
        self.review_impact(preview=preview, change={"delete": self.rule.pk})
        return cleaned
