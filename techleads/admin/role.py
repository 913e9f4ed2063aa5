"""HR's role-assignment desk: the policy, assignments, hand-overs and successors."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from departments.admin_base import (
    AutocompleteFilter,
    HRAdminMixin,
    ServiceAdminMixin,
    buttons,
    person_autocomplete,
)
from departments.forms import perform_form
from departments.models import Department, Person
from departments.selectors import user_is_hr

from ..constants import ASSIGNMENT_RECORD_FIELDS, SuccessionFlag
from ..forms import EligibilityRuleDeleteForm, EligibilityRuleForm, EndForm, LeadForm
from ..models import EligibilityRule, SuccessorCandidate, TechLeadAssignment
from ..selectors import (
    annotated_flags,
    annotated_verdict,
    department_members,
    rules_by_id,
    successors_with_flags,
)
from ..services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    eligibility_rule_delete,
    eligibility_rule_save,
    successor_confirm,
    successor_nominate,
)
from .organisation import HR_ONLY


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The policy. A change that moves anyone's verdict is saved in two steps: the first
    save shows its impact (who gains, who loses, which active Tech Leads' verdicts move),
    the second saves it, confirmed when a lead is affected (EligibilityRuleForm). Removing
    a rule shows the same impact and asks the same confirmation on its own page."""

    form = EligibilityRuleForm
    change_form_template = "admin/techleads/eligibilityrule/change_form.html"
    list_display = ["priority", "track", "range_label", "verdict", "explanation", "is_active"]
    list_display_links = ["range_label"]
    list_filter = ["track", "verdict", "is_active"]
    ordering = ["priority", "id"]

    def service_save(self, request, instance, form, change):
        return eligibility_rule_save(actor=request.user, rule=instance)

    def has_delete_permission(self, request, obj=None):
        return user_is_hr(request.user)

    def get_actions(self, request):
        # No bulk delete: each removal is previewed and audited on its own.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        """Remove a rule after its impact is shown (and confirmed when a lead is affected)."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        rule = get_object_or_404(EligibilityRule, pk=object_id)
        data = request.POST if request.method == "POST" else None
        form = EligibilityRuleDeleteForm(data, rule=rule)
        if data is not None and perform_form(
            request,
            form,
            lambda _: eligibility_rule_delete(actor=request.user, rule=rule),
            lambda impact: f"Removed the rule “{rule}” ({_impact_words(impact)}).",
        ):
            return redirect("admin:techleads_eligibilityrule_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Remove the rule “{rule}”",
            "form": form,
            "rule": rule,
        }
        return TemplateResponse(request, "admin/techleads/eligibilityrule/delete.html", context)


def _impact_words(impact) -> str:
    counts = impact.counts
    return (
        f"{counts['gains']} gained, {counts['losses']} lost eligibility, "
        f"{counts['leads_affected']} active Tech Leads affected"
    )


