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
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.authentication import TokenAuthentication
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

from .authentication import JIRA_SIGNATURE, JiraWebhookSignatureAuthentication
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
                "Jira Cloud webhook",
                request_only=True,
                value={
                    "timestamp": 1764348011421,
                    "webhookEvent": "jira:issue_updated",
                    "issue_event_type_name": "issue_generic",
                    "issue": {
                        "id": "10007",
                        "key": "PLAT-7",
                        "self": "https://your-domain.atlassian.net/rest/api/2/issue/10007",
                        "fields": {
                            "summary": "Automate the release checklist",
                            "project": {"key": "PLAT"},
                            "status": {
                                "name": "In Progress",
                                "statusCategory": {"key": "indeterminate"},
                            },
                            "resolution": None,
                            "duedate": "2026-12-15",
                            "assignee": {
                                "accountId": "5b10a2844c20165700ede21g",
                                "emailAddress": "ian@example.com",
                            },
                        },
                    },
                },
            )
        ],
        description=(
            "Upsert a task from a Jira issue payload (a webhook body or a REST issue), by "
            "issue key. Redelivering the same payload changes nothing (`unchanged`); an "
            "unknown project key or assignee is a 400 naming the field. The assignee is "
            "matched by `accountId` (a person's `jira_account_id`), then by email. "
            "`jira:issue_deleted` cancels the task (`ignored`, with a null task, when no "
            "task has the key); a done issue resolved as anything but done (`Won't Do`) is "
            "`cancelled`; `jira_url` is the issue's browse URL. Needs the token of an "
            "integration login (group Integrations) or HR, or, as Jira Cloud's admin "
            "webhooks send it, `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body "
            "with JIRA_WEBHOOK_SECRET>`."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[IsIntegrationOrHR],
        authentication_classes=[
            TokenAuthentication,
            JiraWebhookSignatureAuthentication,
            SessionAuthentication,
        ],
    )
    def jira(self, request):
        result = improvement_task_upsert_from_jira(
            actor=request.user,
            payload=request.data,
            via=JIRA_SIGNATURE if request.auth == JIRA_SIGNATURE else "",
        )
        code = status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK
        task = ImprovementTaskSerializer(result.task).data if result.task else None
        return Response({"outcome": result.outcome, "task": task}, status=code)


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
