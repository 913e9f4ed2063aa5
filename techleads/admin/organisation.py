"""Departments and people, shown with the Tech Lead role (eligibility, history).

Registered here, not in departments/admin.py: those pages show the role, which the
departments app may not import."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from departments.admin_base import AutocompleteFilter, ReadOnlyInline, ServiceAdminMixin
from departments.constants import PERSON_FIELDS
from departments.models import Department, Person
from departments.services import department_create, department_update, person_create, person_update

from ..filtersets import DepartmentFilter, PersonFilter
from ..models import SuccessorCandidate, TechLeadAssignment
from ..selectors import (
    annotated_verdict,
    departments_with_lead,
    lead_of,
    people_with_eligibility,
    rules_by_id,
)

HR_ONLY = "Only HR can change the Tech Lead role."


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
    fields = ["person", "readiness", "rank", "emergency", "confirmed_at", "notes"]
    verbose_name_plural = "Successor candidates (nominated in the dashboard or under Successors)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class HasLeadFilter(admin.SimpleListFilter):
    title = "Tech Lead"
    parameter_name = "has_lead"

    def lookups(self, request, model_admin):
        return [("yes", "Has a Tech Lead"), ("no", "No Tech Lead")]

    def queryset(self, request, queryset):
        # The API's and the dashboard's filter, so the three faces count the same departments.
        if self.value() in ("yes", "no"):
            value = "true" if self.value() == "yes" else "false"
            return DepartmentFilter({"has_tech_lead": value}, queryset=queryset).qs
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

    create_service = staticmethod(department_create)
    update_service = staticmethod(department_update)
    update_target = "department"


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
            return PersonFilter({"verdict": self.value()}, queryset=queryset).qs
        return queryset


@admin.register(Person)
class PersonAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "employee_id", "department", "ladder", "verdict", "is_active"]
    list_filter = ["track", "level", VerdictFilter, "is_active", ("department", AutocompleteFilter)]
    search_fields = ["full_name", "employee_id", "email"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["user"]
    list_select_related = ["department"]
    show_full_result_count = False
    fields = [*PERSON_FIELDS, "user"]

    def get_queryset(self, request):
        return people_with_eligibility(super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # A person picked in an admin form receives something (a department, a
            # document, a holding): nobody inactive holds anything (continuity's guard).
            queryset = queryset.filter(is_active=True)
        return queryset, duplicates

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

    create_service = staticmethod(person_create)
    update_service = staticmethod(person_update)
    update_target = "person"
