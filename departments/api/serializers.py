"""Serializers of the organisation. Reads render; writes validate and hand to a service."""

from rest_framework import serializers

from departments.api.fields import DepartmentRefField
from departments.constants import PERSON_FIELDS
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
        fields = ["id", *PERSON_FIELDS]


class PersonRowSerializer(serializers.Serializer):
    """The schema of one `people/bulk-upsert/` row (departments.forms.PersonRowForm
    validates it): only `employee_id` is needed, and a field left out keeps its value."""

    employee_id = serializers.CharField(max_length=64)
    full_name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    jira_account_id = serializers.CharField(
        max_length=128, required=False, allow_blank=True, allow_null=True
    )
    department = DepartmentRefField(required=False, allow_null=True)
    track = serializers.ChoiceField(
        choices=Track.choices, required=False, help_text="The code or the label, in any case."
    )
    level = serializers.IntegerField(min_value=1, max_value=MAX_LADDER, required=False)
    step = serializers.IntegerField(min_value=1, max_value=MAX_LADDER, required=False)
    is_active = serializers.BooleanField(required=False, help_text="A JSON true or false.")