class AssignForm(LeadForm):
    """The shared LeadForm, with the department chosen first when none is given. Both
    are picked with the admin's autocomplete, never a list of every department or
    person; the service checks the choice."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        widget=AutocompleteSelect(TechLeadAssignment._meta.get_field("department"), admin.site),
    )

    field_order = ["department", "person", "reason", "override_reason"]

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, department=department, **kwargs)
        if department is not None:
            self.fields["department"].initial = department.pk
            self.fields["department"].widget = forms.HiddenInput()
        else:
            self.fields["person"] = forms.ModelChoiceField(
                queryset=Person.objects.filter(is_active=True),
                widget=person_autocomplete(),
                help_text="Choose the department first to pick from its people.",
            )


@admin.register(TechLeadAssignment)
class TechLeadAssignmentAdmin(HRAdminMixin, admin.ModelAdmin):
    list_display = ["department", "person", "started_at", "ended_at", "assigned_by", "override"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter), ("department", AutocompleteFilter)]
    search_fields = ["person__full_name", "department__name", "reason"]
    list_select_related = ["department", "person", "assigned_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False
    readonly_fields = [*ASSIGNMENT_RECORD_FIELDS, "actions_links"]
    fields = readonly_fields

    @admin.display(description="Override", boolean=True)
    def override(self, assignment):
        return bool(assignment.override_reason)

    @admin.display(description="Actions")
    def actions_links(self, assignment):
        if assignment.ended_at is not None:
            return "Ended (history is kept)."
        return buttons(
            assignment.pk,
            ("Hand over…", "admin:techleads_techleadassignment_handover"),
            ("End…", "admin:techleads_techleadassignment_end"),
        )

    def has_change_permission(self, request, obj=None):
        return False  # assignments change only by ending or handing over

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/end/", view(self.end_view), name="techleads_techleadassignment_end"),
            path(
                "<int:pk>/hand-over/",
                view(self.hand_over_view),
                name="techleads_techleadassignment_handover",
            ),
            *super().get_urls(),
        ]

    def _render(self, request, title, form, assignment=None, department=None, candidates=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "assignment": assignment,
            "department": department,
            "candidates": candidates,
        }
        return TemplateResponse(request, "admin/techleads/role_form.html", context)

    def _candidates(self, department):
        if department is None:
            return None
        rules = rules_by_id()
        return [(p, annotated_verdict(p, rules)) for p in department_members(department=department)]

    def _done(self, request, form, perform, success, department=None):
        """A POST's form: validated, the service called (`perform(cleaned_data)`), its refusal
        shown on the form (None: the form is shown again), else its success message and a
        redirect to the department (by default the form's)."""
        if request.method == "POST" and perform_form(request, form, perform, success):
            department = department or form.cleaned_data["department"]
            return redirect("admin:departments_department_change", department.pk)
        return None

    def _logged(self, request, assignment, message, *, added=False):
        """The service's write, in the admin's Recent actions (a LogEntry); returns it."""
        log = self.log_addition if added else self.log_change
        log(request, assignment, message)
        return assignment

    def _handed_over(self, request, previous, lead):
        self.log_change(request, previous, f"Handed over to {lead.person}.")
        return self._logged(request, lead, f"Took over from {previous.person}.", added=True)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied(HR_ONLY)
        department = None
        department_id = request.GET.get("department") or request.POST.get("department")
        if department_id and str(department_id).isdigit():
            department = Department.objects.filter(pk=department_id).first()
        form = AssignForm(request.POST or None, department=department)
        done = self._done(
            request,
            form,
            lambda data: self._logged(
                request,
                assignment_create(assigned_by=request.user, **data),
                "Assigned through the role desk.",
                added=True,
            ),
            lambda lead: f"{lead.person} is now Tech Lead of {lead.department}.",
        )
        if done is not None:
            return done
        title = f"Assign a Tech Lead to {department}" if department else "Assign a Tech Lead"
        return self._render(
            request, title, form, department=department, candidates=self._candidates(department)
        )

    def end_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied(HR_ONLY)
        assignment = get_object_or_404(
            TechLeadAssignment.objects.select_related("person", "department"), pk=pk
        )
        form = EndForm(request.POST or None)
        done = self._done(
            request,
            form,
            lambda data: self._logged(
                request,
                assignment_end(assignment=assignment, ended_by=request.user, **data),
                "Ended.",
            ),
            lambda _: f"{assignment.person} is no longer Tech Lead of {assignment.department}.",
            assignment.department,
        )
        if done is not None:
            return done
        return self._render(request, f"End {assignment}", form, assignment=assignment)

    def hand_over_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied(HR_ONLY)
        assignment = get_object_or_404(
            TechLeadAssignment.objects.select_related("person", "department"), pk=pk
        )
        department = assignment.department
        form = LeadForm(request.POST or None, department=department)
        done = self._done(
            request,
            form,
            lambda data: self._handed_over(
                request,
                assignment,
                assignment_hand_over(
                    department=department, actor=request.user, successor=data.pop("person"), **data
                ),
            ),
            lambda lead: f"{assignment.person} handed over to {lead.person}.",
            department,
        )
        if done is not None:
            return done
        return self._render(
            request,
            f"Hand over {department}'s Tech Lead role",
            form,
            assignment=assignment,
            department=department,
            candidates=self._candidates(department),
        )


@admin.register(SuccessorCandidate)
class SuccessorCandidateAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Successor candidates with their rank, emergency mark, confirmation and flags.
    Nominating, changing and confirming go through the services (successor_nominate,
    successor_confirm), as on the dashboard and in the API."""

    list_display = [
        "department",
        "person",
        "readiness",
        "rank",
        "emergency",
        "confirmed_at",
        "expires_at",
        "flag_list",
    ]
    list_filter = ["readiness", "emergency", ("department", AutocompleteFilter)]
    search_fields = ["person__full_name", "department__name"]
    list_select_related = ["department", "person"]
    ordering = ["department__name", "rank", "id"]
    show_full_result_count = False
    fields = ["department", "person", "readiness", "rank", "emergency", "notes"]
    autocomplete_fields = ["department", "person"]
    actions = ["confirm"]

    def get_queryset(self, request):
        return successors_with_flags(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # Another person or department is another nomination.
        if obj is None:
            return []
        return ["department", "person", "confirmed_at", "expires_at", "flag_list"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, "confirmed_at", "expires_at", "flag_list"]

    @admin.display(description="Flags")
    def flag_list(self, candidate) -> str:
        if not hasattr(candidate, "is_flagged"):
            candidate = self.get_queryset(None).get(pk=candidate.pk)
        labels = dict(SuccessionFlag.choices)
        return "; ".join(labels[flag] for flag in annotated_flags(candidate)) or "—"

    def service_save(self, request, instance, form, change):
        data = form.cleaned_data
        return successor_nominate(
            department=instance.department if change else data["department"],
            person=instance.person if change else data["person"],
            actor=request.user,
            readiness=data["readiness"],
            notes=data.get("notes", ""),
            rank=data["rank"],
            emergency=data["emergency"],
        )

    @admin.action(description="Confirm the selected candidates (restarts their expiry)")
    def confirm(self, request, queryset):
        candidates = list(queryset.select_related("department", "person"))
        for candidate in candidates:
            successor_confirm(candidate=candidate, actor=request.user)
            self.log_change(request, candidate, "Confirmed.")
        self.message_user(request, f"Confirmed {len(candidates)} successor candidate(s).")
