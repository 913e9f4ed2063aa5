"""One FilterSet per resource of the role, used by the API viewsets, the dashboard lists
(their filter forms are these FilterSets' forms) and the admin."""

import django_filters

from departments.filtersets import (
    DepartmentRefFilter,
    FilterSet,
    IdFilter,
    SearchFilter,
    StrictBooleanFilter,
    WholeNumberFilter,
)
from departments.models import Department, Person, Track
from techleads.constants import (
    Readiness,
    SessionStatus,
    Severity,
    SuccessionRisk,
    TaskStatus,
    VerdictChoice,
)
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
from techleads.selectors import allocations_overlapping, has_active_lead, overdue


class DepartmentFilter(FilterSet):
    parent = DepartmentRefFilter()
    search = SearchFilter(fields=["name", "slug", "confluence_space"])
    manager = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    has_tech_lead = StrictBooleanFilter(method="filter_has_lead", label="Tech Lead")

    class Meta:
        model = Department
        fields = ["search", "manager", "parent", "slug", "has_tech_lead"]

    def filter_has_lead(self, queryset, name, value):
        return queryset.filter(has_active_lead() if value else ~has_active_lead())


class PersonFilter(FilterSet):
    department = DepartmentRefFilter()
    search = SearchFilter(fields=["full_name", "employee_id", "email"])
    level = WholeNumberFilter(min_value=1, max_value=20)
    step = WholeNumberFilter(min_value=1, max_value=20)
    track = django_filters.ChoiceFilter(choices=Track.choices)
    verdict = django_filters.ChoiceFilter(
        choices=VerdictChoice.choices, field_name="eligibility_verdict"
    )
    is_active = StrictBooleanFilter()
    active = StrictBooleanFilter(field_name="is_active", help_text="The same as is_active.")

    class Meta:
        model = Person
        fields = ["search", "department", "track", "level", "step", "is_active", "employee_id"]


class AssignmentFilter(FilterSet):
    department = DepartmentRefFilter()
    active = StrictBooleanFilter(field_name="ended_at", lookup_expr="isnull")

    class Meta:
        model = TechLeadAssignment
        fields = ["department", "person", "active"]


class EligibilityRuleFilter(FilterSet):
    class Meta:
        model = EligibilityRule
        fields = ["track", "verdict"]

    is_active = StrictBooleanFilter()


class SuccessorFilter(FilterSet):
    department = DepartmentRefFilter()
    readiness = django_filters.ChoiceFilter(choices=Readiness.choices)
    emergency = StrictBooleanFilter()
    flagged = StrictBooleanFilter(
        field_name="is_flagged", label="Flagged", help_text="Candidates with at least one flag."
    )

    class Meta:
        model = SuccessorCandidate
        fields = ["department", "person", "readiness", "emergency", "flagged"]


class SuccessionFilter(FilterSet):
    """Departments annotated by selectors.departments_with_risk (API and succession page)."""

    risk = django_filters.ChoiceFilter(
        choices=SuccessionRisk.choices, field_name="succession_risk", label="Risk"
    )

    class Meta:
        model = Department
        fields = ["risk"]


class ImprovementTaskFilter(FilterSet):
    search = SearchFilter(fields=["title", "jira_issue_key"])
    department = DepartmentRefFilter(field_name="project__department")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    overdue = StrictBooleanFilter(
        method="filter_overdue", label="Overdue", help_text="Open and past due."
    )

    class Meta:
        model = ImprovementTask
        fields = ["search", "project", "department", "assignee", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return overdue(queryset, late=value)


class TechSessionFilter(FilterSet):
    department = DepartmentRefFilter()
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


class ImprovementProjectFilter(FilterSet):
    department = DepartmentRefFilter()
    search = SearchFilter(fields=["name", "jira_key"])
    active = StrictBooleanFilter(field_name="is_active")

    class Meta:
        model = ImprovementProject
        fields = ["search", "department", "owner", "active", "jira_key"]


class AllocationFilter(FilterSet):
    department = DepartmentRefFilter(field_name="person__department")
    on = django_filters.DateFilter(method="filter_on", help_text="Allocations covering this day.")

    class Meta:
        model = Allocation
        fields = ["person", "department", "project"]

    def filter_on(self, queryset, name, value):
        return allocations_overlapping(queryset, start=value, end=value)


class IncidentFilter(FilterSet):
    department = DepartmentRefFilter()
    search = SearchFilter(fields=["title"])
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    open = StrictBooleanFilter(field_name="resolved_at", lookup_expr="isnull", label="Open")

    class Meta:
        model = Incident
        fields = ["search", "department", "severity", "handled_by", "open"]
