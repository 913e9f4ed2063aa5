"""Inputs and outputs of the continuity endpoints (DESIGN.md, "Holdings and transfer")."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from departments.api.serializers import PersonRowSerializer, PersonSerializer
from departments.models import Person
from techleads.api.serializers import HandOverInputSerializer

from ..constants import HoldingType


class HoldingSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=HoldingType.choices)
    id = serializers.IntegerField(help_text="The item's id (the assignment's for tech_lead).")
    label = serializers.CharField()
    department = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(help_text="The item in the API.")


class HoldingsSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    items = HoldingSerializer(many=True)


class OrphanSerializer(HoldingSerializer):
    holder = serializers.IntegerField(help_text="The inactive person who holds it.")


class MovedSerializer(HoldingSerializer):
    to = serializers.IntegerField(
        allow_null=True, help_text="The new holder (null: a successor nomination, withdrawn)."
    )


class TransferResultSerializer(serializers.Serializer):
    moved = MovedSerializer(many=True)
    count = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class TransferItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=HoldingType.choices)
    id = serializers.IntegerField()
    to = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, help_text="This item's receiver."
    )


class TransferInputSerializer(serializers.Serializer):
    to = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text="The receiver (an active person); optional when every item names its own.",
    )
    reason = serializers.CharField(max_length=5000)
    items = TransferItemSerializer(
        many=True, required=False, allow_empty=False, help_text="Default: every item."
    )
    dry_run = serializers.BooleanField(default=False)
    override_reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="For an ineligible receiver of the tech_lead item (HR's override).",
    )

    def validate_items(self, items):
        named = [(item["type"], item["id"]) for item in items]
        twice = sorted({f"{kind} {pk}" for kind, pk in named if named.count((kind, pk)) > 1})
        if twice:
            raise serializers.ValidationError(f"Each item once: {', '.join(twice)} is named twice.")
        return items


# A change of a person (PUT, PATCH) also takes `transfer_to`; answers stay `Person`.
@extend_schema_serializer(component_name="PersonChange")
class GuardedPersonSerializer(PersonSerializer):
    """`people/` with `transfer_to` on a change: who receives the person's holdings when
    the change would leave them without a holder."""

    transfer_to = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        write_only=True,
        help_text=(
            "A person id. Deactivating someone who holds anything, or moving a Tech Lead to "
            "another department, transfers their holdings to this person first."
        ),
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "transfer_to"]


# The bulk upsert's row keeps its component name (`PersonRowRequest`), with `transfer_to`.
@extend_schema_serializer(component_name="PersonRow")
class GuardedPersonRowSerializer(PersonRowSerializer):
    transfer_to = serializers.CharField(
        required=False,
        help_text=(
            "The employee_id of who receives this person's holdings when the row deactivates "
            "them or moves a Tech Lead to another department."
        ),
    )


class TransferHandOverInputSerializer(HandOverInputSerializer):
    transfer = serializers.BooleanField(
        default=False,
        help_text="Also move the outgoing lead's holdings in this department to the successor.",
    )
