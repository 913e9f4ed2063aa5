"""Departments, people, eligibility, the policy, assignments and successors (API v1).

Lists and details are scoped by role in get_queryset, so an object out of the viewer's
scope is a 404; writes check the role, validate the input, and call one service.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.pagination import PAGE_PARAMETERS, paginated
from departments.api.permissions import HRWritesOthersRead, IsHR, IsIntegrationOrHR
from departments.api.serializers import PersonRowSerializer, PersonSerializer
from departments.api.viewsets import GenericViewSet, ServiceWritesMixin
from departments.services import (
    department_create,
    department_update,
    people_upsert,
    person_create,
    person_update,
)
from techleads import filtersets
from techleads.models import (
    SuccessorCandidate,
    TechLeadAssignment,
)
from techleads.selectors import (
    annotated_verdict,
    capacity_period,
    department_candidates,
    departments_visible_to,
    departments_with_lead_columns,
    escalation_for,
    on_call,
    people_visible_to,
    people_with_capacity,
    people_with_eligibility,
    person_eligibility,
    rules_by_id,
    successors_with_flags,
)
from techleads.services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    successor_confirm,
    successor_nominate,
    successor_remove,
)

from .serializers import (
    AssignInputSerializer,
    AssignmentSerializer,
    CandidateSerializer,
    CapacityQuerySerializer,
    CapacitySerializer,
    DepartmentSerializer,
    EligibilitySerializer,
    EndInputSerializer,
    EscalationQuerySerializer,
    EscalationSerializer,
    HandOverInputSerializer,
    SuccessorSerializer,
)

ERRORS = {400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT}
ROLE_EXAMPLES = [
    OpenApiExample(
        "Assign",
        value={"department": 10, "person": 249, "reason": "Knows the tooling best"},
        request_only=True,
    ),
    OpenApiExample(
        "Override an ineligible person",
        value={
            "department": 10,
            "person": 251,
            "reason": "Interim lead",
            "override_reason": "Only person who knows the billing system",
        },
        request_only=True,
    ),
    OpenApiExample(
        "Assigned",
        value={
            "id": 22,
            "department": 10,
            "person": 249,
            "started_at": "2026-11-25T05:02:03Z",
            "ended_at": None,
            "assigned_by": 1,
            "reason": "Knows the tooling best",
            "override_reason": "",
            "ended_by": None,
            "end_reason": "",
        },
        response_only=True,
        status_codes=["200", "201"],
    ),
    OpenApiExample(
        "Not eligible (400)",
        value={
            "person": [
                "Individual Contributors below Level 3 cannot be Tech Leads yet "
                "(Individual Contributor, Level 2, Step 1)."
            ]
        },
        response_only=True,
        status_codes=["400"],
    ),
    OpenApiExample(
        "Conflict (409)",
        value={"detail": "IT Operations already has an active Tech Lead; end it or hand over."},
        response_only=True,
        status_codes=["409"],
    ),
]


def validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


AT = OpenApiParameter("at", OpenApiTypes.DATETIME, description="Who was it then (default: now).")


def _escalation_time(request):
    query = EscalationQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("at") or timezone.now()


def _escalation_rows(departments, at) -> list[dict]:
    """The API's shape of on_call's answers."""
    return [
        {
            "department": call.department.pk,
            "at": at,
            "role": call.role,
            "person": PersonSerializer(call.person).data if call.person else None,
        }
        for call in on_call(departments)
    ]


class DepartmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    serializer_class = DepartmentSerializer
    filterset_class = filtersets.DepartmentFilter
    permission_classes = [HRWritesOthersRead]
    ordering_fields = ["name", "slug", "id"]
    ordering = ["name"]

    def get_queryset(self):
        # The lead's summary in the departments' own query; the manager and the parent
        # are rendered as ids: their rows are not joined.
        return departments_with_lead_columns(departments_visible_to(self.request.user))

    def perform_create(self, serializer):
        serializer.instance = department_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        department_update(
            actor=self.request.user, department=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        parameters=PAGE_PARAMETERS, responses={200: paginated(CandidateSerializer)}, filters=False
    )
    @action(detail=True, methods=["get"])
    def candidates(self, request, pk=None):
        """Active members who can be assigned now, each with their eligibility."""
        department = self.get_object()
        people = department_candidates(department=department, user=request.user)
        rules = rules_by_id()
        page = self.paginate_queryset(people)
        serializer = CandidateSerializer(
            page, many=True, context={"verdict_of": lambda p: annotated_verdict(p, rules)}
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        request=HandOverInputSerializer,
        responses={201: AssignmentSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=ROLE_EXAMPLES[2:],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsHR])
    def handover(self, request, pk=None):
        """End the current Tech Lead's assignment and start the successor's, atomically."""
        department = self.get_object()
        data = validated(HandOverInputSerializer, request)
        assignment = assignment_hand_over(
            department=department,
            successor=data["person"],
            actor=request.user,
            reason=data["reason"],
            override_reason=data.get("override_reason", ""),
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AT], responses={200: EscalationSerializer})
    @action(detail=True, methods=["get"])
    def escalation(self, request, pk=None):
        """Who to call now: the Tech Lead, else a ready successor, else the manager."""
        department = self.get_object()
        at = _escalation_time(request)
        rows = escalation_for(request.user, at=at).filter(pk=department.pk)
        return Response(_escalation_rows(rows, at)[0])

    @extend_schema(
        operation_id="v1_departments_escalation_list",
        parameters=[AT, *PAGE_PARAMETERS],
        responses={200: paginated(EscalationSerializer)},
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="escalation", url_name="escalation-list")
    def escalation_list(self, request):
        """The escalation point of every department in scope (an on-call sheet), in SQL."""
        at = _escalation_time(request)
        departments = escalation_for(request.user, at=at)
        page = self.paginate_queryset(departments.order_by("name", "id"))
        return self.get_paginated_response(_escalation_rows(page, at))

    @extend_schema(
        parameters=[CapacityQuerySerializer, *PAGE_PARAMETERS],
        responses={200: paginated(CapacitySerializer)},
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def capacity(self, request, pk=None):
        """Each active member's peak allocation in the period (default: this month): the
        highest sum of the allocations covering one day, with over-allocation (above 100% on
        some day) and the capacity the peak leaves unallocated flagged."""
        department = self.get_object()
        query = CapacityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = capacity_period(
            timezone.localdate(),
            start=query.validated_data.get("period_start"),
            end=query.validated_data.get("period_end"),
        )
        people = people_with_capacity(
            people_visible_to(request.user).filter(department=department, is_active=True),
            period_start=start,
            period_end=end,
        ).order_by("full_name", "id")
        page = self.paginate_queryset(people)
        return self.get_paginated_response(CapacitySerializer(page, many=True).data)


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceWritesMixin,
    GenericViewSet,
):
    serializer_class = PersonSerializer
    create_service = staticmethod(person_create)
    update_service = staticmethod(person_update)
    upsert_service = staticmethod(people_upsert)
    instance_name = "person"
    filterset_class = filtersets.PersonFilter
    permission_classes = [HRWritesOthersRead]
    ordering_fields = ["full_name", "employee_id", "level", "id"]
    ordering = ["full_name", "id"]

    def get_queryset(self):
        people = people_visible_to(self.request.user)
        # The verdict is read by the `verdict` filter only: its two subqueries per row are
        # left out of every other request.
        if self.action == "list" and "verdict" not in self.request.query_params:
            return people
        return people_with_eligibility(people)

    @extend_schema(
        responses={200: EligibilitySerializer, 404: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Transition",
                value={
                    "verdict": "transition",
                    "can_be_assigned": False,
                    "reason": (
                        "Managers at Level 2, Step 3 and above should already have developed "
                        "a successor and hand the Tech Lead role over (Manager, Level 2, Step 4)."
                    ),
                    "rule": 5,
                },
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """The person's verdict, whether they can be assigned, the rule and why."""
        return Response(EligibilitySerializer(person_eligibility(person=self.get_object())).data)

    @extend_schema(
        request=PersonRowSerializer(many=True),
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description=(
            "HRIS sync: upsert people by employee_id, all rows or none. A row changes only "
            "the fields it carries (a new person also needs full_name, track and level); "
            "null clears email, jira_account_id and department. The department is an id or "
            "a slug, is_active a JSON boolean. A bad row makes a 400 with `rows` mapping each "
            "bad row's number (from 1) to its field errors; nothing is written."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-upsert",
        permission_classes=[IsIntegrationOrHR],
    )
    def bulk_upsert(self, request):
        rows = request.data.get("rows") if isinstance(request.data, dict) else request.data
        if not isinstance(rows, list) or not rows:
            return Response(
                {"rows": ["Expected a non-empty list of people."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = self.upsert_service(actor=request.user, rows=rows)
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Tech Lead assignments, current and past. Created by POST, changed only by end."""

    serializer_class = AssignmentSerializer
    filterset_class = filtersets.AssignmentFilter
    ordering_fields = ["started_at", "ended_at", "id"]
    ordering = ["-started_at", "-id"]

    def get_queryset(self):
        visible = departments_visible_to(self.request.user).values("pk")
        return TechLeadAssignment.objects.filter(department__in=visible)

    def get_permissions(self):
        if self.action in {"create", "end"}:
            return [IsHR()]
        return super().get_permissions()

    @extend_schema(
        request=AssignInputSerializer,
        responses={201: AssignmentSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=ROLE_EXAMPLES,
    )
    def create(self, request):
        """Assign a Tech Lead from now on. An ineligible person needs an override_reason."""
        data = validated(AssignInputSerializer, request)
        assignment = assignment_create(
            department=data["department"],
            person=data["person"],
            assigned_by=request.user,
            reason=data["reason"],
            override_reason=data.get("override_reason", ""),
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EndInputSerializer,
        responses={200: AssignmentSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        examples=[ROLE_EXAMPLES[2], ROLE_EXAMPLES[4]],
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End an active assignment; ending an ended one is a 409."""
        data = validated(EndInputSerializer, request)
        assignment = assignment_end(
            assignment=self.get_object(), ended_by=request.user, reason=data.get("reason", "")
        )
        return Response(AssignmentSerializer(assignment).data)


SUCCESSOR_EXAMPLES = [
    OpenApiExample(
        "Nominate the emergency successor",
        value={
            "department": "platform",
            "person": 249,
            "readiness": "ready_now",
            "rank": 1,
            "emergency": True,
            "notes": "Runs the on-call rota",
        },
        request_only=True,
    ),
    OpenApiExample(
        "A flagged candidate",
        value={
            "id": 8,
            "department": 10,
            "person": 251,
            "readiness": "ready_now",
            "rank": 2,
            "emergency": False,
            "notes": "",
            "confirmed_at": "2026-01-05T09:00:00Z",
            "expires_at": "2026-07-04T09:00:00Z",
            "flags": ["expired", "ineligible"],
            "created_at": "2026-01-05T09:00:00Z",
            "updated_at": "2026-01-05T09:00:00Z",
        },
        response_only=True,
        status_codes=["200", "201"],
    ),
]


@extend_schema_view(
    list=extend_schema(examples=SUCCESSOR_EXAMPLES[1:]),
    create=extend_schema(examples=SUCCESSOR_EXAMPLES),
    partial_update=extend_schema(examples=SUCCESSOR_EXAMPLES[1:]),
)
class SuccessorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    """Successor candidates: HR and the department's manager nominate, rank, confirm and
    update them; each carries its flags (selectors.successors_with_flags)."""

    serializer_class = SuccessorSerializer
    filterset_class = filtersets.SuccessorFilter
    ordering = ["department", "rank", "readiness", "id"]

    def get_queryset(self):
        visible = departments_visible_to(self.request.user).values("pk")
        return successors_with_flags(SuccessorCandidate.objects.filter(department__in=visible))

    def _with_flags(self, candidate):
        return successors_with_flags(SuccessorCandidate.objects.filter(pk=candidate.pk)).get()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self._with_flags(
            successor_nominate(
                department=data["department"],
                person=data["person"],
                actor=self.request.user,
                readiness=data["readiness"],
                notes=data.get("notes", ""),
                rank=data.get("rank"),
                emergency=data.get("emergency"),
            )
        )

    def perform_update(self, serializer):
        current = serializer.instance  # the serializer refuses another department or person
        data = serializer.validated_data
        serializer.instance = self._with_flags(
            successor_nominate(
                department=current.department,
                person=current.person,
                actor=self.request.user,
                readiness=data.get("readiness", current.readiness),
                notes=data.get("notes", current.notes),
                rank=data.get("rank"),
                emergency=data.get("emergency"),
            )
        )

    @extend_schema(
        request=None,
        responses={200: SuccessorSerializer, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Confirmed",
                value={
                    "id": 7,
                    "department": 10,
                    "person": 249,
                    "readiness": "ready_now",
                    "rank": 1,
                    "emergency": True,
                    "notes": "Runs the on-call rota",
                    "confirmed_at": "2026-12-06T09:00:00Z",
                    "expires_at": "2027-06-04T09:00:00Z",
                    "flags": [],
                    "created_at": "2026-03-02T10:00:00Z",
                    "updated_at": "2026-12-06T09:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the candidate again (the department's manager or HR): `confirmed_at` is
        now, so the `expired` flag clears until SUCCESSION_CONFIRMATION_DAYS pass."""
        candidate = successor_confirm(candidate=self.get_object(), actor=request.user)
        return Response(SuccessorSerializer(self._with_flags(candidate)).data)

    def perform_destroy(self, instance):
        successor_remove(candidate=instance, actor=self.request.user)
