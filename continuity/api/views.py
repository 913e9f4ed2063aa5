"""The people API behind the no-orphans guard, holdings, transfer, the orphans report and
the hand-over with `transfer` (DESIGN.md, "Holdings and transfer", "No orphans").

These subclass techleads' viewsets and take over their routes (config/urls.py), so every
change of a person through the API goes through continuity's guard."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.pagination import PAGE_PARAMETERS
from departments.api.permissions import IsHR
from departments.api.serializers import PersonSerializer
from departments.api.viewsets import GenericViewSet
from departments.errors import Forbidden
from departments.selectors import user_is_hr, user_person
from techleads.api.serializers import AssignmentSerializer
from techleads.api.views import DepartmentViewSet, PersonViewSet, validated

from ..selectors import holding_from_row, orphans, person_holdings
from ..services import (
    assignment_hand_over_with_holdings,
    holdings_transfer,
    people_upsert_guarded,
    person_change,
)
from .serializers import (
    GuardedPersonRowSerializer,
    GuardedPersonSerializer,
    HoldingsSerializer,
    OrphanSerializer,
    TransferHandOverInputSerializer,
    TransferInputSerializer,
    TransferResultSerializer,
)

ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}
ITEM = {
    "type": "document",
    "id": 31,
    "label": "Deploy runbook",
    "department": 4,
    "url": "/api/v1/sops/31/",
}
BLOCKED = OpenApiExample(
    "Holds something (409)",
    value={
        "detail": (
            "Lea Lead still holds 2 item(s): Tech Lead of Platform; Deploy runbook. Name who "
            "receives them (transfer_to) or transfer them first."
        ),
        "holdings": [
            {
                "type": "tech_lead",
                "id": 12,
                "label": "Tech Lead of Platform",
                "department": 4,
                "url": "/api/v1/assignments/12/",
            },
            ITEM,
        ],
    },
    response_only=True,
    status_codes=["409"],
)


BULK_UPSERT_SCHEMA = extend_schema(
    request=GuardedPersonRowSerializer(many=True),
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description=(
        "HRIS sync: upsert people by employee_id, all rows or none. A row changes only "
        "the fields it carries (a new person also needs full_name, track and level); "
        "null clears email, jira_account_id and department. The department is an id or "
        "a slug, is_active a JSON boolean. A row that deactivates someone who holds "
        "anything, or moves a Tech Lead to another department, needs `transfer_to` (the "
        "receiver's employee_id): their holdings move first. A bad row makes a 400 with "
        "`rows` mapping each bad row's number (from 1) to its field errors (a blocked "
        "row: the field and `holdings`); nothing is written."
    ),
    examples=[
        OpenApiExample(
            "Deactivate a lead, transferring to E0042",
            value=[{"employee_id": "E0007", "is_active": False, "transfer_to": "E0042"}],
            request_only=True,
        ),
        OpenApiExample(
            "Blocked row (400)",
            value={
                "detail": "1 row(s) are invalid; nothing was imported.",
                "rows": {
                    "1": {
                        "is_active": ["Lea Lead still holds 1 item(s): Deploy runbook. …"],
                        "holdings": [ITEM],
                    }
                },
            },
            response_only=True,
            status_codes=["400"],
        ),
    ],
)


@extend_schema_view(bulk_upsert=BULK_UPSERT_SCHEMA)
class GuardedPersonViewSet(PersonViewSet):
    """`people/`: a change that would leave holdings without a holder is a 409 unless it
    names `transfer_to`. People are never deleted (no DELETE)."""

    update_service = staticmethod(person_change)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return GuardedPersonSerializer
        return super().get_serializer_class()

    @extend_schema(
        responses={200: PersonSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            OpenApiExample(
                "Deactivate, transferring to Ian",
                value={"is_active": False, "transfer_to": 249},
                request_only=True,
            ),
            BLOCKED,
        ],
    )
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        responses={200: PersonSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=[BLOCKED],
    )
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    upsert_service = staticmethod(people_upsert_guarded)

    @extend_schema(
        responses={200: HoldingsSerializer, **ERRORS},
        examples=[OpenApiExample("Holdings", value={"person": 7, "items": [ITEM]})],
    )
    @action(detail=True, methods=["get"])
    def holdings(self, request, pk=None):
        """What the person holds (HR; the manager of the person's department)."""
        person = self.get_object()
        if not user_is_hr(request.user):
            viewer = user_person(request.user)
            manager_id = person.department.manager_id if person.department_id else None
            if viewer is None or manager_id != viewer.pk:
                raise Forbidden("Only HR or the person's manager can see what they hold.")
        items = [h.as_dict() for h in person_holdings(person)]
        return Response({"person": person.pk, "items": items})

    @extend_schema(
        request=TransferInputSerializer,
        responses={200: TransferResultSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            OpenApiExample(
                "Everything to one receiver, as a dry run",
                value={"to": 249, "reason": "Lea leaves the company", "dry_run": True},
                request_only=True,
            ),
            OpenApiExample(
                "One item to someone else",
                value={
                    "to": 249,
                    "reason": "Lea leaves the company",
                    "items": [{"type": "document", "id": 31, "to": 250}],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Moved",
                value={"moved": [{**ITEM, "to": 249}], "count": 1, "dry_run": False},
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Ineligible receiver (400)",
                value={
                    "to": [
                        "Jo Junior: Individual Contributors below Level 3 cannot be Tech "
                        "Leads yet (Individual Contributor, Level 2, Step 1)."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsHR])
    def transfer(self, request, pk=None):
        """Move the person's holdings (all, or `items`) in one transaction; all or nothing."""
        person = self.get_object()
        data = validated(TransferInputSerializer, request)
        result = holdings_transfer(
            actor=request.user,
            person=person,
            to=data.get("to"),
            reason=data["reason"],
            items=data.get("items"),
            dry_run=data["dry_run"],
            override_reason=data.get("override_reason", ""),
        )
        return Response(result)


class HoldingsHandOverDepartmentViewSet(DepartmentViewSet):
    """`departments/`: the hand-over gains `transfer`."""

    @extend_schema(
        request=TransferHandOverInputSerializer,
        responses={201: AssignmentSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            OpenApiExample(
                "Hand over with the holdings",
                value={"person": 249, "reason": "Lea moves on", "transfer": True},
                request_only=True,
            ),
            OpenApiExample(
                "Handed over (transfer)",
                value={
                    "id": 23,
                    "department": 10,
                    "person": 249,
                    "started_at": "2026-11-25T05:02:03Z",
                    "ended_at": None,
                    "assigned_by": 1,
                    "reason": "Lea moves on",
                    "override_reason": "",
                    "ended_by": None,
                    "end_reason": "",
                    "transferred": 4,
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsHR])
    def handover(self, request, pk=None):
        """End the current Tech Lead's assignment and start the successor's, atomically;
        with `transfer`, the outgoing lead's holdings in the department move too."""
        department = self.get_object()
        data = validated(TransferHandOverInputSerializer, request)
        assignment, transferred = assignment_hand_over_with_holdings(
            department=department,
            successor=data["person"],
            actor=request.user,
            reason=data["reason"],
            override_reason=data.get("override_reason", ""),
            transfer=data["transfer"],
        )
        body = AssignmentSerializer(assignment).data
        if transferred is not None:
            body["transferred"] = transferred
        return Response(body, status=status.HTTP_201_CREATED)


class OrphanViewSet(mixins.ListModelMixin, GenericViewSet):
    """`reports/orphans/` (HR): every item whose holder is inactive, by holder."""

    permission_classes = [IsHR]
    serializer_class = OrphanSerializer

    def get_queryset(self):
        return orphans()

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        filters=False,
        examples=[
            OpenApiExample(
                "Orphans",
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [{**ITEM, "holder": 77}],
                },
            )
        ],
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        items = [holding_from_row(row).as_dict(with_holder=True) for row in page]
        return self.get_paginated_response(items)
