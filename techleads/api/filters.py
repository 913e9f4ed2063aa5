import django_filters

from departments.api.filters import StrictBooleanFilter
from departments.models import Department, Person, Track
from techleads.constants import Readiness, TaskStatus, VerdictChoice
from techleads.models import (
    EligibilityRule,
    ImprovementTask,
    SuccessorCandidate,
    TechLeadAssignment,
)


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
    department = django_filters.NumberFilter(field_name="project__department")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)

    class Meta:
        model = ImprovementTask
        fields = ["project", "department", "assignee", "status"]
