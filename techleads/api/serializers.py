from types import SimpleNamespace

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.api.fields import DepartmentRefField
from departments.api.serializers import LeanRepresentation, OptionalURLField, PersonSerializer
from departments.models import Department, Person
from techleads.constants import (
    ASSIGNMENT_RECORD_FIELDS,
    RULE_FIELDS,
    Readiness,
    SessionStatus,
    Severity,
    SuccessionFlag,
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
    TechSessionInvite,
)
from techleads.selectors import annotated_flags, lead_of

ACTIVE_PEOPLE = Person.objects.filter(is_active=True)


# A department's record of the role's work (a tech session, an improvement project, an
# incident): `created_at` is read-only, and its person (`Meta.person_field`) is one of the
# active people. (A comment, not a docstring: the API schema would describe each with it.)
class DepartmentRecordSerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        person = self.Meta.person_field
        return {
            **extra,
            "created_at": {**extra.get("created_at", {}), "read_only": True},
            person: {**extra.get(person, {}), "queryset": ACTIVE_PEOPLE},
        }


class TechLeadSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.id")
    full_name = serializers.CharField(source="person.full_name")
    assignment = serializers.IntegerField(source="id")
    since = serializers.DateTimeField(source="started_at")


def lead_summary(serializer, department) -> dict | None:
    """The department's active lead as TechLeadSummarySerializer renders it, or None, by
    one summary serializer per response (kept on `serializer`), not one per department:
    a serializer builds its fields again on each instantiation. A department of
    departments_with_lead_columns carries its lead as columns; others are read by
    `lead_of`."""
    if hasattr(department, "lead_assignment_id"):
        if department.lead_assignment_id is None:
            return None
        # The assignment's attributes the summary reads, from the columns.
        lead = SimpleNamespace(
            id=department.lead_assignment_id,
            started_at=department.lead_since,
            person=SimpleNamespace(
                id=department.lead_person_id, full_name=department.lead_full_name
            ),
        )
    else:
        lead = lead_of(department)
    if lead is None:
        return None
    summary = serializer.__dict__.get("_lead_summary")
    if summary is None:
        summary = serializer._lead_summary = TechLeadSummarySerializer()
    return summary.to_representation(lead)


class DepartmentSerializer(LeanRepresentation, serializers.ModelSerializer):
    """A department with its active Tech Lead. It lives here, not in departments, because
    the lead is the role's: read from the columns of departments_with_lead_columns (as
    the departments/ endpoints give them), from the prefetch of departments_with_lead,
    or, for a plain department, looked up (one query)."""

    parent = DepartmentRefField(allow_null=True, required=False)
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
        return lead_summary(self, department)


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
        fields = ["id", *RULE_FIELDS]


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechLeadAssignment
        fields = ["id", *ASSIGNMENT_RECORD_FIELDS]
        read_only_fields = fields


class AssignInputSerializer(serializers.Serializer):
    department = DepartmentRefField()
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
    """`department` and `person` name the nomination: set on create, fixed afterwards (an
    update changes readiness and notes; another person is another nomination)."""

    department = DepartmentRefField(help_text="Fixed once nominated.")
    readiness = serializers.ChoiceField(choices=Readiness.choices)
    expires_at = serializers.DateTimeField(
        read_only=True, help_text="confirmed_at + SUCCESSION_CONFIRMATION_DAYS."
    )
    flags = serializers.SerializerMethodField(
        help_text="Why the candidate is not ready whatever its readiness says, in this order: "
        "expired, inactive, ineligible, transition, leads_elsewhere."
    )

    class Meta:
        model = SuccessorCandidate
        fields = [
            "id",
            "department",
            "person",
            "readiness",
            "rank",
            "emergency",
            "notes",
            "confirmed_at",
            "expires_at",
            "flags",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["confirmed_at", "created_at", "updated_at"]
        extra_kwargs = {
            "person": {"help_text": "Fixed once nominated: nominate another person instead."},
            "rank": {"min_value": 1, "max_value": 1000},
            "emergency": {
                "help_text": "Who steps in if the lead leaves tomorrow: marking another "
                "candidate of the department moves the mark."
            },
        }
        validators = []  # the service upserts (department, person)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(SuccessionFlag)))
    def get_flags(self, candidate) -> list[str]:
        return annotated_flags(candidate)

    def _stays(self, value, field: str):
        if self.instance is not None and getattr(self.instance, f"{field}_id") != value.pk:
            raise serializers.ValidationError("Nominate the new candidate instead; this one stays.")
        return value

    def validate_department(self, value):
        return self._stays(value, "department")

    def validate_person(self, value):
        return self._stays(value, "person")


class SuccessionSerializer(serializers.Serializer):
    """A department's succession (selectors.succession_rows)."""

    department = serializers.IntegerField(source="pk")
    tech_lead = serializers.SerializerMethodField()
    lead_verdict = serializers.ChoiceField(
        source="succession_lead_verdict",
        choices=VerdictChoice.choices,
        allow_null=True,
        help_text="The lead's verdict; null when leadless.",
    )
    ready_now = serializers.IntegerField(
        source="succession_ready_now", help_text="Ready-now candidates without flags."
    )
    emergency = serializers.IntegerField(
        source="succession_emergency_id",
        allow_null=True,
        help_text="The emergency successor's person id.",
    )
    flagged = serializers.SerializerMethodField(
        help_text="The ids of the department's successor candidates with a flag."
    )
    risk = serializers.ChoiceField(source="succession_risk", choices=SuccessionRisk.choices)

    @extend_schema_field(TechLeadSummarySerializer(allow_null=True))
    def get_tech_lead(self, department):
        return lead_summary(self, department)

    def get_flagged(self, department) -> list[int]:
        return [candidate.pk for candidate in department.flagged_candidates]


class EscalationSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    at = serializers.DateTimeField()
    role = serializers.ChoiceField(choices=["tech_lead", "successor", "manager"], allow_null=True)
    person = PersonSerializer(allow_null=True)


class EscalationQuerySerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False)


