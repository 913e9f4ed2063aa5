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
