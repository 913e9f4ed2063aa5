"""Check constraints named one way: `<app>_<model>_<what>`, each with the message a form
shows when the row breaks it (the database has the last word; the message explains)."""

from django.db import models
from django.db.models import F, Q


def check(what: str, condition: Q, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{what}",
        violation_error_message=message,
    )


def in_range(field: str, low: int, high: int | None = None, *, what: str, message: str):
    """`field` is at least `low` (and at most `high`)."""
    condition = Q(**{f"{field}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field}__lte": high})
    return check(what, condition, message)


def not_before(later: str, earlier: str, *, what: str, message: str, optional: bool = True):
    """`later` is not before `earlier` (or, `optional`, not set yet)."""
    condition = Q(**{f"{later}__gte": F(earlier)})
    if optional:
        condition = Q(**{f"{later}__isnull": True}) | condition
    return check(what, condition, message)
