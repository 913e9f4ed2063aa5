from functools import partial

from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, QuerySet, Subquery
from django.db.models.query import ModelIterable
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import PageNumberPagination

# The page's rows carry the list's total under this name (an annotation).
TOTAL = "_list_total"
# No list has this many pages; a larger page number is not looked up.
PAGE_NUMBER_LIMIT = 10**9


def countable_with_page(queryset) -> bool:
    """Whether the COUNT of `queryset` can ride along with its page as a scalar subquery:
    model rows of a plain query (no DISTINCT, GROUP BY, aggregate, UNION or slice), which
    COUNT(*) counts as Django's own count() would."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
        return False
    query = queryset.query
    return not (
        query.distinct
        or query.group_by is not None
        or query.combinator
        or query.is_sliced
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


class CountAll(Func):
    """COUNT(*) as a plain expression, not an aggregate: selected alone it counts the
    query's rows in one row, as Django's count() does, without the grouping an aggregate
    annotation brings (its building and compiling cost more than the query's run)."""

    template = "COUNT(*)"
    output_field = IntegerField()


class CountingPaginator(Paginator):
    """Django's paginator, reading a page and the list's total in one query instead of a
    COUNT and then the page: the count is an uncorrelated subquery of the page's query,
    which PostgreSQL runs once. A page past the end (no rows) counts the usual way, to
    tell an empty list's first page from a page that does not exist. `count`, when the
    view knows the total without a COUNT (from a summary), is taken as given."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # the cached property's value

    def page(self, number):
        queryset = self.object_list
        given = number
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 0
        # Past PAGE_NUMBER_LIMIT the OFFSET would overflow the database's integers: such a
        # page does not exist, which Django's own way says (after a COUNT) as a 404.
        beyond = number > PAGE_NUMBER_LIMIT
        if number < 1 or beyond or "count" in self.__dict__ or not countable_with_page(queryset):
            return super().page(given)  # its errors, its way
        total = queryset.order_by().annotate(n=CountAll()).values("n")
        bottom = (number - 1) * self.per_page
        rows = list(
            queryset.annotate(**{TOTAL: Subquery(total, output_field=IntegerField())})[
                bottom : bottom + self.per_page
            ]
        )
        if not rows:
            return super().page(given)
        self.count = getattr(rows[0], TOTAL)  # the cached property's value
        return self._get_page(rows, self.validate_number(number), self)


class Pagination(PageNumberPagination):
    """`page` and `page_size`; a page_size above 500 is capped, not refused. The page and
    the total come in one query (CountingPaginator)."""

    django_paginator_class = CountingPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        # A view that knows its list's total cheaply says so with `list_count()`.
        count = view.list_count() if hasattr(view, "list_count") else None
        self.django_paginator_class = partial(CountingPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)


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
