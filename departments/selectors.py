"""Reads of the organisation. Role scoping that needs the Tech Lead role lives in techleads."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .constants import HR_GROUP
from .models import Person


def user_is_hr(user) -> bool:
    """HR and superusers hold every HR permission. Cached on the user for the request."""
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
