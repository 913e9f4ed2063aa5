"""`departments/succession/`: each department's succession risk (API v1).

The rows come from selectors.succession_rows, the read path the escalation chain, the
health score, the overview and the succession page share."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from departments.api.viewsets import GenericViewSet
from departments.models import Department
from techleads import filtersets
from techleads.selectors import succession_rows, succession_visible_to

from .serializers import SuccessionSerializer

ROW_EXAMPLE = {
    "department": 10,
    "tech_lead": {
        "id": 249,
        "full_name": "Lea Lead",
        "assignment": 22,
        "since": "2026-01-05T09:00:00Z",
    },
    "lead_verdict": "transition",
    "ready_now": 0,
    "emergency": 251,
    "flagged": [7],
    "risk": "transition_without_successor",
}


class ReadsSuccession(IsAuthenticated):
    """HR, or the manager of at least one department; anyone else is a 403."""

    message = "Only HR or a department's manager can read succession."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and (
            succession_visible_to(request.user) is not None
        )


@extend_schema(
    examples=[
        OpenApiExample(
            "A lead in transition whose only ready candidate is flagged",
            value={"count": 1, "next": None, "previous": None, "results": [ROW_EXAMPLE]},
            response_only=True,
        )
    ]
)
class SuccessionViewSet(mixins.ListModelMixin, GenericViewSet):
    """One row per department (HR: all; a manager: the departments they manage): its Tech
    Lead and their verdict, the number of ready-now candidates without flags, the emergency
    successor, the flagged candidates and the risk (`leadless`,
    `transition_without_successor`, `no_ready_successor` or `none`)."""

    serializer_class = SuccessionSerializer
    filterset_class = filtersets.SuccessionFilter
    permission_classes = [ReadsSuccession]
    ordering = ["name", "id"]

    def get_queryset(self):
        # Three queries whatever the number of departments: the rows with their risk,
        # their leads and their flagged candidates.
        departments = succession_visible_to(self.request.user)
        return succession_rows(
            departments if departments is not None else Department.objects.none()
        )
