"""`GET /api/v1/audit-entries/`: the audit trail for HR, read-only.

The same AuditEntryFilter as the dashboard's /audit/ page and its CSV export. There is no
write: entries are appended by the services that make the changes, and never changed or
deleted (departments migration 0008)."""

from rest_framework import mixins, serializers

from departments.constants import AUDIT_FIELDS
from departments.filtersets import AuditEntryFilter
from departments.models import AuditEntry

from .permissions import IsHR
from .viewsets import GenericViewSet


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="The login that made the change."
    )
    actor_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = ["id", *AUDIT_FIELDS, "actor_id"]
        read_only_fields = fields


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The audit trail, newest first (HR only): who changed what, when, before and after."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    permission_classes = [IsHR]
    queryset = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
