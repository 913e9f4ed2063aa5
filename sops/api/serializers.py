from rest_framework import serializers

from departments.api.fields import DepartmentRefField
from departments.api.serializers import LeanRepresentation, OptionalURLField
from sops.constants import (
    DOCUMENT_DERIVED_FIELDS,
    DOCUMENT_EDIT_FIELDS,
    MAX_REVIEW_INTERVAL_DAYS,
    DocumentKind,
    ReviewOutcome,
)
from sops.models import Document, DocumentReview, ProcessAcknowledgement


class DocumentSerializer(LeanRepresentation, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    url = OptionalURLField()
    review_interval_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_REVIEW_INTERVAL_DAYS,
        required=False,
        help_text="Default: the department's policy for the kind, else the kind's default.",
    )
    department = DepartmentRefField()
    involved_departments = DepartmentRefField(many=True, required=False)

    class Meta:
        model = Document
        fields = ["id", *DOCUMENT_EDIT_FIELDS, *DOCUMENT_DERIVED_FIELDS, "involved_departments"]
        read_only_fields = DOCUMENT_DERIVED_FIELDS


class ReviewSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    material = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An update that changes what people must do: asks for acknowledgement again.",
    )

    class Meta:
        model = DocumentReview
        fields = ["id", "document", "outcome", "material", "notes", "reviewer", "reviewed_at"]
        read_only_fields = ["document", "reviewer", "reviewed_at"]


class AcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessAcknowledgement
        fields = ["id", "document", "person", "version", "acknowledged_at"]
        read_only_fields = fields


class DepartmentCoverageSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department_id")
    name = serializers.CharField(source="department.name")
    people = serializers.IntegerField(help_text="Active people of the department.")
    acknowledged = serializers.IntegerField(help_text="Of them, acknowledged this version.")
    coverage = serializers.SerializerMethodField(help_text="acknowledged / people, or null.")

    def get_coverage(self, row) -> float | None:
        return round(row.acknowledged / row.people, 4) if row.people else None


class CoverageSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    version = serializers.IntegerField()
    departments = DepartmentCoverageSerializer(many=True)
