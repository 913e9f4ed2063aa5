"""Serializers of the organisation. Reads render; writes validate and hand to a service."""

from django.db.models import ForeignKey, QuerySet
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject, PrimaryKeyRelatedField

from departments.api.fields import DepartmentRefField
from departments.constants import PERSON_FIELDS
from departments.models import LADDER_VALIDATORS, Person, Track

MAX_LADDER = LADDER_VALIDATORS[1].limit_value


def related_pks(field, pks: list) -> dict:
    """{pk: [related pks]} for the rows `pks` of the many-to-many `field`'s model, each
    list in the related model's default order: what `row.<field>.all()` lists, for many
    rows in one query."""
    query_name = field.related_query_name()
    related = field.related_model._default_manager.filter(**{f"{query_name}__in": pks})
    found = {pk: [] for pk in pks}
    for pk, related_pk in related.values_list(query_name, "pk"):
        found[pk].append(related_pk)
    return found


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
    the foreign key's column, without a PKOnlyObject; related ids of a many-to-many are
    read from the rows the queryset prefetched or, when it did not, for every row of the
    list in one query (`related_pks`), without a manager and a queryset per row. A
    date-time is rendered by DRF's field with the current time zone looked up once, not
    once per value. Any other field goes DRF's way. The plan is made once per
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
            elif how == "pks" and instance.pk is not None:
                ret[name] = self._related_pks(attname, instance)
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
        (attribute: the many-to-many's name) or "drf"."""
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
                if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
                    # What DRF looks up for every value (a context-local read), once: the
                    # field then renders exactly as it would have.
                    field.timezone = field.default_timezone()
                plan.append(("column", field.field_name, column.attname, field))
        return plan

    def _related_pks(self, name: str, instance) -> list:
        """The pks `instance` relates to by the many-to-many `name`, in the related
        model's order (as `instance.<name>.all()` gives them). Read on the first row for
        every row of the list being rendered (the parent's instance), in one query."""
        read = self.__dict__.setdefault("_lean_related", {}).setdefault(name, {})
        if instance.pk not in read:
            rows = getattr(self.parent, "instance", None)
            if isinstance(rows, QuerySet):
                rows = rows._result_cache  # evaluated: the parent iterates it
            if not isinstance(rows, list | tuple) or instance not in rows:
                rows = [instance]
            pks = [row.pk for row in rows if isinstance(row, self.Meta.model)]
            read.update(related_pks(self.Meta.model._meta.get_field(name), pks))
        return read[instance.pk]


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
