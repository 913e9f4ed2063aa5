"""Serializers of the organisation. Reads render; writes validate and hand to a service."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.models import LADDER_VALIDATORS, Department, Person, Track

MAX_LADDER = LADDER_VALIDATORS[1].limit_value


class OptionalURLField(serializers.URLField):
    """A URL that may be blank; allow_blank makes the schema say "a URI, or empty"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class TechLeadSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.id")
    full_name = serializers.CharField(source="person.full_name")
    assignment = serializers.IntegerField(source="id")
    since = serializers.DateTimeField(source="started_at")


class DepartmentSerializer(serializers.ModelSerializer):
    tech_lead = serializers.SerializerMethodField()
    knowledge_hub_url = OptionalURLField()

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "slug",
            "manager",
            "parent",
            "confluence_space",
            "knowledge_hub_url",
            "tech_lead",
        ]

    @extend_schema_field(TechLeadSummarySerializer(allow_null=True))
    def get_tech_lead(self, department):
        lead = self.context["lead_of"](department)
        return TechLeadSummarySerializer(lead).data if lead else None


class PersonSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(min_value=1, max_value=MAX_LADDER)
    step = serializers.IntegerField(min_value=1, max_value=MAX_LADDER, required=False)
    track = serializers.ChoiceField(choices=Track.choices)

    class Meta:
        model = Person
        fields = [
            "id",
            "employee_id",
            "full_name",
            "email",
            "department",
            "track",
            "level",
            "step",
            "is_active",
            "jira_account_id",
        ]
