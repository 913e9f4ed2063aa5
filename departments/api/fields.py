"""Serializer fields the API's resources share."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from departments.models import Department
from departments.selectors import department_by_ref

# The schema of a department named in a request: its id or its slug.
DEPARTMENT_REF_SCHEMA = {
    "oneOf": [
        {"type": "integer", "description": "The department's id."},
        {"type": "string", "description": "The department's slug."},
    ]
}


def unknown_department(ref) -> str:
    shown = ref if len(ref) <= 100 else f"{ref[:100]}..."
    return f"No department with id or slug '{shown}'."


class DepartmentRefField(serializers.PrimaryKeyRelatedField):
    """A department, given by id (`3`) or by slug (`"platform"`); rendered as its id.

    A string is a slug first, then an id if it is a number (see `department_by_ref`)."""

    default_error_messages = {
        "does_not_exist": "{message}",
        "incorrect_type": "Expected a department's id (an integer) or slug (a string), not "
        "{data_type}.",
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Department.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        department = department_by_ref(data, queryset=self.get_queryset())
        if department is None:
            self.fail("does_not_exist", message=unknown_department(str(data)))
        return department


class DepartmentRefFieldExtension(OpenApiSerializerFieldExtension):
    """The schema says so: an integer or a string in requests, the id in responses."""

    target_class = DepartmentRefField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"oneOf": [dict(s) for s in DEPARTMENT_REF_SCHEMA["oneOf"]]}
        return build_basic_type(OpenApiTypes.INT)
