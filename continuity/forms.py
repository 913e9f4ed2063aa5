"""The holdings checklist: every holding with a checkbox and its own receiver (default:
the one receiver for all). The admin's transfer page, the dashboard's and the dashboard's
hand-over share it."""

from django import forms
from django.utils.choices import BaseChoiceIterator

from departments.models import Person
from techleads.forms import LeadForm

from .constants import HoldingType
from .selectors import Holding


def receivers(person: Person):
    """Who may receive `person`'s holdings: active people but `person`, by name."""
    return Person.objects.filter(is_active=True).exclude(pk=person.pk).order_by("full_name", "id")


def receiver_label(full_name: str, employee_id: str) -> str:
    return f"{full_name} ({employee_id})"


class ReceiverChoices(BaseChoiceIterator):
    """A blank choice, then `queryset`'s people as (id, label), read only when iterated:
    a picker reads its first few (a LIMIT), a submitted receiver is checked with one query
    (ReceiverField), so no form reads every active person of a large organisation."""

    def __init__(self, queryset, blank: str):
        self.queryset = queryset
        self.blank = blank

    def __iter__(self):
        yield "", self.blank
        for pk, name, employee_id in self.queryset.values_list("pk", "full_name", "employee_id"):
            yield pk, receiver_label(name, employee_id)


class ReceiverField(forms.TypedChoiceField):
    """A person id among ReceiverChoices, checked in the database, not among the choices."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        if isinstance(self.choices, ReceiverChoices):
            return str(value).isdigit() and self.choices.queryset.filter(pk=value).exists()
        return super().valid_value(value)


class ChecklistMixin:
    """Adds per holding `item_<type>_<id>` (moved when checked) and `to_<type>_<id>` (its
    own receiver; a successor nomination has none: it is withdrawn)."""

    default_receiver = "The receiver above"

    def add_checklist(self, *, person: Person, holdings: list[Holding]) -> None:
        self.person = person
        self.holdings = holdings
        self.rows = []
        for holding in holdings:
            key = f"{holding.type}_{holding.id}"
            self.fields[f"item_{key}"] = forms.BooleanField(
                required=False, initial=True, label=holding.label
            )
            receiver = None
            if holding.type != HoldingType.SUCCESSOR:
                receiver = f"to_{key}"
                self.fields[receiver] = ReceiverField(
                    choices=ReceiverChoices(receivers(person), self.default_receiver),
                    label=f"Receiver of {holding.label}",
                )
            self.rows.append((holding, f"item_{key}", receiver))

    def checklist(self):
        """(holding, its checkbox, its receiver field or None) for the template."""
        return [
            (holding, self[item], self[receiver] if receiver else None)
            for holding, item, receiver in self.rows
        ]

    def checked_items(self, *, default=None) -> tuple[list[dict], dict[int, Person]]:
        """The checked holdings as holdings_transfer's `items`, and the people named
        (`default`'s id included; one query)."""
        data = self.cleaned_data
        chosen = [(h, data.get(receiver) if receiver else None) for h, item, receiver in self.rows
                  if data.get(item)]  # fmt: skip
        people = Person.objects.in_bulk(list({default, *(pk for _, pk in chosen)} - {None}))
        return [{"type": h.type, "id": h.id, "to": people.get(pk)} for h, pk in chosen], people


class TransferForm(ChecklistMixin, forms.Form):
    """What holdings_transfer takes: `to`, `reason`, `override_reason`, `dry_run` and the
    checklist."""

    to = ReceiverField(
        label="Receiver",
        help_text="Receives every item that has no receiver of its own.",
    )
    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        max_length=5000,
        required=False,
        label="Override reason",
        help_text="Only if the receiver of the Tech Lead role is not eligible (recorded).",
    )
    dry_run = forms.BooleanField(
        required=False, label="Preview only: check everything, move nothing"
    )

    def __init__(self, data=None, *, person: Person, holdings: list[Holding], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["to"].choices = ReceiverChoices(receivers(person), "Choose a person")
        self.add_checklist(person=person, holdings=holdings)

    def clean(self):
        data = super().clean()
        if self.rows and not any(data.get(item) for _, item, _ in self.rows):
            raise forms.ValidationError("Check at least one item to transfer.")
        return data

    def transfer_kwargs(self) -> dict:
        """holdings_transfer's arguments from the cleaned form."""
        data = self.cleaned_data
        items, people = self.checked_items(default=data.get("to"))
        return {
            "to": people.get(data.get("to")),
            "reason": data["reason"],
            "override_reason": data.get("override_reason", ""),
            "dry_run": data.get("dry_run", False),
            "items": items,
        }


class HandOverHoldingsForm(ChecklistMixin, LeadForm):
    """The hand-over (successor, reason, override) with the outgoing lead's holdings in
    the department: moved with the role when `transfer` is checked."""

    default_receiver = "The successor"

    transfer = forms.BooleanField(
        required=False,
        initial=True,
        label="Transfer holdings: move the checked items with the role",
    )

    def __init__(self, data=None, *, department, user, outgoing: Person, holdings, **kwargs):
        super().__init__(data, department=department, user=user, **kwargs)
        self.add_checklist(person=outgoing, holdings=holdings)

    def hand_over_kwargs(self) -> dict:
        """assignment_hand_over_with_holdings' arguments from the cleaned form."""
        data = self.cleaned_data
        items, _ = self.checked_items()
        return {
            "successor": data["person"],
            "reason": data["reason"],
            "override_reason": data.get("override_reason", ""),
            "transfer": data.get("transfer", False),
            "items": items,
        }


def transfer_message(result: dict) -> str:
    """The success message of a transfer, or of its preview."""
    if result["dry_run"]:
        return (
            f"Preview: {result['count']} item(s) would move; nothing has changed yet. "
            "Confirm to move them."
        )
    return f"{result['count']} item(s) transferred."
