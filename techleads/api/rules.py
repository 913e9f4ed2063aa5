"""The eligibility policy (API v1): everyone reads it, HR changes it and previews a change.

`POST eligibility-rules/preview/` takes rules to create, update and delete and answers who
the change would make assignable (gains), who would stop being assignable (losses) and
which active Tech Leads' verdicts would move, computed in SQL over the active people; it
writes nothing. A saved change's audit entry holds the same counts (services/policy.py).
"""

import copy

from django.core.exceptions import ValidationError as ModelValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.permissions import HRWritesOthersRead, IsHR
from departments.api.viewsets import GenericViewSet
from techleads import filtersets
from techleads.constants import RULE_FIELDS, VerdictChoice
from techleads.models import EligibilityRule
from techleads.selectors import rule_change_preview
from techleads.services import eligibility_rule_delete, eligibility_rule_save

from .serializers import EligibilityRuleSerializer

CHANGES = ("create", "update", "delete")


class RuleCreateSerializer(serializers.ModelSerializer):
    """A rule the change adds (the fields of `eligibility-rules/`)."""

    class Meta:
        model = EligibilityRule
        fields = list(RULE_FIELDS)


class RuleUpdateSerializer(serializers.ModelSerializer):
    """A rule the change alters: its `id` and the fields that change."""

    id = serializers.IntegerField(help_text="The rule to change.")

    class Meta:
        model = EligibilityRule
        fields = ["id", *RULE_FIELDS]
        extra_kwargs = {name: {"required": False} for name in RULE_FIELDS}


class RulePreviewInputSerializer(serializers.Serializer):
    """A policy change: rules to create, to update (by id) and to delete (ids). Each rule
    is validated as a save would validate it (ranges, bounds); unknown ids are errors."""

    create = RuleCreateSerializer(many=True, required=False)
    update = RuleUpdateSerializer(many=True, required=False)
    delete = serializers.ListField(child=serializers.IntegerField(), required=False)

    def to_internal_value(self, data):
        # A misspelt key would otherwise preview "no change": refuse it instead.
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(CHANGES))):
            expected = "Unknown field; expected create, update or delete."
            raise serializers.ValidationError({name: [expected] for name in unknown})
        return super().to_internal_value(data)

    def validate(self, attrs):
        """The change as rows: new rules, changed copies of stored ones, ids to delete.
        Errors are keyed by the item's index, as DRF keys a list's item errors."""
        rules: dict[int, EligibilityRule] = self.context["rules"]
        errors: dict[str, dict[str, object]] = {name: {} for name in CHANGES}
        create = [EligibilityRule(**fields) for fields in attrs.get("create", [])]
        for index, rule in enumerate(create):
            if problems := _model_errors(rule):
                errors["create"][str(index)] = problems
        update: list[EligibilityRule] = []
        for index, item in enumerate(attrs.get("update", [])):
            fields = dict(item)
            pk = fields.pop("id")
            if pk not in rules:
                errors["update"][str(index)] = {"id": [f"No eligibility rule with id {pk}."]}
            elif any(rule.pk == pk for rule in update):
                errors["update"][str(index)] = {"id": [f"Rule {pk} is changed twice."]}
            else:
                rule = copy.copy(rules[pk])
                for name, value in fields.items():
                    setattr(rule, name, value)
                update.append(rule)
                if problems := _model_errors(rule):
                    errors["update"][str(index)] = problems
        delete = attrs.get("delete", [])
        for index, pk in enumerate(delete):
            if pk not in rules:
                errors["delete"][str(index)] = [f"No eligibility rule with id {pk}."]
            elif any(rule.pk == pk for rule in update):
                errors["delete"][str(index)] = [f"Rule {pk} is both updated and deleted."]
        if errors := {name: found for name, found in errors.items() if found}:
            raise serializers.ValidationError(errors)
        return {"create": create, "update": update, "delete": list(dict.fromkeys(delete))}


def _model_errors(rule: EligibilityRule) -> dict[str, list[str]]:
    """The rule's validation errors as a save would raise them (empty when valid)."""
    try:
        rule.full_clean()
    except ModelValidationError as exc:
        return {
            "non_field_errors" if name == "__all__" else name: messages
            for name, messages in exc.message_dict.items()
        }
    return {}


