"""Writes to the organisation. Every change runs in a transaction and leaves an audit entry."""

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from rest_framework.authtoken.models import Token

from integrations.models import Webhook
from integrations.services import delivery_redeliver, webhook_secret_generate

from .actors import SYSTEM
from .constants import DEPARTMENT_FIELDS, INTEGRATION_GROUP, PERSON_FIELDS, PERSON_SYNC_FIELDS
from .errors import Conflict, DomainError, Forbidden, InvalidRows
from .events import people_deactivated_publish
from .forms import NEW_PERSON_FIELDS, PersonRowForm, department_refs
from .models import AuditEntry, Department, Person
from .selectors import user_is_hr, user_person

# The audit trail also records the login link.
PERSON_AUDIT_FIELDS = (*PERSON_FIELDS, "user")
# Unique per person when set: moved between people in one sync, they are cleared first.
UNIQUE_SYNC_FIELDS = ("email", "jira_account_id")


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


def require_hr(actor, what: str) -> None:
    """HR, superusers and the system; anyone else (and a missing actor) is refused."""
    if not user_is_hr(actor):
        raise Forbidden(f"Only HR can {what}.")


def audited_create(
    *,
    actor,
    instance: models.Model,
    verb: str,
    department,
    tracked: tuple[str, ...] = (),
    after: dict | None = None,
    exclude: list[str] | None = None,
):
    """Validate, save and audit a new row (`after`: its `tracked` fields, unless given):
    every create service's last step, in the service's transaction."""
    model_validate(instance, exclude=exclude)
    instance.save()
    audit_entry_create(
        actor=actor,
        verb=verb,
        target=instance,
        after=after if after is not None else snapshot(instance, tracked),
        department=department,
    )
    return instance


def audited_update(
    *,
    actor,
    instance: models.Model,
    fields: dict,
    tracked: tuple[str, ...],
    verb: str,
    department,
    derive: Callable[[models.Model], None] | None = None,
    exclude: list[str] | None = None,
):
    """Apply `fields`, validate, and save and audit (before/after) only when something
    changed: every update service's last step, so none saves or audits a no-op.

    `derive` recomputes derived columns (a document's status) before validation."""
    before = snapshot(instance, tracked)
    for name, value in fields.items():
        setattr(instance, name, value)
    if derive is not None:
        derive(instance)
    model_validate(instance, exclude=exclude)
    after = snapshot(instance, tracked)
    if after != before:
        instance.save()
        audit_entry_create(
            actor=actor,
            verb=verb,
            target=instance,
            before=before,
            after=after,
            department=department,
        )
    return instance


def _refuse_own_record(*, actor, person: Person) -> None:
    if user_person(actor) is not None and user_person(actor).pk == person.pk:
        raise Forbidden("Nobody edits their own record.")


@transaction.atomic
def department_create(*, actor, **fields) -> Department:
    require_hr(actor, "create departments")
    department = Department(**fields)
    return audited_create(
        actor=actor,
        instance=department,
        verb="department.create",
        tracked=DEPARTMENT_FIELDS,
        department=department,
    )


@transaction.atomic
def department_update(*, actor, department: Department, **fields) -> Department:
    require_hr(actor, "change departments")
    department = Department.objects.select_for_update().get(pk=department.pk)
    parent = fields.get("parent", department.parent)
    if parent is not None and parent.pk == department.pk:
        raise DomainError("A department cannot be its own parent.", field="parent")
    return audited_update(
        actor=actor,
        instance=department,
        fields=fields,
        tracked=DEPARTMENT_FIELDS,
        verb="department.update",
        department=department,
    )


# The unique indexes on Person and the field each protects, to name it in a conflict.
PERSON_UNIQUE_FIELDS = {
    "email_unique": "email",
    "jira_account": "jira_account_id",
    "employee_id": "employee_id",
}


@contextmanager
def unique_or_conflict(fields_by_index: dict[str, str]):
    """Validation checks uniqueness first; when two requests pass it at the same moment, the
    unique index has the last word, and this turns it into a 409 naming the field."""
    try:
        with transaction.atomic():  # savepoint: the caller's transaction stays usable
            yield
    except IntegrityError as exc:
        field = next((f for index, f in fields_by_index.items() if index in str(exc)), None)
        raise Conflict(
            f"Another record took this {field or 'value'} at the same moment; try again.",
            field=field,
        ) from exc


