"""The role's work in the admin: sessions, improvement work, capacity, incidents."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple

from departments.admin_base import (
    AutocompleteFilter,
    ReadOnlyInline,
    ServiceAdminMixin,
    person_autocomplete,
)
from departments.models import Person
from departments.selectors import user_is_hr

from ..models import (
    Allocation,
    ImprovementProject,
    ImprovementTask,
    Incident,
    TechSession,
    TechSessionInvite,
)
from ..services import (
    allocation_remove,
    allocation_set,
    improvement_project_create,
    improvement_project_update,
    improvement_task_create,
    improvement_task_update,
    incident_record,
    incident_update,
    tech_session_schedule,
)


class InviteInline(ReadOnlyInline):
    model = TechSessionInvite
    fields = ["person", "mandatory", "attendance"]

    def get_queryset(self, request):
        # Each row shows its person and its own name ("<person> at <session>").
        return super().get_queryset(request).select_related("person", "session")


class SessionAddForm(forms.ModelForm):
    invitees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(is_active=True),
        required=False,
        widget=person_autocomplete(AutocompleteSelectMultiple),
    )
    mandatory = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(is_active=True),
        required=False,
        widget=person_autocomplete(AutocompleteSelectMultiple),
        help_text="Invitees who must attend.",
    )

    class Meta:
        model = TechSession
        fields = ["department", "topic", "presenter", "scheduled_for", "link"]


class WorkAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The role's work in the admin: saved through its services; the related rows a list
    shows are the ones picked with autocomplete, fetched with it; no full COUNT."""

    show_full_result_count = False
    # Fields fixed once the row exists: the work stays in its department, its lead's reach.
    fixed_after_create: tuple[str, ...] = ()
    # Rows recorded or replaced elsewhere, never edited here.
    created_only = False

    def get_list_select_related(self, request):
        return list(self.autocomplete_fields)

    def get_readonly_fields(self, request, obj=None):
        fixed = self.fixed_after_create if obj else ()
        return [*super().get_readonly_fields(request, obj), *fixed]

    def has_change_permission(self, request, obj=None):
        editable = obj is None or not self.created_only
        return editable and super().has_change_permission(request, obj)


@admin.register(TechSession)
class TechSessionAdmin(WorkAdmin):
    """Scheduled here or on the dashboard; recorded (held, cancelled, attendance) on the
    dashboard or through the API, so a saved session is read-only here."""

    list_display = ["topic", "department", "presenter", "status", "scheduled_for"]
    list_filter = ["status", ("department", AutocompleteFilter)]
    search_fields = ["topic"]
    autocomplete_fields = ["department", "presenter"]
    date_hierarchy = "scheduled_for"

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

    created_only = True
    create_service = staticmethod(tech_session_schedule)


@admin.register(ImprovementProject)
class ImprovementProjectAdmin(WorkAdmin):
    list_display = ["name", "department", "owner", "jira_key", "is_active"]
    list_filter = ["is_active", ("department", AutocompleteFilter)]
    search_fields = ["name", "jira_key"]
    autocomplete_fields = ["department", "owner"]

    fixed_after_create = ("department",)
    create_service = staticmethod(improvement_project_create)
    update_service = staticmethod(improvement_project_update)
    update_target = "project"


@admin.register(ImprovementTask)
class ImprovementTaskAdmin(WorkAdmin):
    list_display = ["title", "project", "assignee", "status", "due_date", "jira_issue_key"]
    list_filter = ["status", ("project__department", AutocompleteFilter)]
    search_fields = ["title", "jira_issue_key"]
    autocomplete_fields = ["project", "assignee"]
    fields = ["project", "title", "assignee", "status", "due_date", "jira_issue_key", "jira_url"]
    readonly_fields = ["jira_issue_key", "jira_url"]  # Jira's own, kept by the sync

    create_service = staticmethod(improvement_task_create)
    update_service = staticmethod(improvement_task_update)
    update_target = "task"


@admin.register(Allocation)
class AllocationAdmin(WorkAdmin):
    """Allocations are replaced, not edited: delete one and add the new share."""

    list_display = ["person", "project", "duty", "percent", "period_start", "period_end"]
    list_filter = [("person__department", AutocompleteFilter)]
    search_fields = ["person__full_name", "duty"]
    autocomplete_fields = ["person", "project"]

    created_only = True

    def has_delete_permission(self, request, obj=None):
        return user_is_hr(request.user)

    def delete_model(self, request, obj):
        allocation_remove(actor=request.user, allocation=obj)

    def delete_queryset(self, request, queryset):
        for allocation in queryset:
            allocation_remove(actor=request.user, allocation=allocation)

    create_service = staticmethod(allocation_set)


@admin.register(Incident)
class IncidentAdmin(WorkAdmin):
    list_display = ["title", "department", "severity", "started_at", "resolved_at", "handled_by"]
    list_filter = ["severity", ("department", AutocompleteFilter)]
    search_fields = ["title"]
    autocomplete_fields = ["department", "handled_by"]
    date_hierarchy = "started_at"

    fixed_after_create = ("department",)
    create_service = staticmethod(incident_record)
    update_service = staticmethod(incident_update)
    update_target = "incident"
