"""Serializers of the organisation. Reads render; writes validate and hand to a service."""

from rest_framework import serializers

from departments.api.fields import DepartmentRefField
from departments.models import LADDER_VALIDATORS, Person, Track

MAX_LADDER = LADDER_VALIDATORS[1].limit_value


class OptionalURLField(serializers.URLField):
    """A URL that may be blank; allow_blank makes the schema say "a URI, or empty"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class PersonSerializer(serializers.ModelSerializer):
    department = DepartmentRefField(allow_null=True, required=False)
    level = serializers.IntegerField(min_value=1, max_value=MAX_LADDER)
    step = serializers.IntegerField(min_value=1, max_value=MAX_LADDER, required=False)
    track = serializers.ChoiceField(choices=Track.choices)

    class Meta:
        model = Person
        fields = [
            "id",
            "employee_id",
            "full_name",
            "email",
            "department",
            "track",
            "level",
            "step",
            "is_active",
            "jira_account_id",
        ]
