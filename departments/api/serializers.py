"""Serializers of the organisation. Reads render; writes validate and hand to a service."""

from django.db.models import ForeignKey
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject, PrimaryKeyRelatedField

from departments.api.fields import DepartmentRefField
from departments.constants import PERSON_FIELDS
from departments.models import LADDER_VALIDATORS, Person, Track

MAX_LADDER = LADDER_VALIDATORS[1].limit_value


def renders_pk(field) -> bool:
    """A related field rendered as the related row's pk, read without loading the row."""
    return (
        isinstance(field, PrimaryKeyRelatedField)
        and field.pk_field is None
        and field.use_pk_only_optimization()
        and type(field).to_representation is PrimaryKeyRelatedField.to_representation
    )


class LeanRepresentation:
    """A ModelSerializer that renders rows as DRF does, with less work per field and row.

    DRF reads every field of every row through Field.get_attribute (a walk over the
    source's parts, a callable check, exceptions mapped to SkipField): most of a list's
    time once the rows are fetched. Here a field whose source is a column of the model is
    read with getattr; a related id rendered as a pk (PrimaryKeyRelatedField) is read from
    the foreign key's column, without a PKOnlyObject; related ids of a many-to-many the
    queryset prefetched are read from the prefetched rows, without a manager and a
    queryset per row. Any other field goes DRF's way. The plan is made once per
    serializer, so once per response for a list."""

    def to_representation(self, instance):
        if not isinstance(instance, self.Meta.model):  # validated data, before a save
            return super().to_representation(instance)
        plan = self.__dict__.get("_lean_plan")
        if plan is None:
            plan = self._lean_plan = self._lean_fields()
        ret = {}
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        for how, name, attname, field in plan:
            if how == "column":
                value = getattr(instance, attname)
                ret[name] = None if value is None else field.to_representation(value)
            elif how == "pk":
                ret[name] = getattr(instance, attname)
            elif how == "pks" and attname in prefetched:
                ret[name] = [row.pk for row in prefetched[attname]]
            else:  # DRF's way (Serializer.to_representation)
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                ret[name] = None if empty is None else field.to_representation(attribute)
        return ret

    def _lean_fields(self) -> list[tuple]:
        """(how, name, attribute, field) per readable field; how: "column", "pk", "pks"
        (attribute: the prefetch's name) or "drf"."""
        meta = self.Meta.model._meta
        columns = {f.name: f for f in meta.concrete_fields}
        many = {f.name for f in meta.many_to_many}
        plan = []
        for field in self._readable_fields:
            source = field.source if len(field.source_attrs) == 1 else None
            column = columns.get(source)
            if isinstance(field, ManyRelatedField):
                pks = source in many and renders_pk(field.child_relation)
                plan.append(("pks" if pks else "drf", field.field_name, source, field))
            elif column is None or getattr(field, "many", False):
                plan.append(("drf", field.field_name, None, field))
            elif isinstance(column, ForeignKey):
                pk = renders_pk(field)
                plan.append(("pk" if pk else "drf", field.field_name, column.attname, field))
            else:
                plan.append(("column", field.field_name, column.attname, field))
        return plan


class OptionalURLField(serializers.URLField):
    """A URL that may be blank; allow_blank makes the schema say "a URI, or empty"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class PersonSerializer(LeanRepresentation, serializers.ModelSerializer):
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
