from rest_framework import serializers

from departments.api.serializers import OptionalURLField, PersonSerializer
from departments.models import Department, Person
from techleads.constants import Readiness
from techleads.models import (
    EligibilityRule,
    ImprovementTask,
    SuccessorCandidate,
    TechLeadAssignment,
)


class EligibilitySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["eligible", "ineligible", "transition"])
    can_be_assigned = serializers.BooleanField()
    reason = serializers.CharField()
    rule = serializers.IntegerField(source="rule_id", allow_null=True)


class CandidateSerializer(PersonSerializer):
    eligibility = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "eligibility"]

    def get_eligibility(self, person) -> EligibilitySerializer:
        return EligibilitySerializer(self.context["verdict_of"](person)).data


class EligibilityRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = EligibilityRule
        fields = [
            "id",
            "track",
            "min_level",
            "max_level",
            "min_step",
            "max_step",
            "verdict",
            "priority",
            "explanation",
            "is_active",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechLeadAssignment
        fields = [
            "id",
            "department",
            "person",
            "started_at",
            "ended_at",
            "assigned_by",
            "reason",
            "override_reason",
            "ended_by",
            "end_reason",
        ]
        read_only_fields = fields


class AssignInputSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    reason = serializers.CharField(max_length=5000)
    override_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class HandOverInputSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), help_text="The successor."
    )
    reason = serializers.CharField(max_length=5000)
    override_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class EndInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class SuccessorSerializer(serializers.ModelSerializer):
    readiness = serializers.ChoiceField(choices=Readiness.choices)

    class Meta:
        model = SuccessorCandidate
        fields = ["id", "department", "person", "readiness", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # the service upserts (department, person)


class EscalationSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    at = serializers.DateTimeField()
    role = serializers.ChoiceField(choices=["tech_lead", "successor", "manager"], allow_null=True)
    person = PersonSerializer(allow_null=True)


class EscalationQuerySerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False)


class ImprovementTaskSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="project.department_id", read_only=True)
    jira_url = OptionalURLField(read_only=True)

    class Meta:
        model = ImprovementTask
        fields = [
            "id",
            "project",
            "department",
            "title",
            "owner",
            "assignee",
            "status",
            "due_date",
            "jira_issue_key",
            "jira_url",
            "completed_at",
            "updated_at",
        ]
        read_only_fields = fields


class JiraSyncResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    task = ImprovementTaskSerializer()
