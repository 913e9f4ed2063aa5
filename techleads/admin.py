"""The admin as HR's role-assignment desk: departments, people, the policy and the role.

Every write goes through a service (departments.admin.ServiceAdminMixin), so the admin,
the API and the dashboard share one set of rules and one audit trail.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from departments.admin import HRAdminMixin, ReadOnlyInline, ServiceAdminMixin, changed_values
from departments.errors import DomainError
from departments.models import Department, Person
from departments.selectors import user_is_hr
from departments.services import (
    department_create,
    department_update,
    person_create,
    person_update,
)

from .models import (
    Allocation,
    EligibilityRule,
    ImprovementProject,
    ImprovementTask,
    Incident,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
    TechSessionInvite,
)
from .selectors import (
    annotated_verdict,
    departments_with_lead,
    lead_of,
    people_with_eligibility,
    rules_by_id,
)
from .services import (
    allocation_remove,
    allocation_set,
    assignment_create,
    assignment_end,
    assignment_hand_over,
    eligibility_rule_save,
    improvement_project_create,
    improvement_project_update,
    improvement_task_create,
    improvement_task_update,
    incident_record,
    incident_update,
    tech_session_schedule,
)

HR_ONLY = "Only HR can change the Tech Lead role."

# Departments and people -------------------------------------------------------------


class AssignmentHistoryInline(ReadOnlyInline):
    model = TechLeadAssignment
    fk_name = "department"
    fields = ["person", "started_at", "ended_at", "reason", "override_reason", "end_reason"]
    ordering = ["-started_at"]
    show_change_link = True
    verbose_name_plural = "Tech Lead history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class SuccessorInline(ReadOnlyInline):
    model = SuccessorCandidate
    fields = ["person", "readiness", "notes", "updated_at"]
    verbose_name_plural = "Successor candidates (managers nominate them in the dashboard)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class HasLeadFilter(admin.SimpleListFilter):
    title = "Tech Lead"
    parameter_name = "has_lead"

    def lookups(self, request, model_admin):
        return [("yes", "Has a Tech Lead"), ("no", "No Tech Lead")]

    def queryset(self, request, queryset):
        active = TechLeadAssignment.objects.filter(department=OuterRef("pk"), ended_at=None)
        if self.value() == "yes":
            return queryset.filter(Exists(active))
        if self.value() == "no":
            return queryset.exclude(Exists(active))
        return queryset


@admin.register(Department)
class DepartmentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "manager", "tech_lead", "parent"]
    list_filter = [HasLeadFilter]
    search_fields = ["name", "slug", "confluence_space"]
    autocomplete_fields = ["manager", "parent"]
    fields = [
        "name",
        "slug",
        "parent",
        "manager",
        "confluence_space",
        "knowledge_hub_url",
        "tech_lead_actions",
    ]
    readonly_fields = ["tech_lead_actions"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AssignmentHistoryInline, SuccessorInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return departments_with_lead(super().get_queryset(request))

    @admin.display(description="Tech Lead")
    def tech_lead(self, department):
        lead = lead_of(department)
        return lead.person if lead else "No Tech Lead"

    @admin.display(description="Tech Lead role")
    def tech_lead_actions(self, department):
        if department.pk is None:
            return "Save the department first."
        lead = lead_of(department)
        if lead is None:
            url = reverse("admin:techleads_techleadassignment_add") + f"?department={department.pk}"
            return format_html(
                'No Tech Lead. <a class="button" href="{}">Assign a Tech Lead</a>', url
            )
        return format_html(
            '{} since {}. <a class="button" href="{}">Hand over…</a> '
            '<a class="button" href="{}">End…</a>',
            lead.person,
            # format_html escapes its arguments to text first: format the date beforehand.
            f"{timezone.localtime(lead.started_at):%Y-%m-%d}",
            reverse("admin:techleads_techleadassignment_handover", args=[lead.pk]),
            reverse("admin:techleads_techleadassignment_end", args=[lead.pk]),
        )

    def service_save(self, request, instance, form, change):
        if change:
            return department_update(
                actor=request.user, department=instance, **changed_values(form)
            )
        return department_create(
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.cleaned_data},
        )


class VerdictFilter(admin.SimpleListFilter):
    title = "eligibility"
    parameter_name = "verdict"

    def lookups(self, request, model_admin):
        return [
            ("eligible", "Eligible"),
            ("ineligible", "Ineligible"),
            ("transition", "Transition"),
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(eligibility_verdict=self.value())
        return queryset


@admin.register(Person)
class PersonAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "employee_id", "department", "ladder", "verdict", "is_active"]
    list_filter = ["track", "level", VerdictFilter, "is_active", "department"]
    search_fields = ["full_name", "employee_id", "email"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["user"]
    list_select_related = ["department"]
    show_full_result_count = False
    fields = [
        "employee_id",
        "full_name",
        "email",
        "department",
        "track",
        "level",
        "step",
        "is_active",
        "user",
    ]

    def get_queryset(self, request):
        return people_with_eligibility(super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        self._rules = rules_by_id()  # one query, shared by every row's verdict
        return super().changelist_view(request, extra_context)

    @admin.display(description="Track / level / step")
    def ladder(self, person):
        return f"{person.get_track_display()} L{person.level} S{person.step}"

    @admin.display(description="Eligibility", ordering="eligibility_verdict")
    def verdict(self, person):
        verdict = annotated_verdict(person, getattr(self, "_rules", None) or rules_by_id())
        return format_html('<span title="{}">{}</span>', verdict.reason, verdict.verdict)

    def service_save(self, request, instance, form, change):
        if change:
            return person_update(actor=request.user, person=instance, **changed_values(form))
        return person_create(actor=request.user, **form.cleaned_data)


# The policy -------------------------------------------------------------------------


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["priority", "track", "range_label", "verdict", "explanation", "is_active"]
    list_display_links = ["range_label"]
    list_filter = ["track", "verdict", "is_active"]
    ordering = ["priority", "id"]

    def service_save(self, request, instance, form, change):
        return eligibility_rule_save(actor=request.user, rule=instance)


# The role ---------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    """People labelled with their verdict, so HR sees eligibility while choosing."""

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules or {}

    def label_from_instance(self, person):
        verdict = annotated_verdict(person, self.rules)
        return f"{person.full_name} — {verdict.verdict}: {verdict.reason}"


class NewLeadForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only to assign someone whose verdict does not allow it: say why. Recorded.",
    )

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department
        if department is not None:
            people = people_with_eligibility(
                Person.objects.filter(department=department, is_active=True)
            ).order_by("full_name")
            self.fields["person"] = PersonChoiceField(queryset=people, rules=rules_by_id())


class AssignForm(NewLeadForm):
    department = forms.ModelChoiceField(queryset=Department.objects.order_by("name"))

    field_order = ["department", "person", "reason", "override_reason"]

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, department=department, **kwargs)
        if department is not None:
            self.fields["department"].initial = department.pk
            self.fields["department"].widget = forms.HiddenInput()
        else:
            self.fields["person"] = forms.ModelChoiceField(
                queryset=Person.objects.filter(is_active=True),
                widget=forms.TextInput(attrs={"placeholder": "Person id"}),
                help_text="Choose the department first to pick from its people.",
            )


class EndForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(TechLeadAssignment)
class TechLeadAssignmentAdmin(HRAdminMixin, admin.ModelAdmin):
    list_display = ["department", "person", "started_at", "ended_at", "assigned_by", "override"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter), "department"]
    search_fields = ["person__full_name", "department__name", "reason"]
    list_select_related = ["department", "person", "assigned_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False
    readonly_fields = [
        "department",
        "person",
        "started_at",
        "ended_at",
        "assigned_by",
        "reason",
        "override_reason",
        "ended_by",
        "end_reason",
        "actions_links",
    ]
    fields = readonly_fields

    @admin.display(description="Override", boolean=True)
    def override(self, assignment):
        return bool(assignment.override_reason)

    @admin.display(description="Actions")
    def actions_links(self, assignment):
        if assignment.ended_at is not None:
            return "Ended (history is kept)."
        return format_html(
            '<a class="button" href="{}">Hand over…</a> <a class="button" href="{}">End…</a>',
            reverse("admin:techleads_techleadassignment_handover", args=[assignment.pk]),
            reverse("admin:techleads_techleadassignment_end", args=[assignment.pk]),
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
        people = people_with_eligibility(
            Person.objects.filter(department=department, is_active=True)
        ).order_by("full_name")
        return [(p, annotated_verdict(p, rules)) for p in people]

    def _done(self, request, message, department):
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:departments_department_change", department.pk)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied(HR_ONLY)
        department = None
        department_id = request.GET.get("department") or request.POST.get("department")
        if department_id and str(department_id).isdigit():
            department = Department.objects.filter(pk=department_id).first()
        form = AssignForm(request.POST or None, department=department)
        if request.method == "POST" and form.is_valid():
            try:
                lead = assignment_create(
                    department=form.cleaned_data["department"],
                    person=form.cleaned_data["person"],
                    assigned_by=request.user,
                    reason=form.cleaned_data["reason"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return self._done(
                    request,
                    f"{lead.person} is now Tech Lead of {lead.department}.",
                    lead.department,
                )
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
        if request.method == "POST" and form.is_valid():
            try:
                assignment_end(
                    assignment=assignment, ended_by=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return self._done(
                    request,
                    f"{assignment.person} is no longer Tech Lead of {assignment.department}.",
                    assignment.department,
                )
        return self._render(request, f"End {assignment}", form, assignment=assignment)

    def hand_over_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied(HR_ONLY)
        assignment = get_object_or_404(
            TechLeadAssignment.objects.select_related("person", "department"), pk=pk
        )
        department = assignment.department
        form = NewLeadForm(request.POST or None, department=department)
        if request.method == "POST" and form.is_valid():
            try:
                lead = assignment_hand_over(
                    department=department,
                    successor=form.cleaned_data["person"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return self._done(
                    request, f"{assignment.person} handed over to {lead.person}.", department
                )
        return self._render(
            request,
            f"Hand over {department}'s Tech Lead role",
            form,
            assignment=assignment,
            department=department,
            candidates=self._candidates(department),
        )


@admin.register(SuccessorCandidate)
class SuccessorCandidateAdmin(HRAdminMixin, admin.ModelAdmin):
    list_display = ["department", "person", "readiness", "updated_at"]
    list_filter = ["readiness", "department"]
    search_fields = ["person__full_name", "department__name"]
    list_select_related = ["department", "person"]
    readonly_fields = ["department", "person", "readiness", "notes", "nominated_by"]

    def has_add_permission(self, request, *args):
        return False  # nominated by managers (dashboard, API) through successor_nominate

    def has_change_permission(self, request, obj=None):
        return False


# The rest of the role's work: every save through its service (role check, validation,
# audit), as in the API and the dashboard. -----------------------------------------------


class InviteInline(ReadOnlyInline):
    model = TechSessionInvite
    fields = ["person", "mandatory", "attendance"]


class SessionAddForm(forms.ModelForm):
    invitees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(is_active=True), required=False
    )
    mandatory = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(is_active=True),
        required=False,
        help_text="Invitees who must attend.",
    )

    class Meta:
        model = TechSession
        fields = ["department", "topic", "presenter", "scheduled_for", "link"]


@admin.register(TechSession)
class TechSessionAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Scheduled here or on the dashboard; recorded (held, cancelled, attendance) on the
    dashboard or through the API, so a saved session is read-only here."""

    list_display = ["topic", "department", "presenter", "status", "scheduled_for"]
    list_filter = ["status", "department"]
    search_fields = ["topic"]
    list_select_related = ["department", "presenter"]
    autocomplete_fields = ["department", "presenter"]
    date_hierarchy = "scheduled_for"
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = SessionAddForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return [InviteInline] if obj else []

    def get_readonly_fields(self, request, obj=None):
        return (
            ["department", "topic", "presenter", "status", "scheduled_for", "link"] if obj else []
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def service_save(self, request, instance, form, change):
        return tech_session_schedule(actor=request.user, **form.cleaned_data)


@admin.register(ImprovementProject)
class ImprovementProjectAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "department", "owner", "jira_key", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "jira_key"]
    list_select_related = ["department", "owner"]
    autocomplete_fields = ["department", "owner"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["department"] if obj else []

    def service_save(self, request, instance, form, change):
        if change:
            return improvement_project_update(
                actor=request.user, project=instance, **changed_values(form)
            )
        return improvement_project_create(actor=request.user, **form.cleaned_data)


@admin.register(ImprovementTask)
class ImprovementTaskAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["title", "project", "assignee", "status", "due_date", "jira_issue_key"]
    list_filter = ["status", "project__department"]
    search_fields = ["title", "jira_issue_key"]
    list_select_related = ["project", "assignee"]
    autocomplete_fields = ["project", "assignee"]
    fields = ["project", "title", "assignee", "status", "due_date", "jira_issue_key", "jira_url"]
    readonly_fields = ["jira_issue_key", "jira_url"]  # Jira's own, kept by the sync
    show_full_result_count = False

    def service_save(self, request, instance, form, change):
        if change:
            return improvement_task_update(
                actor=request.user, task=instance, **changed_values(form)
            )
        return improvement_task_create(actor=request.user, **form.cleaned_data)


@admin.register(Allocation)
class AllocationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Allocations are replaced, not edited: delete one and add the new share."""

    list_display = ["person", "project", "duty", "percent", "period_start", "period_end"]
    list_filter = ["person__department"]
    search_fields = ["person__full_name", "duty"]
    list_select_related = ["person", "project"]
    autocomplete_fields = ["person", "project"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return user_is_hr(request.user)

    def delete_model(self, request, obj):
        allocation_remove(actor=request.user, allocation=obj)

    def delete_queryset(self, request, queryset):
        for allocation in queryset:
            allocation_remove(actor=request.user, allocation=allocation)

    def service_save(self, request, instance, form, change):
        return allocation_set(actor=request.user, **form.cleaned_data)


@admin.register(Incident)
class IncidentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["title", "department", "severity", "started_at", "resolved_at", "handled_by"]
    list_filter = ["severity", "department"]
    search_fields = ["title"]
    list_select_related = ["department", "handled_by"]
    autocomplete_fields = ["department", "handled_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["department"] if obj else []

    def service_save(self, request, instance, form, change):
        if change:
            return incident_update(actor=request.user, incident=instance, **changed_values(form))
        return incident_record(actor=request.user, **form.cleaned_data)
