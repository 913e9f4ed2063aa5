"""Moving what a person holds, and the guard that keeps a change of person from leaving
anything without a holder (DESIGN.md, "Holdings and transfer", "No orphans")."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from departments.actors import SYSTEM
from departments.errors import Conflict, DomainError, InvalidRows
from departments.forms import PersonRowForm
from departments.models import AuditEntry, Department, Person
from departments.selectors import user_is_hr
from departments.services import (
    audit_entry_build,
    people_rows_validate,
    people_upsert,
    person_update,
    require_hr,
    snapshot,
)
from sops.models import Document
from techleads.errors import NotEligible
from techleads.models import (
    ImprovementProject,
    ImprovementTask,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
)
from techleads.services import SUCCESSOR_FIELDS, assignment_hand_over

from .constants import HoldingType
from .errors import HoldingsBlock
from .selectors import Holding, people_holdings, person_holdings

# Items that change holder: the model and the field(s) naming the holder.
HOLDER_FIELDS = {
    HoldingType.MANAGER: (Department, ("manager",)),
    HoldingType.DOCUMENT: (Document, ("owner",)),
    HoldingType.IMPROVEMENT_PROJECT: (ImprovementProject, ("owner",)),
    HoldingType.IMPROVEMENT_TASK: (ImprovementTask, ("assignee", "owner")),
    HoldingType.TECH_SESSION: (TechSession, ("presenter",)),
}


@dataclass(frozen=True)
class Move:
    """One holding and who receives it (None for a withdrawn successor nomination)."""

    holding: Holding
    to: Person | None

    def as_dict(self) -> dict:
        return {**self.holding.as_dict(), "to": self.to.pk if self.to else None}


def _refused(receiver: Person, message: str) -> DomainError:
    return DomainError(f"{receiver}: {message}", field="to")


def _moves(*, person: Person, held: list[Holding], to, items) -> list[Move]:
    """Pair each chosen holding with its receiver; refuse unknown items and receivers who
    are inactive, missing or the holder themselves (400 on `items` or `to`)."""
    by_key = {h.key: h for h in held}
    if items is None:
        chosen = [(h, to) for h in held]
    else:
        chosen = []
        for item in items:
            holding = by_key.get((item.get("type"), item.get("id")))
            if holding is None:
                raise DomainError(
                    f"{person} does not hold {item.get('type')} {item.get('id')}.", field="items"
                )
            chosen.append((holding, item.get("to") or to))
    moves = []
    for holding, receiver in chosen:
        if holding.type == HoldingType.SUCCESSOR:
            moves.append(Move(holding, None))  # withdrawn, not moved
            continue
        if receiver is None:
            raise DomainError(f"Name who receives {holding.label}.", field="to")
        if receiver.pk == person.pk:
            raise _refused(receiver, "the holder cannot receive their own holdings.")
        if not receiver.is_active:
            raise _refused(receiver, "is no longer active.")
        moves.append(Move(holding, receiver))
    return moves


def _hand_over(move: Move, *, actor, reason: str, override_reason: str, person: Person):
    """The role moves by a hand-over and follows its rules; its refusal is one of `to`."""
    assignment = TechLeadAssignment.objects.select_related("department").get(pk=move.holding.id)
    if assignment.ended_at is not None or assignment.person_id != person.pk:
        raise Conflict(f"{move.holding.label} changed meanwhile; nothing was moved.")
    # An integration (the HRIS sync) may not hand over the role itself: the product does,
    # on its request, and the audit entry's reason says so.
    hand_over_actor = actor if user_is_hr(actor) else SYSTEM
    if hand_over_actor is not actor:
        reason = f"{reason} (requested by {getattr(actor, 'username', actor)})"
    try:
        assignment_hand_over(
            department=assignment.department,
            successor=move.to,
            actor=hand_over_actor,
            reason=reason,
            override_reason=override_reason,
        )
    except NotEligible as exc:
        raise _refused(move.to, exc.message) from exc
    except Conflict:
        raise
    except DomainError as exc:
        if exc.field in ("person", None):
            raise _refused(move.to, exc.message) from exc
        raise


def _change_holders(moves: list[Move], *, actor, person: Person, reason: str) -> None:
    """Set-based: per kind of item, lock the rows still held by `person`, change the
    holder with one UPDATE per (field, receiver) and write one audit entry per item."""
    now = timezone.now()
    entries = []
    for kind, (model, fields) in HOLDER_FIELDS.items():
        mine = [m for m in moves if m.holding.type == kind]
        if not mine:
            continue
        receiver_of = {m.holding.id: m.to for m in mine}
        changed: dict[int, dict] = defaultdict(dict)
        rows = {}
        for field in fields:
            locked = model.objects.select_for_update().filter(
                pk__in=list(receiver_of), **{field: person}
            )
            by_receiver = defaultdict(list)
            for row in locked.order_by("pk"):
                rows[row.pk] = row
                by_receiver[receiver_of[row.pk]].append(row.pk)
                changed[row.pk][field] = receiver_of[row.pk].pk
            for receiver, pks in by_receiver.items():
                values = {field: receiver}
                if any(f.name == "updated_at" for f in model._meta.fields):
                    values["updated_at"] = now
                model.objects.filter(pk__in=pks).update(**values)
        for move in mine:
            if move.holding.id not in changed:
                raise Conflict(f"{move.holding.label} changed meanwhile; nothing was moved.")
            after = changed[move.holding.id]
            entries.append(
                audit_entry_build(
                    actor=actor,
                    verb=f"{kind}.transfer",
                    target=rows[move.holding.id],
                    before=dict.fromkeys(after, person.pk),
                    after=after,
                    department_id=move.holding.department,
                    note=f"Transferred from {person} to {move.to}. {reason}",
                )
            )
    AuditEntry.objects.bulk_create(entries)


def _withdraw(moves: list[Move], *, actor, person: Person, reason: str) -> None:
    """A successor nomination is withdrawn, not moved: nobody inherits a nomination."""
    ids = [m.holding.id for m in moves if m.holding.type == HoldingType.SUCCESSOR]
    if not ids:
        return
    candidates = list(
        SuccessorCandidate.objects.select_for_update().filter(pk__in=ids, person=person)
    )
    if len(candidates) != len(ids):
        raise Conflict("A successor nomination changed meanwhile; nothing was moved.")
    AuditEntry.objects.bulk_create(
        [
            audit_entry_build(
                actor=actor,
                verb="successor.withdraw",
                target=candidate,
                before=snapshot(candidate, SUCCESSOR_FIELDS),
                department_id=candidate.department_id,
                note=f"Withdrawn: {person}'s holdings were transferred. {reason}",
            )
            for candidate in candidates
        ]
    )
    SuccessorCandidate.objects.filter(pk__in=ids).delete()


def _transfer(
    *,
    actor,
    person: Person,
    to: Person | None,
    reason: str,
    items: Sequence[dict] | None = None,
    dry_run: bool = False,
    override_reason: str = "",
    held: list[Holding] | None = None,
) -> dict:
    """holdings_transfer without its role check (the guarded upsert checks its own)."""
    if not reason.strip():
        raise DomainError("Say why the holdings are transferred.", field="reason")
    held = person_holdings(person) if held is None else held
    moves = _moves(person=person, held=held, to=to, items=items)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        # The role first: its hand-over may refuse, and then nothing else was written.
        for move in moves:
            if move.holding.type == HoldingType.TECH_LEAD:
                _hand_over(
                    move,
                    actor=actor,
                    reason=reason,
                    override_reason=override_reason,
                    person=person,
                )
        _change_holders(moves, actor=actor, person=person, reason=reason)
        _withdraw(moves, actor=actor, person=person, reason=reason)
        if dry_run:
            # Everything was computed and validated; a dry run keeps none of it.
            transaction.set_rollback(True)
    return {"moved": [m.as_dict() for m in moves], "count": len(moves), "dry_run": dry_run}


@transaction.atomic
def holdings_transfer(
    *,
    actor,
    person: Person,
    to: Person | None,
    reason: str,
    items: Sequence[dict] | None = None,
    dry_run: bool = False,
    override_reason: str = "",
) -> dict:
    """Move what `person` holds to `to` (or each item's own `to`), all or nothing.

    1. Pair every chosen item (default: all) with its receiver; an unknown item, a
       missing, inactive or identical receiver is a 400 (`items`, `to`).
    2. In one transaction: the `tech_lead` item is a hand-over (eligibility,
       `override_reason`; a refusal is an error on `to`); managed departments, documents
       (clocks and status kept: a change of owner is not a review), projects, tasks and
       sessions change holder set-based, one audit entry per item; successor nominations
       are withdrawn.
    3. A dry run does all of it and rolls it back: the answer is what would happen.

    Returns {"moved": [item + "to"], "count": n, "dry_run": bool}.
    """
    require_hr(actor, "transfer holdings")
    return _transfer(
        actor=actor,
        person=person,
        to=to,
        reason=reason,
        items=items,
        dry_run=dry_run,
        override_reason=override_reason,
    )


def holdings_blocking(person: Person, held: list[Holding], fields: dict) -> list[Holding]:
    """What keeps `fields` from being applied to `person`: everything they hold when they
    are deactivated; the lead role of a department they leave."""
    if person.is_active and fields.get("is_active") is False:
        return held
    if "department" in fields:
        new = fields["department"]
        new_id = new.pk if isinstance(new, Department) else new
        if new_id != person.department_id:
            return [h for h in held if h.type == HoldingType.TECH_LEAD and h.department != new_id]
    return []


def holdings_to_transfer(person: Person, held: list[Holding], fields: dict) -> list[Holding]:
    """What a receiver named with the change gets: all of a deactivated person's holdings;
    for a lead who moves, their holdings in the departments they stop leading."""
    blocking = holdings_blocking(person, held, fields)
    if not blocking or (person.is_active and fields.get("is_active") is False):
        return blocking
    left = {h.department for h in blocking}
    return [h for h in held if h.department in left and h.type != HoldingType.SUCCESSOR]


def _block(person: Person, blocking: list[Holding]) -> HoldingsBlock:
    listed = "; ".join(h.label for h in blocking)
    return HoldingsBlock(
        f"{person} still holds {len(blocking)} item(s): {listed}. "
        "Name who receives them (transfer_to) or transfer them first.",
        holdings=blocking,
    )


def _items(holdings: list[Holding]) -> list[dict]:
    return [{"type": h.type, "id": h.id} for h in holdings]


@transaction.atomic
def person_change(
    *, actor, person: Person, transfer_to: Person | None = None, reason: str = "", **fields
) -> Person:
    """departments' person_update behind the no-orphans guard.

    Deactivating someone who holds anything, or moving the active Tech Lead of a
    department to another department, is a 409 listing the holdings, unless
    `transfer_to` names a receiver: then the holdings move first, in this transaction.
    """
    require_hr(actor, "change people")
    person = Person.objects.select_for_update().get(pk=person.pk)
    held = person_holdings(person)
    blocking = holdings_blocking(person, held, fields)
    if blocking:
        if transfer_to is None:
            raise _block(person, blocking)
        _transfer_for_change(
            actor=actor, person=person, to=transfer_to, reason=reason, held=held, fields=fields
        )
    return person_update(actor=actor, person=person, **fields)


def person_deactivate(
    *, actor, person: Person, transfer_to: Person | None = None, reason: str = ""
) -> Person:
    return person_change(
        actor=actor, person=person, transfer_to=transfer_to, reason=reason, is_active=False
    )


def _transfer_for_change(*, actor, person, to, reason, held, fields, field="transfer_to"):
    why = reason.strip() or (
        f"{person} is deactivated."
        if fields.get("is_active") is False
        else f"{person} moves to another department."
    )
    try:
        _transfer(
            actor=actor,
            person=person,
            to=to,
            reason=why,
            items=_items(holdings_to_transfer(person, held, fields)),
            held=held,
        )
    except DomainError as exc:
        if exc.status_code != 400:
            raise
        raise DomainError(exc.message, field=field) from exc


def people_upsert_guarded(
    *,
    actor,
    rows: list,
    row_numbers: Sequence[int] | None = None,
    row_noun: str = "row",
    row_form: type[PersonRowForm] = PersonRowForm,
):
    """departments' people_upsert behind the no-orphans guard (see _people_upsert_guarded);
    a batch that neither deactivates nor moves anyone is the plain upsert, at its cost."""
    guarded = ("is_active", "department", "transfer_to")
    if not any(isinstance(row, dict) and any(k in row for k in guarded) for row in rows):
        return people_upsert(
            actor=actor, rows=rows, row_numbers=row_numbers, row_noun=row_noun, row_form=row_form
        )
    return _people_upsert_guarded(
        actor=actor, rows=rows, row_numbers=row_numbers, row_noun=row_noun, row_form=row_form
    )


@transaction.atomic
def _people_upsert_guarded(*, actor, rows, row_numbers, row_noun, row_form):
    """The HRIS bulk upsert and import_people behind the no-orphans guard: a row may name
    a receiver in `transfer_to` (an employee_id).

    1. Validate the rows as the upsert does (a bad row: the usual report, nothing written).
    2. Rows that deactivate a holder, or move a lead, without `transfer_to` are errors of
       their row, listing the holdings; so is an unknown or refused receiver.
    3. Transfer the named rows' holdings, then upsert, all in this transaction.
    """
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(rows) + 1))
    receivers_by_row = {}
    plain = []
    for number, row in zip(numbers, rows, strict=True):
        if isinstance(row, dict) and "transfer_to" in row:
            row = dict(row)
            receivers_by_row[number] = str(row.pop("transfer_to") or "").strip()
        plain.append(row)
    ids = {str(r.get("employee_id", "")).strip() for r in plain if isinstance(r, dict)}
    existing = {
        p.employee_id: p
        for p in Person.objects.select_for_update().filter(employee_id__in=ids).order_by("pk")
    }
    cleaned = people_rows_validate(
        plain, existing=existing, row_numbers=numbers, row_noun=row_noun, row_form=row_form
    )
    changing = {
        number: (existing[data["employee_id"]], data)
        for number, data in zip(numbers, cleaned, strict=True)
        if data["employee_id"] in existing and ("is_active" in data or "department" in data)
    }
    held = people_holdings(Person.objects.filter(pk__in=[p.pk for p, _ in changing.values()]))
    receivers = {
        p.employee_id: p
        for p in Person.objects.filter(employee_id__in=[r for r in receivers_by_row.values() if r])
    }
    errors: dict[int, dict[str, list]] = {}
    to_transfer = []
    for number, (person, data) in changing.items():
        mine = held.get(person.pk, [])
        blocking = holdings_blocking(person, mine, data)
        if not blocking:
            continue
        field = "is_active" if data.get("is_active") is False else "department"
        wanted = receivers_by_row.get(number)
        if not wanted:
            errors[number] = {
                field: [_block(person, blocking).message],
                "holdings": [h.as_dict() for h in blocking],
            }
        elif wanted not in receivers:
            errors[number] = {"transfer_to": [f"No person has employee_id {wanted}."]}
        else:
            to_transfer.append((number, person, receivers[wanted], mine, data))
    if errors:
        raise InvalidRows(dict(sorted(errors.items())))
    for number, person, receiver, mine, data in to_transfer:
        try:
            _transfer_for_change(
                actor=actor, person=person, to=receiver, reason="", held=mine, fields=data
            )
        except DomainError as exc:
            if exc.status_code != 400:
                raise
            errors[number] = {"transfer_to": [exc.message]}
    if errors:
        raise InvalidRows(dict(sorted(errors.items())))
    return people_upsert(
        actor=actor, rows=plain, row_numbers=row_numbers, row_noun=row_noun, row_form=row_form
    )


@transaction.atomic
def assignment_hand_over_with_holdings(
    *,
    department: Department,
    successor: Person,
    actor,
    reason: str,
    override_reason: str = "",
    transfer: bool = False,
    items: Sequence[dict] | None = None,
) -> tuple[TechLeadAssignment, int | None]:
    """techleads' hand-over; with `transfer`, the outgoing lead's holdings in the
    department (documents, projects, tasks, sessions; a nomination is withdrawn) move to
    the successor in the same transaction. The department's management is not the lead's
    to pass on and stays. Returns the new assignment and the number of holdings moved
    (None without `transfer`). `items` chooses among those holdings, each with an optional
    receiver of its own (default: the successor)."""
    outgoing = (
        TechLeadAssignment.objects.filter(department=department, ended_at__isnull=True)
        .select_related("person")
        .first()
    )
    assignment = assignment_hand_over(
        department=department,
        successor=successor,
        actor=actor,
        reason=reason,
        override_reason=override_reason,
    )
    if not transfer:
        return assignment, None
    held = person_holdings(outgoing.person)
    moving = [
        h
        for h in held
        if h.department == department.pk
        and h.type not in (HoldingType.TECH_LEAD, HoldingType.MANAGER)
    ]
    if items is not None:
        allowed = {h.key for h in moving}
        refused = [i for i in items if (i.get("type"), i.get("id")) not in allowed]
        if refused:
            raise DomainError(
                f"Only {outgoing.person}'s holdings in {department} move with the role.",
                field="items",
            )
        chosen = list(items)
    else:
        chosen = _items(moving)
    if chosen:
        _transfer(
            actor=actor,
            person=outgoing.person,
            to=successor,
            reason=reason,
            items=chosen,
            held=held,
        )
    return assignment, len(chosen)
