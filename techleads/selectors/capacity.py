"""Capacity: allocations per person over a period."""

from datetime import date, timedelta

from django.db.models import DateField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from departments.models import Person

from ..models import Allocation
from .access import people_visible_to


def allocations_overlapping(
    queryset: QuerySet[Allocation], *, start: date | OuterRef, end: date | OuterRef
) -> QuerySet[Allocation]:
    """The allocations covering at least one day of start..end (both included); the bounds
    may be an outer query's column, as in the peak's subquery."""
    return queryset.filter(period_start__lte=end, period_end__gte=start)


def people_with_capacity(
    queryset: QuerySet[Person], *, period_start: date, period_end: date
) -> QuerySet[Person]:
    """Annotate the capacity of each person for a period, in SQL (the twin of
    rules.capacity_peak): `allocated_percent` is the peak, the highest sum of the
    allocations covering one day of the period; `over_allocated` is a peak above 100,
    `unallocated_percent` what the peak leaves below 100.

    A day's sum only rises where an allocation starts, so the peak is reached at the start
    of one of the person's allocations, clipped to the period: for each of those days, a
    correlated subquery sums the allocations covering it, and the largest sum wins. One
    query for any number of people (alloc_period_idx serves both lookups).
    """
    day = OuterRef("day")
    covering_day = (
        allocations_overlapping(
            Allocation.objects.filter(person=OuterRef("person")), start=day, end=day
        )
        .order_by()
        .values("person")
        .annotate(total=Sum("percent"))
        .values("total")
    )
    peak = (
        allocations_overlapping(
            Allocation.objects.filter(person=OuterRef("pk")), start=period_start, end=period_end
        )
        .annotate(day=Greatest(F("period_start"), Value(period_start, output_field=DateField())))
        .annotate(day_total=Subquery(covering_day, output_field=IntegerField()))
        .order_by("-day_total")
        .values("day_total")[:1]
    )
    return queryset.annotate(
        allocated_percent=Coalesce(Subquery(peak, output_field=IntegerField()), Value(0))
    ).annotate(
        over_allocated=Q(allocated_percent__gt=100),
        under_allocated=Q(allocated_percent__lt=100),
        unallocated_percent=Greatest(Value(100) - F("allocated_percent"), Value(0)),
    )


def month_bounds(day: date) -> tuple[date, date]:
    """The calendar month of `day`."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def capacity_period(
    today: date, *, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The period a capacity question covers, for every face: the bounds given, by default
    the calendar month of `today`; an open end is the month's end, or the start when that
    comes later (a period never ends before it starts)."""
    month_start, month_end = month_bounds(today)
    start = start or month_start
    return start, end or max(start, month_end)


def allocations_visible_to(user) -> QuerySet[Allocation]:
    return Allocation.objects.filter(person__in=people_visible_to(user).values("pk"))
