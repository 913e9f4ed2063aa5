"""Reads of the organisation. Role scoping that needs the Tech Lead role lives in techleads."""

from django.db.models import Count, IntegerField, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .actors import SYSTEM
from .constants import HR_GROUP
from .models import Department, Person

MAX_ID = 2**63 - 1  # ids are BIGINTs: a larger number names nothing (and fails in SQL)


def user_is_hr(user) -> bool:
    """HR and superusers hold every HR permission, and so does the system acting itself.
    Cached on the user for the request."""
    if user is SYSTEM:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_hr", None)
    if cached is None:
        cached = user.groups.filter(name=HR_GROUP).exists()
        user._is_hr = cached
    return cached


def user_person(user) -> Person | None:
    """The person a login belongs to, or None (a login without a person has no role)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def count_subquery(queryset: QuerySet, *, group_by: str) -> Coalesce:
    """COUNT(*) of a correlated queryset (one filtered on an OuterRef), as an annotation that
    is 0 when nothing matches. A subquery per count, not JOIN + COUNT, which multiplies rows
    as soon as two relations are counted at once. `group_by` is the correlated field."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def department_by_ref(ref: int | str, *, queryset: QuerySet | None = None) -> Department | None:
    """The department a client names by id or by slug, or None. A string is a slug first
    (a slug may be all digits), then an id if it is a number; an integer is an id."""
    departments = Department.objects.all() if queryset is None else queryset
    if isinstance(ref, str):
        ref = ref.strip()
        if "\x00" in ref:  # no slug has one, and PostgreSQL refuses it in a query
            return None
        match = Q(slug=ref)
        if ref.isascii() and ref.isdigit() and len(ref) < 20 and int(ref) <= MAX_ID:
            match |= Q(pk=int(ref))
        found = list(departments.filter(match)[:2])
        return next((d for d in found if d.slug == ref), found[0] if found else None)
    if isinstance(ref, int) and not isinstance(ref, bool) and 0 < ref <= MAX_ID:
        return departments.filter(pk=ref).first()
    return None