class PreviewCountsSerializer(serializers.Serializer):
    gains = serializers.IntegerField()
    losses = serializers.IntegerField()
    leads_affected = serializers.IntegerField()


# "from" is a Python keyword: the serializer is built from a dict of fields.
LeadAffectedSerializer = type(
    "LeadAffectedSerializer",
    (serializers.Serializer,),
    {
        "department": serializers.IntegerField(),
        "person": serializers.IntegerField(help_text="The active Tech Lead."),
        "from": serializers.ChoiceField(choices=VerdictChoice.choices),
        "to": serializers.ChoiceField(choices=VerdictChoice.choices),
    },
)


class RulePreviewSerializer(serializers.Serializer):
    counts = PreviewCountsSerializer(help_text="Exact counts.")
    gains = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="People who become assignable (ids, at most 500).",
    )
    losses = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="People who stop being assignable (ids, at most 500).",
    )
    leads_affected = LeadAffectedSerializer(
        many=True, help_text="Active Tech Leads whose verdict changes (at most 500)."
    )


PREVIEW_EXAMPLES = [
    OpenApiExample(
        "Raise the IC threshold to Level 4",
        value={"update": [{"id": 1, "min_level": 4}]},
        request_only=True,
    ),
    OpenApiExample(
        "Add a rule and retire another",
        value={
            "create": [
                {
                    "track": "ic",
                    "min_level": 2,
                    "max_level": 2,
                    "verdict": "eligible",
                    "priority": 5,
                    "explanation": "Level 2 ICs can lead small teams",
                }
            ],
            "delete": [4],
        },
        request_only=True,
    ),
    OpenApiExample(
        "Impact",
        value={
            "counts": {"gains": 0, "losses": 12, "leads_affected": 1},
            "gains": [],
            "losses": [31, 45, 46, 52, 60, 71, 72, 80, 93, 101, 118, 120],
            "leads_affected": [
                {"department": 3, "person": 45, "from": "eligible", "to": "ineligible"}
            ],
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Invalid change (400)",
        value={
            "update": {"0": {"id": ["No eligibility rule with id 99."]}},
            "create": {
                "1": {"non_field_errors": ["Maximum level must not be below the minimum level."]}
            },
        },
        response_only=True,
        status_codes=["400"],
    ),
]


class EligibilityRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    """The eligibility policy: everyone reads it, HR edits it (each change audited with
    its impact's counts)."""

    queryset = EligibilityRule.objects.order_by("priority", "id")
    serializer_class = EligibilityRuleSerializer
    filterset_class = filtersets.EligibilityRuleFilter
    permission_classes = [HRWritesOthersRead]
    ordering_fields = ["priority", "id"]

    def perform_create(self, serializer):
        serializer.instance = eligibility_rule_save(
            actor=self.request.user, rule=EligibilityRule(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        rule = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(rule, name, value)
        serializer.instance = eligibility_rule_save(actor=self.request.user, rule=rule)

    def perform_destroy(self, instance):
        eligibility_rule_delete(actor=self.request.user, rule=instance)

    @extend_schema(
        request=RulePreviewInputSerializer,
        responses={
            200: RulePreviewSerializer,
            400: OpenApiTypes.OBJECT,
            401: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
        },
        examples=PREVIEW_EXAMPLES,
        filters=False,
    )
    @action(detail=False, methods=["post"], permission_classes=[IsHR])
    def preview(self, request):
        """What a change to the policy would do, before it is made (nothing is written):
        who becomes assignable, who stops being assignable and which active Tech Leads'
        verdicts move, over the active people. Lists hold at most 500 ids; counts are exact."""
        current = list(EligibilityRule.objects.all())
        change = RulePreviewInputSerializer(
            data=request.data, context={"rules": {rule.pk: rule for rule in current}}
        )
        change.is_valid(raise_exception=True)
        preview = rule_change_preview(current=current, **change.validated_data)
        return Response(preview.as_api())
