from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.api.viewsets import GenericViewSet
from sops.selectors import documents_visible_to
from sops.services import document_create, document_review_record, document_update

from .filters import DocumentFilter
from .serializers import DocumentSerializer, ReviewSerializer


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """SOPs, best practices, playbooks, Knowledge Hub pages, processes and tools.

    Everyone with a person reads them; HR and the department's Tech Lead write them.
    `status` and `next_review_at` are derived and recomputed on every write.
    """

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["title", "url"]
    ordering_fields = ["title", "next_review_at", "last_reviewed_at", "id"]
    ordering = ["title", "id"]

    def get_queryset(self):
        return documents_visible_to(self.request.user).prefetch_related("involved_departments")

    def perform_create(self, serializer):
        serializer.instance = document_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = document_update(
            actor=self.request.user, document=serializer.instance, **serializer.validated_data
        )

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
