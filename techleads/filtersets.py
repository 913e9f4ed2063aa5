"""One FilterSet per resource of the role, used by the API viewsets, the dashboard lists
(their filter forms are these FilterSets' forms) and the admin."""

import django_filters
from django.utils import timezone

from departments.filtersets import IdFilter, StrictBooleanFilter
from departments.models import Department, Person, Track
from techleads.constants import Readiness, SessionStatus, Severity, TaskStatus, VerdictChoice
from techleads.models import (
    Allocation,
    EligibilityRule,
    ImprovementProject,
    ImprovementTask,
    Incident,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
)
from techleads.selectors import allocations_overlapping, overdue


class DepartmentFilter(django_filters.FilterSet):
    manager = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    has_tech_lead = StrictBooleanFilter(method="filter_has_lead")

    class Meta:
        model = Department
        fields = ["manager", "parent", "slug"]

    def filter_has_lead(self, queryset, name, value):
        active = {"tech_lead_assignments__ended_at__isnull": True}
        if value:
            return queryset.filter(**active).distinct()
        return queryset.exclude(**active)


class PersonFilter(django_filters.FilterSet):
    track = django_filters.ChoiceFilter(choices=Track.choices)
    verdict = django_filters.ChoiceFilter(
        choices=VerdictChoice.choices, field_name="eligibility_verdict"
    )
    is_active = StrictBooleanFilter()
    active = StrictBooleanFilter(field_name="is_active", help_text="The same as is_active.")

    class Meta:
        model = Person
        fields = ["department", "track", "level", "step", "is_active", "employee_id"]


class AssignmentFilter(django_filters.FilterSet):
    active = StrictBooleanFilter(field_name="ended_at", lookup_expr="isnull")

    class Meta:
        model = TechLeadAssignment
        fields = ["department", "person", "active"]


class EligibilityRuleFilter(django_filters.FilterSet):
    class Meta:
        model = EligibilityRule
        fields = ["track", "verdict"]

    is_active = StrictBooleanFilter()


class SuccessorFilter(django_filters.FilterSet):
    readiness = django_filters.ChoiceFilter(choices=Readiness.choices)

    class Meta:
        model = SuccessorCandidate
        fields = ["department", "person", "readiness"]


class ImprovementTaskFilter(django_filters.FilterSet):
    department = IdFilter(field_name="project__department")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    overdue = StrictBooleanFilter(method="filter_overdue", help_text="Open and past due.")

    class Meta:
        model = ImprovementTask
        fields = ["project", "department", "assignee", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = overdue(queryset, today=timezone.localdate())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class TechSessionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    person = IdFilter(
        field_name="invites__person", distinct=True, help_text="Sessions this person is invited to."
    )
    scheduled_after = django_filters.IsoDateTimeFilter(
        field_name="scheduled_for", lookup_expr="gte"
    )
    scheduled_before = django_filters.IsoDateTimeFilter(
        field_name="scheduled_for", lookup_expr="lt"
    )

    class Meta:
        model = TechSession
        fields = ["department", "presenter", "status", "person"]


class ImprovementProjectFilter(django_filters.FilterSet):
    active = StrictBooleanFilter(field_name="is_active")

    class Meta:
        model = ImprovementProject
        fields = ["department", "owner", "active", "jira_key"]


class AllocationFilter(django_filters.FilterSet):
    department = IdFilter(field_name="person__department")
    on = django_filters.DateFilter(method="filter_on", help_text="Allocations covering this day.")

    class Meta:
        model = Allocation
        fields = ["person", "department", "project"]

    def filter_on(self, queryset, name, value):
        return allocations_overlapping(queryset, start=value, end=value)


class IncidentFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    open = StrictBooleanFilter(field_name="resolved_at", lookup_expr="isnull")

    class Meta:
        model = Incident
        fields = ["department", "severity", "handled_by", "open"]