class ImprovementTaskSerializer(serializers.ModelSerializer):
    """Writable fields go to improvement_task_create/update; Jira-synced ones are read-only."""

    department = serializers.IntegerField(source="project.department_id", read_only=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    jira_url = OptionalURLField(read_only=True)
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, task) -> bool:
        return task.is_overdue(timezone.localdate())

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
            "overdue",
            "completed_at",
            "updated_at",
        ]
        read_only_fields = ["owner", "jira_issue_key", "completed_at", "updated_at"]
        extra_kwargs = {"assignee": {"queryset": ACTIVE_PEOPLE}}


class JiraSyncResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["created", "updated", "unchanged", "ignored"])
    task = ImprovementTaskSerializer(allow_null=True)


class TechSessionInviteSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = TechSessionInvite
        fields = ["person", "full_name", "mandatory", "attendance"]
        read_only_fields = fields


class TechSessionSerializer(DepartmentRecordSerializer):
    """Created by tech_session_schedule (with `invitees` and `mandatory` person ids)."""

    department = DepartmentRefField()
    status = serializers.ChoiceField(choices=SessionStatus.choices, read_only=True)
    link = OptionalURLField(help_text="Recording or slides.")
    invites = TechSessionInviteSerializer(many=True, read_only=True)
    invitees = serializers.PrimaryKeyRelatedField(
        queryset=ACTIVE_PEOPLE, many=True, write_only=True, required=False
    )
    mandatory = serializers.PrimaryKeyRelatedField(
        queryset=ACTIVE_PEOPLE,
        many=True,
        write_only=True,
        required=False,
        help_text="Invitees who must attend.",
    )

    class Meta:
        model = TechSession
        fields = [
            "id",
            "department",
            "topic",
            "presenter",
            "status",
            "scheduled_for",
            "link",
            "invites",
            "invitees",
            "mandatory",
            "created_at",
        ]
        person_field = "presenter"


class TechSessionRecordSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[SessionStatus.COMPLETED, SessionStatus.CANCELLED],
        help_text="completed or cancelled.",
    )
    present = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        help_text="Invitees who attended; the other invitees are marked absent.",
    )
    link = OptionalURLField(help_text="Recording or slides (keeps the current one if blank).")


class ImprovementProjectSerializer(DepartmentRecordSerializer):
    department = DepartmentRefField()
    open_tasks = serializers.IntegerField(read_only=True)
    overdue_tasks = serializers.IntegerField(read_only=True)
    done_tasks = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImprovementProject
        fields = [
            "id",
            "department",
            "name",
            "description",
            "owner",
            "jira_key",
            "is_active",
            "open_tasks",
            "overdue_tasks",
            "done_tasks",
            "created_at",
        ]
        person_field = "owner"
        extra_kwargs = {
            "owner": {"help_text": "Default: the acting Tech Lead."},
            "jira_key": {"help_text": "The Jira project key that Jira payloads name."},
        }
        validators = []  # the service validates the unique Jira key and reports its field


class AllocationSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="person.department_id", read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "person",
            "department",
            "project",
            "duty",
            "percent",
            "period_start",
            "period_end",
        ]
        extra_kwargs = {
            "percent": {"min_value": 1, "max_value": 100},
            "duty": {"help_text": "An operational duty (when there is no project)."},
        }


class CapacitySerializer(serializers.Serializer):
    person = serializers.IntegerField(source="id")
    full_name = serializers.CharField()
    allocated_percent = serializers.IntegerField(
        help_text="The peak: the highest sum of the allocations covering one day of the period."
    )
    unallocated_percent = serializers.IntegerField(help_text="What the peak leaves below 100.")
    over_allocated = serializers.BooleanField(help_text="Above 100% on some day.")
    under_allocated = serializers.BooleanField()


class CapacityQuerySerializer(serializers.Serializer):
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)

    def validate(self, data):
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"period_end": "The period cannot end before it starts."}
            )
        return data


class IncidentSerializer(DepartmentRecordSerializer):
    department = DepartmentRefField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    postmortem_url = OptionalURLField()
    is_open = serializers.SerializerMethodField()

    def get_is_open(self, incident) -> bool:
        return incident.resolved_at is None

    class Meta:
        model = Incident
        fields = [
            "id",
            "department",
            "title",
            "severity",
            "started_at",
            "resolved_at",
            "handled_by",
            "postmortem_url",
            "is_open",
            "created_at",
        ]
        person_field = "handled_by"
