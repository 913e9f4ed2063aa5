"""Writes to the organisation. Every change runs in a transaction and leaves an audit entry."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .errors import DomainError, Forbidden, InvalidRows
from .forms import PERSON_SYNC_FIELDS, PersonRowForm
from .models import AuditEntry, Department, Person
from .selectors import user_person

DEPARTMENT_FIELDS = ("name", "slug", "parent", "manager", "confluence_space", "knowledge_hub_url")
PERSON_FIELDS = (
    "employee_id",
    "full_name",
    "email",
    "department",
    "track",
    "level",
    "step",
    "is_active",
    "user",
    "jira_account_id",
)


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe picture of `fields` (foreign keys as ids) for the audit trail."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def audit_entry_build(
    *,
    actor,
    verb: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    department_id: int | None = None,
    note: str = "",
) -> AuditEntry:
    """An unsaved audit entry, for callers that bulk_create many."""
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        department_id=department_id,
        before=before,
        after=after,
        note=note,
    )


def audit_entry_create(*, department: Department | None = None, **kwargs) -> AuditEntry:
    entry = audit_entry_build(department_id=department.pk if department else None, **kwargs)
    entry.save()
    return entry


def model_validate(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """full_clean(), with the first error raised as a DomainError (a 400 in the API)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise domain_error_from(exc) from exc


def domain_error_from(exc: ValidationError) -> DomainError:
    """The first field error of a model validation (field errors before __all__)."""
    errors = sorted(exc.message_dict.items(), key=lambda item: item[0] == "__all__")
    field, messages = errors[0]
    return DomainError(" ".join(messages), field=None if field == "__all__" else field)


def _refuse_own_record(*, actor, person: Person) -> None:
    if user_person(actor) is not None and user_person(actor).pk == person.pk:
        raise Forbidden("Nobody edits their own record.")


@transaction.atomic
def department_create(*, actor, **fields) -> Department:
    department = Department(**fields)
    model_validate(department)
    department.save()
    audit_entry_create(
        actor=actor,
        verb="department.create",
        target=department,
        after=snapshot(department, DEPARTMENT_FIELDS),
        department=department,
    )
    return department


@transaction.atomic
def department_update(*, actor, department: Department, **fields) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = snapshot(department, DEPARTMENT_FIELDS)
    for name, value in fields.items():
        setattr(department, name, value)
    if department.parent_id is not None and department.parent_id == department.pk:
        raise DomainError("A department cannot be its own parent.", field="parent")
    model_validate(department)
    department.save()
    after = snapshot(department, DEPARTMENT_FIELDS)
    if after != before:
        audit_entry_create(
            actor=actor,
            verb="department.update",
            target=department,
            before=before,
            after=after,
            department=department,
        )
    return department


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    person = Person(**fields)
    model_validate(person)
    person.save()
    audit_entry_create(
        actor=actor,
        verb="person.create",
        target=person,
        after=snapshot(person, PERSON_FIELDS),
        department=person.department,
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    _refuse_own_record(actor=actor, person=person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    model_validate(person)
    person.save()
    after = snapshot(person, PERSON_FIELDS)
    if after != before:
        audit_entry_create(
            actor=actor,
            verb="person.update",
            target=person,
            before=before,
            after=after,
            department=person.department,
        )
    return person


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def people_rows_validate(rows: list[dict]) -> list[dict]:
    """Validate every HRIS row; raise InvalidRows (row number -> field errors) if any is bad.

    Rows are numbered from 1. A duplicate employee_id within the same upload is an error,
    since it would make the result depend on row order.
    """
    departments = {d.slug: d for d in Department.objects.all()}
    errors: dict[int, dict[str, list[str]]] = {}
    cleaned: list[dict] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors[number] = {"non_field_errors": ["Each row must be an object."]}
            continue
        nested = [k for k, v in row.items() if isinstance(v, dict | list)]
        if nested:
            errors[number] = {k: ["Expected a single value."] for k in nested}
            continue
        form = PersonRowForm(data=row, departments=departments)
        if not form.is_valid():
            errors[number] = {field: list(msgs) for field, msgs in form.errors.items()}
            continue
        data = form.cleaned_data
        first = seen.setdefault(data["employee_id"], number)
        if first != number:
            errors[number] = {"employee_id": [f"Duplicate of row {first}."]}
            continue
        cleaned.append(data)
    if errors:
        raise InvalidRows(errors)
    return cleaned


@transaction.atomic
def people_upsert(*, actor, rows: list[dict]) -> UpsertResult:
    """Upsert people by employee_id from HRIS rows: all rows or none.

    1. Validate every row (nothing is written if one is bad).
    2. Lock the existing people the rows name, in one query.
    3. bulk_create the new ones, bulk_update the changed ones, audit each change.
    """
    cleaned = people_rows_validate(rows)
    ids = [row["employee_id"] for row in cleaned]
    existing = {
        p.employee_id: p
        for p in Person.objects.select_for_update().filter(employee_id__in=ids).order_by("pk")
    }
    to_create: list[Person] = []
    to_update: list[tuple[Person, dict]] = []
    unchanged = 0
    for row in cleaned:
        person = existing.get(row["employee_id"])
        if person is None:
            to_create.append(Person(employee_id=row["employee_id"], **_sync_values(row)))
            continue
        before = snapshot(person, PERSON_FIELDS)
        for name, value in _sync_values(row).items():
            setattr(person, name, value)
        if snapshot(person, PERSON_FIELDS) == before:
            unchanged += 1
        else:
            to_update.append((person, before))
    Person.objects.bulk_create(to_create, batch_size=500)
    Person.objects.bulk_update([p for p, _ in to_update], PERSON_SYNC_FIELDS, batch_size=500)
    created = Person.objects.filter(employee_id__in=[p.employee_id for p in to_create])
    AuditEntry.objects.bulk_create(
        [_person_audit(actor, "person.import_create", p, None) for p in created]
        + [_person_audit(actor, "person.import_update", p, before) for p, before in to_update],
        batch_size=500,
    )
    return UpsertResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _sync_values(row: dict) -> dict:
    return {name: row[name] for name in PERSON_SYNC_FIELDS}


def _person_audit(actor, verb: str, person: Person, before: dict | None) -> AuditEntry:
    return audit_entry_build(
        actor=actor,
        verb=verb,
        target=person,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
        department_id=person.department_id,
    )
