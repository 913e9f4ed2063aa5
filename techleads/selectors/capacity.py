"""Capacity: allocations per person over a period."""

from datetime import date, timedelta

from django.db.models import (
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from departments.models import Person

from ..models import Allocation
from .access import people_visible_to


def people_with_capacity(
    queryset: QuerySet[Person], *, period_start: date, period_end: date
) -> QuerySet[Person]:
    """Annotate the capacity of each person for a period, in SQL (the twin of
    rules.capacity_flag): `allocated_percent` sums the allocations overlapping the period,
    `over_allocated` is above 100, `unallocated_percent` what is left below 100."""
    overlapping = Allocation.objects.filter(
        person=OuterRef("pk"), period_start__lte=period_end, period_end__gte=period_start
    )
    total = overlapping.order_by().values("person").annotate(total=Sum("percent")).values("total")
    return queryset.annotate(
        allocated_percent=Coalesce(Subquery(total, output_field=IntegerField()), Value(0))
    ).annotate(
        over_allocated=Q(allocated_percent__gt=100),
        under_allocated=Q(allocated_percent__lt=100),
        unallocated_percent=Greatest(Value(100) - F("allocated_percent"), Value(0)),
    )


def month_bounds(day: date) -> tuple[date, date]:
    """The calendar month of `day`: the default capacity period."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def allocations_visible_to(user) -> QuerySet[Allocation]:
    return Allocation.objects.filter(person__in=people_visible_to(user).values("pk"))
