from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`page` and `page_size`; a page_size above 500 is capped, not refused."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


# The paginator's parameters, for the schema of custom list actions (see `paginated`).
PAGE_PARAMETERS = [
    OpenApiParameter(
        Pagination.page_query_param, OpenApiTypes.INT, description="A page number within the list."
    ),
    OpenApiParameter(
        Pagination.page_size_query_param,
        OpenApiTypes.INT,
        description=f"Results per page (default {Pagination.page_size}; above "
        f"{Pagination.max_page_size} is capped).",
    ),
]


def paginated(serializer_class):
    """The schema of a paginated list of `serializer_class`, for custom list actions; they
    also document PAGE_PARAMETERS."""
    from rest_framework import serializers

    return type(
        f"Paginated{serializer_class.__name__.removesuffix('Serializer')}List",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
