"""Capacity: allocations per person over a period."""

from datetime import date, timedelta
from functools import cached_property

from django.db.models import DateField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from departments.models import Person

from ..constants import CAPACITY_SCOPED_SUMS
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


class OverAllocatedFirst:
    """The people of `people` with their capacity in the period (people_with_capacity), the
    over-allocated first, each part in `people`'s order: a list a Paginator pages through
    (it asks count() and slices).

    Ordering the query by the flag would compute every person's peak before the page is
    cut (over a second at 100,000 people). A peak is at most the sum of the person's
    allocations overlapping the period, so only people whose sum exceeds 100 can be over:
    one GROUP BY finds them and their peaks decide. The others are walked in `people`'s
    order (an index walk), so a page computes the peaks of its own rows only.
    """

    def __init__(self, people: QuerySet[Person], *, period_start: date, period_end: date):
        self.people = people
        self.period = {"period_start": period_start, "period_end": period_end}

    @cached_property
    def total(self) -> int:
        return self.people.count()

    def count(self) -> int:
        return self.total

    @cached_property
    def over_allocated(self) -> list[int]:
        """The ids of the over-allocated people, in `people`'s order."""
        allocations = Allocation.objects.all()
        # A small scope (a team, a department filter) sums its own allocations; a large one
        # sums the period's, as joining the scope first costs more than the candidates
        # outside it, which the peaks' query leaves out.
        if self.total <= CAPACITY_SCOPED_SUMS:
            allocations = allocations.filter(person__in=self.people.values("pk"))
        overlapping = allocations_overlapping(
            allocations, start=self.period["period_start"], end=self.period["period_end"]
        )
        # Ids, not a subquery: PostgreSQL guesses a HAVING keeps a third of the groups, and
        # plans that many peaks (with DATABASE_JIT=1 it even compiles them, slower still).
        candidates = list(
            overlapping.order_by()
            .values("person")
            .annotate(total=Sum("percent"))
            .filter(total__gt=100)
            .values_list("person", flat=True)
        )
        if not candidates:
            return []
        return list(
            people_with_capacity(self.people.filter(pk__in=candidates), **self.period)
            .filter(over_allocated=True)
            .values_list("pk", flat=True)
        )

    def __getitem__(self, index: slice) -> list[Person]:
        start, stop = index.start or 0, index.stop  # a Paginator's slice: both bounds
        over = self.over_allocated
        ids = over[start:stop]
        if len(ids) < stop - start:
            after = max(0, start - len(over))
            rest = self.people.exclude(pk__in=over).values_list("pk", flat=True)
            ids += rest[after : after + stop - start - len(ids)]
        rows = people_with_capacity(self.people.filter(pk__in=ids), **self.period).in_bulk()
        return [rows[pk] for pk in ids if pk in rows]


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
