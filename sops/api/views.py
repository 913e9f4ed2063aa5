from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.viewsets import GenericViewSet, ServiceWritesMixin
from departments.errors import DomainError, Forbidden
from departments.selectors import user_person
from sops.constants import DocumentKind
from sops.filtersets import DocumentFilter
from sops.models import Document
from sops.selectors import documents_visible_to, process_coverage
from sops.services import (
    document_create,
    document_review_record,
    document_update,
    process_acknowledge,
)
from sops.summary import documents_count

from .serializers import (
    AcknowledgementSerializer,
    CoverageSerializer,
    DocumentSerializer,
    ReviewSerializer,
)


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceWritesMixin,
    GenericViewSet,
):
    """SOPs, best practices, playbooks, Knowledge Hub pages, processes and tools.

    Everyone with a person reads them; HR and the department's Tech Lead write them.
    `status` and `next_review_at` are derived and recomputed on every write.
    """

    serializer_class = DocumentSerializer
    create_service = staticmethod(document_create)
    update_service = staticmethod(document_update)
    instance_name = "document"
    filterset_class = DocumentFilter
    ordering_fields = ["title", "next_review_at", "last_reviewed_at", "id"]
    ordering = ["title", "id"]

    def get_queryset(self):
        documents = documents_visible_to(self.request.user)
        # A list renders the department and the owner as ids: their rows are not joined.
        # (The involved departments' ids are read for the whole page in one query by the
        # serializer.)
        return documents.select_related(None) if self.action == "list" else documents

    def list_count(self) -> int | None:
        """The list's total from the summary when its filters allow (no COUNT over a
        million documents); None (a COUNT) otherwise, or for a login that reads none."""
        if not documents_visible_to(self.request.user).query.is_empty():
            return documents_count(DocumentFilter(self.request.query_params))
        return None

    @extend_schema(
        request=ReviewSerializer,
        responses={201: ReviewSerializer, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["post"])
    def reviews(self, request, pk=None):
        """Record a review: confirmed/updated reset the clock, retired archives it."""
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = document_review_record(
            document=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            201: AcknowledgementSerializer,
            200: AcknowledgementSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The viewer acknowledges the current version of a cross-department process
        (201; 200 when they already had). A login without a person cannot."""
        person = user_person(request.user)
        if person is None:
            raise Forbidden("Only a login linked to a person can acknowledge a process.")
        acknowledgement, created = process_acknowledge(document=self.get_object(), person=person)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(AcknowledgementSerializer(acknowledgement).data, status=code)

    @extend_schema(responses={200: CoverageSerializer, 400: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """Who acknowledged the current version, per involved department."""
        document = self.get_object()
        if document.kind != DocumentKind.CROSS_DEPARTMENT_PROCESS:
            raise DomainError("Only cross-department processes have coverage.")
        rows = process_coverage(Document.objects.filter(pk=document.pk))
        body = {"document": document.pk, "version": document.version, "departments": rows}
        return Response(CoverageSerializer(body).data)