@transaction.atomic
def person_create(*, actor, **fields) -> Person:
    require_hr(actor, "add people")
    person = Person(**fields)
    with unique_or_conflict(PERSON_UNIQUE_FIELDS):
        return audited_create(
            actor=actor,
            instance=person,
            verb="person.create",
            tracked=PERSON_AUDIT_FIELDS,
            department=person.department,
        )


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    require_hr(actor, "change people")
    _refuse_own_record(actor=actor, person=person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    was_active = person.is_active
    with unique_or_conflict(PERSON_UNIQUE_FIELDS):
        person = audited_update(
            actor=actor,
            instance=person,
            fields=fields,
            tracked=PERSON_AUDIT_FIELDS,
            verb="person.update",
            department=fields.get("department", person.department),
        )
    if was_active and not person.is_active:
        people_deactivated_publish([person])
    return person


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def people_rows_validate(
    rows: list,
    *,
    existing: dict[str, Person],
    row_numbers: Sequence[int] | None = None,
    row_noun: str = "row",
    row_form: type[PersonRowForm] = PersonRowForm,
) -> list[dict]:
    """Validate every HRIS row; raise InvalidRows (row number -> field errors) if any is bad.

    Each cleaned row holds only the fields it carried. Rows are numbered from 1, or by
    `row_numbers` (the CSV's lines), and messages name other rows with `row_noun`. A
    duplicate employee_id within one upload is an error, since it would make the result
    depend on row order; so is a new person without NEW_PERSON_FIELDS, and an email or
    Jira account id that would end up on two people.
    """
    departments = department_refs(Department.objects.all())
    numbers = list(row_numbers) if row_numbers is not None else range(1, len(rows) + 1)
    errors: dict[int, dict[str, list[str]]] = {}
    cleaned: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for number, row in zip(numbers, rows, strict=True):
        if not isinstance(row, dict):
            errors[number] = {"non_field_errors": ["Each row must be an object."]}
            continue
        nested = [k for k, v in row.items() if isinstance(v, dict | list)]
        if nested:
            errors[number] = {k: ["Expected a single value."] for k in nested}
            continue
        form = row_form(row, departments=departments)
        row_errors = {field: list(msgs) for field, msgs in form.errors.items()}
        employee_id = form.cleaned_data.get("employee_id")
        if employee_id and employee_id not in existing:
            for field in NEW_PERSON_FIELDS:
                if field not in row:
                    row_errors[field] = ["Required for a new person."]
        if employee_id:
            first = seen.setdefault(employee_id, number)
            if first != number:
                row_errors["employee_id"] = [f"Duplicate of {row_noun} {first}."]
        if row_errors:
            errors[number] = row_errors
        else:
            cleaned.append((number, form.cleaned_data))
    for field, label in (("email", "email"), ("jira_account_id", "Jira account id")):
        _identity_check(cleaned, existing, errors, field=field, label=label, row_noun=row_noun)
    if errors:
        raise InvalidRows(dict(sorted(errors.items())))
    return [data for _, data in cleaned]


def _identity_check(
    cleaned: list[tuple[int, dict]],
    existing: dict[str, Person],
    errors: dict[int, dict[str, list[str]]],
    *,
    field: str,
    label: str,
    row_noun: str,
) -> None:
    """An email (ignoring case) or Jira account id that two people would hold is an error
    of the row that brings it. A row that leaves the field out keeps its current value,
    so it holds that value before any row that sets it."""

    def final(data: dict) -> str:
        person = existing.get(data["employee_id"])
        value = data[field] if field in data else getattr(person, field, "")
        return value.lower() if field == "email" else value

    holders: dict[str, int] = {}
    for number, data in sorted(cleaned, key=lambda item: (field in item[1], item[0])):
        value = final(data)
        if value and holders.setdefault(value, number) != number:
            message = f"Same {label} as {row_noun} {holders[value]}."
            errors.setdefault(number, {})[field] = [message]
    others = Person.objects.exclude(employee_id__in=[data["employee_id"] for _, data in cleaned])
    if field == "email":
        others = others.annotate(value=Lower("email"))
    else:
        others = others.annotate(value=F(field))
    if not holders:
        return
    taken = dict(others.filter(value__in=list(holders)).values_list("value", "employee_id"))
    for value, number in holders.items():
        if value in taken:
            errors.setdefault(number, {})[field] = [
                f"Another person (employee_id {taken[value]}) already has this {label}."
            ]


@transaction.atomic
def people_upsert(
    *,
    actor,
    rows: list,
    row_numbers: Sequence[int] | None = None,
    row_noun: str = "row",
    row_form: type[PersonRowForm] = PersonRowForm,
) -> UpsertResult:
    """Upsert people by employee_id from HRIS rows: all rows or none. A row changes only
    the fields it carries.

    1. Lock the existing people the rows name, in one query, ordered by pk.
    2. Validate every row against them (nothing is written if one is bad).
    3. Update the changed people, then create the new ones, and audit each change. An
       email or Jira account id moving between people is first cleared on those who
       change theirs, so a swap never meets the unique indexes half done.
    """
    # A NUL character never reaches PostgreSQL (it refuses one in any string): such an id
    # matches nobody here, and its row's validation names the character.
    ids = {
        str(row["employee_id"]).strip()
        for row in rows
        if isinstance(row, dict)
        and isinstance(row.get("employee_id"), str | int)
        and "\x00" not in str(row["employee_id"])
    }
    existing = {
        p.employee_id: p
        for p in Person.objects.select_for_update().filter(employee_id__in=ids).order_by("pk")
    }
    cleaned = people_rows_validate(
        rows, existing=existing, row_numbers=row_numbers, row_noun=row_noun, row_form=row_form
    )
    to_create: list[Person] = []
    to_update: list[tuple[Person, dict]] = []
    unchanged = 0
    for row in cleaned:
        person = existing.get(row["employee_id"])
        if person is None:
            to_create.append(Person(employee_id=row["employee_id"], **_sync_values(row)))
            continue
        before = snapshot(person, PERSON_AUDIT_FIELDS)
        for name, value in _sync_values(row).items():
            setattr(person, name, value)
        if snapshot(person, PERSON_AUDIT_FIELDS) == before:
            unchanged += 1
        else:
            to_update.append((person, before))
    try:
        with transaction.atomic():  # savepoint: a concurrent write may still take an email
            _people_update(to_update)
            Person.objects.bulk_create(to_create, batch_size=500)
    except IntegrityError as exc:
        raise Conflict(
            "Another change took one of these emails or Jira account ids meanwhile; "
            "nothing was imported. Send the rows again."
        ) from exc
    created = Person.objects.filter(employee_id__in=[p.employee_id for p in to_create])
    AuditEntry.objects.bulk_create(
        [_person_audit(actor, "person.import_create", p, None) for p in created]
        + [_person_audit(actor, "person.import_update", p, before) for p, before in to_update],
        batch_size=500,
    )
    people_deactivated_publish(
        [p for p, before in to_update if before["is_active"] and not p.is_active]
    )
    return UpsertResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _people_update(to_update: list[tuple[Person, dict]]) -> None:
    """Write the changed fields of `to_update` (person, snapshot before) in one UPDATE."""
    changed = {
        field
        for person, before in to_update
        for field, value in snapshot(person, PERSON_SYNC_FIELDS).items()
        if before[field] != value
    }
    if not changed:
        return
    for field in changed.intersection(UNIQUE_SYNC_FIELDS):
        moving = [p.pk for p, before in to_update if before[field] != getattr(p, field)]
        Person.objects.filter(pk__in=moving).update(**{field: ""})
    now = timezone.now()
    for person, _ in to_update:
        person.updated_at = now
    Person.objects.bulk_update(
        [p for p, _ in to_update], [*sorted(changed), "updated_at"], batch_size=500
    )


def _sync_values(row: dict) -> dict:
    return {name: row[name] for name in PERSON_SYNC_FIELDS if name in row}


def _person_audit(actor, verb: str, person: Person, before: dict | None) -> AuditEntry:
    return audit_entry_build(
        actor=actor,
        verb=verb,
        target=person,
        before=before,
        after=snapshot(person, PERSON_AUDIT_FIELDS),
        department_id=person.department_id,
    )


# Integration logins --------------------------------------------------------------------


def _require_hr_or_system(actor) -> None:
    """The command line acts as the system; otherwise only HR manages logins."""
    if not user_is_hr(actor):
        raise Forbidden("Only HR can manage integration logins.")


def _require_integration_login(login) -> None:
    if not login.groups.filter(name=INTEGRATION_GROUP).exists():
        raise DomainError(f"{login.username} is not an integration login.", field="username")


def _integration_login_new(*, name: str):
    """An unsaved login named `name` that cannot log in with a password; validated."""
    login = get_user_model()(username=name.strip())
    login.set_unusable_password()
    model_validate(login)
    return login


def _integration_login_save(login) -> None:
    try:
        with transaction.atomic():  # savepoint: two creations of one name, the index decides
            login.save()
    except IntegrityError as exc:
        raise DomainError(
            f"A login named {login.username!r} already exists.", field="username"
        ) from exc
    login.groups.add(Group.objects.get_or_create(name=INTEGRATION_GROUP)[0])


@transaction.atomic
def integration_create(*, actor, name: str, note: str = "") -> tuple[Any, str]:
    """Create an integration login (Integrations group, no password) and its API token.

    Returns the login and the token's key: the only time the key is shown.
    """
    _require_hr_or_system(actor)
    login = _integration_login_new(name=name)
    _integration_login_save(login)
    token = Token.objects.create(user=login)
    audit_entry_create(
        actor=actor,
        verb="integration.create",
        target=login,
        after={"username": login.username, "is_active": True, "token": True},
        note=note,
    )
    return login, token.key


def _integration_access_set(*, actor, login, active: bool, verb: str, note: str = ""):
    """Drop the login's token, set whether it may act (with a new token when it may), and
    audit the change. None when nothing changed (revoking a revoked login)."""
    _require_hr_or_system(actor)
    _require_integration_login(login)
    had_token = Token.objects.filter(user=login).delete()[0] > 0
    if not (active or had_token or login.is_active):
        return None
    before = {"is_active": login.is_active, "token": had_token}
    token = Token.objects.create(user=login) if active else None
    if login.is_active != active:
        login.is_active = active
        login.save(update_fields=["is_active"])
    audit_entry_create(
        actor=actor,
        verb=verb,
        target=login,
        before=before,
        after={"is_active": active, "token": active},
        note=note,
    )
    return token


@transaction.atomic
def integration_rotate(*, actor, login) -> str:
    """Replace the login's token (the old one stops working) and reactivate the login."""
    token = _integration_access_set(
        actor=actor,
        login=login,
        active=True,
        verb="integration.rotate",
        note="A new token replaced the old one.",
    )
    return token.key


@transaction.atomic
def integration_revoke(*, actor, login):
    """Delete the login's token and deactivate it: its requests are refused from now on.
    Revoking a revoked login changes nothing."""
    _integration_access_set(actor=actor, login=login, active=False, verb="integration.revoke")
    return login


def integration_login_ensure(*, name: str, note: str):
    """The integration login a system face acts as (e.g. signed Jira webhooks): created,
    without a token, the first time it is needed. A revoked one is returned as it is, for
    the caller to refuse."""
    login = get_user_model().objects.filter(username=name).first()
    if login is None:
        with transaction.atomic():
            try:
                login = _integration_login_new(name=name)
                _integration_login_save(login)
            except DomainError:  # created meanwhile by a concurrent request
                return get_user_model().objects.get(username=name)
            audit_entry_create(
                actor=SYSTEM,
                verb="integration.create",
                target=login,
                after={"username": name, "is_active": True, "token": False},
                note=note,
            )
        return login
    _require_integration_login(login)
    return login


# Outbound webhooks (integrations): HR's audited changes --------------------------------

WEBHOOK_FIELDS = ("url", "events", "is_active")


@transaction.atomic
def webhook_create(*, actor, url: str, events: list[str], secret: str = "", is_active=True):
    """Subscribe `url` to `events`. The secret is generated when none is given; the caller
    shows it once. The secret is never in the audit trail."""
    require_hr(actor, "manage webhooks")
    webhook = Webhook(
        url=url, events=events, secret=secret or webhook_secret_generate(), is_active=is_active
    )
    return audited_create(
        actor=actor,
        instance=webhook,
        verb="webhook.create",
        tracked=WEBHOOK_FIELDS,
        department=None,
    )


@transaction.atomic
def webhook_update(*, actor, webhook, **fields):
    """Change a webhook; a new `secret` replaces the old one (an empty one keeps it)."""
    require_hr(actor, "manage webhooks")
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    secret = fields.pop("secret", "")
    if secret and secret != webhook.secret:
        webhook.secret = secret
        webhook.save(update_fields=["secret"])
        audit_entry_create(
            actor=actor,
            verb="webhook.secret_replace",
            target=webhook,
            note="The secret was replaced.",
        )
    return audited_update(
        actor=actor,
        instance=webhook,
        fields=fields,
        tracked=WEBHOOK_FIELDS,
        verb="webhook.update",
        department=None,
    )


@transaction.atomic
def webhook_delete(*, actor, webhook) -> None:
    """Remove a subscription and its delivery history."""
    require_hr(actor, "manage webhooks")
    audit_entry_create(
        actor=actor, verb="webhook.delete", target=webhook, before=snapshot(webhook, WEBHOOK_FIELDS)
    )
    webhook.delete()


@transaction.atomic
def webhook_redeliver(*, actor, delivery):
    """Send a delivery again, with its event id and body: HR, for an active webhook."""
    require_hr(actor, "redeliver webhooks")
    if not delivery.webhook.is_active:
        raise Conflict("The webhook is inactive; activate it before redelivering.")
    delivery = delivery_redeliver(delivery=delivery)
    audit_entry_create(
        actor=actor,
        verb="webhook.redeliver",
        target=delivery,
        after={"event": delivery.event, "event_id": str(delivery.event_id)},
    )
    return delivery
