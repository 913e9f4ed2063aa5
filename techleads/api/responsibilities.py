"""The rest of a Tech Lead's work (API v1): tech sessions, improvement projects and tasks,
capacity allocations and the incident log.

Reads are scoped to the viewer's departments (out of scope is a 404); every write calls
one service, which checks the role (403) and validates against the current state.
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.permissions import IsIntegrationOrHR
from departments.api.viewsets import GenericViewSet
from techleads import filtersets
from techleads.models import TechSessionInvite
from techleads.selectors import (
    allocations_visible_to,
    incidents_visible_to,
    projects_visible_to,
    sessions_visible_to,
    tasks_visible_to,
)
from techleads.services import (
    allocation_remove,
    allocation_set,
    improvement_project_create,
    improvement_project_update,
    improvement_task_create,
    improvement_task_update,
    improvement_task_upsert_from_jira,
    incident_record,
    incident_update,
    tech_session_record,
    tech_session_schedule,
)

from .serializers import (
    AllocationSerializer,
    ImprovementProjectSerializer,
    ImprovementTaskSerializer,
    IncidentSerializer,
    JiraSyncResultSerializer,
    TechSessionRecordSerializer,
    TechSessionSerializer,
)

WRITE_ERRORS = {
    400: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
}


class ReadCreateUpdate(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """PUT is not offered: these records are corrected field by field (PATCH)."""

    http_method_names = ["get", "post", "patch", "head", "options"]


class TechSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Knowledge-transfer sessions with their invitees and attendance.

    HR and the department's Tech Lead schedule them (`POST`, with `invitees` and
    `mandatory` person ids) and record how they went (`POST .../record/`).
    """

    serializer_class = TechSessionSerializer
    filterset_class = filtersets.TechSessionFilter
    ordering_fields = ["scheduled_for", "id"]
    ordering = ["-scheduled_for", "-id"]

    def get_queryset(self):
        invites = TechSessionInvite.objects.select_related("person")
        return sessions_visible_to(self.request.user).prefetch_related(
            Prefetch("invites", queryset=invites)
        )

    @extend_schema(responses={201: TechSessionSerializer, **WRITE_ERRORS})
    def create(self, request):
        serializer = TechSessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = tech_session_schedule(actor=request.user, **serializer.validated_data)
        return Response(self._read(session.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TechSessionRecordSerializer,
        responses={200: TechSessionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Completed",
                value={"status": "completed", "present": [12, 15], "link": ""},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Complete (with who was present; other invitees become absent) or cancel."""
        session = self.get_object()
        serializer = TechSessionRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tech_session_record(actor=request.user, session=session, **serializer.validated_data)
        return Response(self._read(session.pk))

    def _read(self, pk):
        return TechSessionSerializer(self.get_queryset().get(pk=pk)).data


class ImprovementProjectViewSet(ReadCreateUpdate):
    """Process Improvement projects, with their open, overdue and done task counts."""

    serializer_class = ImprovementProjectSerializer
    filterset_class = filtersets.ImprovementProjectFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return projects_visible_to(self.request.user, today=timezone.localdate())

    def perform_create(self, serializer):
        project = improvement_project_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer):
        improvement_project_update(
            actor=self.request.user, project=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


class ImprovementTaskViewSet(ReadCreateUpdate):
    """Process Improvement tasks: the Tech Lead delegates them (the owner is whoever
    delegates), the assignee moves their status, and Jira keeps synced ones current."""

    serializer_class = ImprovementTaskSerializer
    filterset_class = filtersets.ImprovementTaskFilter
    ordering_fields = ["due_date", "updated_at", "id"]
    ordering = ["due_date", "id"]

    def get_queryset(self):
        return tasks_visible_to(self.request.user).select_related("project")

    def perform_create(self, serializer):
        serializer.instance = improvement_task_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = improvement_task_update(
            actor=self.request.user, task=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            201: JiraSyncResultSerializer,
            200: JiraSyncResultSerializer,
            400: OpenApiTypes.OBJECT,
            401: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
        },
        examples=[
            OpenApiExample(
                "Jira webhook",
                request_only=True,
                value={
                    "webhookEvent": "jira:issue_updated",
                    "issue": {
                        "key": "PLAT-7",
                        "self": "https://jira.example.com/rest/api/2/issue/10007",
                        "fields": {
                            "summary": "Automate the release checklist",
                            "project": {"key": "PLAT"},
                            "status": {
                                "name": "In Progress",
                                "statusCategory": {"key": "indeterminate"},
                            },
                            "duedate": "2026-12-15",
                            "assignee": {"emailAddress": "ian@example.com"},
                        },
                    },
                },
            )
        ],
        description=(
            "Upsert a task from a Jira issue payload (a webhook body or a REST issue), by "
            "issue key. Redelivering the same payload changes nothing (`unchanged`); an "
            "unknown project key or assignee is a 400 naming the field. Needs the token of "
            "an integration login (group Integrations) or HR."
        ),
    )
    @action(detail=False, methods=["post"], permission_classes=[IsIntegrationOrHR])
    def jira(self, request):
        result = improvement_task_upsert_from_jira(actor=request.user, payload=request.data)
        code = status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK
        body = {"outcome": result.outcome, "task": ImprovementTaskSerializer(result.task).data}
        return Response(body, status=code)


class AllocationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    """Shares of people's capacity per period, for a project or an operational duty.

    Over-allocation is recorded, not refused: `departments/{id}/capacity/` flags it.
    To change an allocation, delete it and create the new one.
    """

    serializer_class = AllocationSerializer
    filterset_class = filtersets.AllocationFilter
    ordering_fields = ["period_start", "percent", "id"]
    ordering = ["person", "period_start", "id"]

    def get_queryset(self):
        return allocations_visible_to(self.request.user).select_related("person")

    def perform_create(self, serializer):
        serializer.instance = allocation_set(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        allocation_remove(actor=self.request.user, allocation=instance)


class IncidentViewSet(ReadCreateUpdate):
    """The incident log: HR, the department's manager or its Tech Lead record incidents,
    resolve them (`resolved_at`) and link the post-mortem."""

    serializer_class = IncidentSerializer
    filterset_class = filtersets.IncidentFilter
    ordering_fields = ["started_at", "severity", "id"]
    ordering = ["-started_at", "-id"]

    def get_queryset(self):
        return incidents_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = incident_record(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = incident_update(
            actor=self.request.user, incident=serializer.instance, **serializer.validated_data
        )
