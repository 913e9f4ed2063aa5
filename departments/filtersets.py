"""Filters every app's FilterSets share: strict booleans and ids (a malformed value is a
400, never "no filter")."""

import django_filters
from django import forms

TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class StrictBooleanField(forms.Field):
    """true/false/1/0/yes/no; anything else is a 400, not silently "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in TRUE:
            return True
        if lowered in FALSE:
            return False
        raise forms.ValidationError("Expected true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


# The largest id a BIGINT key holds: a larger number matches nothing, and is refused
# before it reaches the database (which would fail on it, not answer "no rows").
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A related row's id, through a join: a whole number in the database's range, else a
    400 (a plain NumberFilter passes 1e20 or 1.5 on to the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
