"""The transfer checklist, shared by the admin's transfer page and the dashboard's: every
holding with a checkbox and its own receiver (default: the one receiver for all)."""

from django import forms

from departments.models import Person

from .constants import HoldingType
from .selectors import Holding


def receiver_choices(person: Person) -> list[tuple[int, str]]:
    """Active people but `person`, by name: one query for every receiver field."""
    people = (
        Person.objects.filter(is_active=True)
        .exclude(pk=person.pk)
        .order_by("full_name", "id")
        .values_list("pk", "full_name", "employee_id")
    )
    return [(pk, f"{name} ({employee_id})") for pk, name, employee_id in people]


class TransferForm(forms.Form):
    """`to`, `reason`, `override_reason`, `dry_run`, and per holding `item_<type>_<id>`
    (moved when checked) and `to_<type>_<id>` (its own receiver; a successor nomination
    has none: it is withdrawn)."""

    to = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
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
        self.person = person
        self.holdings = holdings
        choices = receiver_choices(person)
        self.fields["to"].choices = [("", "Choose a person"), *choices]
        self.rows = []
        for holding in holdings:
            key = f"{holding.type}_{holding.id}"
            self.fields[f"item_{key}"] = forms.BooleanField(
                required=False, initial=True, label=holding.label
            )
            receiver = None
            if holding.type != HoldingType.SUCCESSOR:
                receiver = f"to_{key}"
                self.fields[receiver] = forms.TypedChoiceField(
                    coerce=int,
                    empty_value=None,
                    required=False,
                    choices=[("", "The receiver above"), *choices],
                    label=f"Receiver of {holding.label}",
                )
            self.rows.append((holding, f"item_{key}", receiver))

    def clean(self):
        data = super().clean()
        if self.rows and not any(data.get(item) for _, item, _ in self.rows):
            raise forms.ValidationError("Check at least one item to transfer.")
        return data

    def checklist(self):
        """(holding, its checkbox, its receiver field or None) for the template."""
        return [
            (holding, self[item], self[receiver] if receiver else None)
            for holding, item, receiver in self.rows
        ]

    def transfer_kwargs(self) -> dict:
        """holdings_transfer's arguments from the cleaned form (people: one query)."""
        data = self.cleaned_data
        chosen = [(h, data.get(receiver) if receiver else None) for h, item, receiver in self.rows
                  if data.get(item)]  # fmt: skip
        ids = {data.get("to"), *(pk for _, pk in chosen)} - {None}
        people = Person.objects.in_bulk(list(ids))
        items = [{"type": h.type, "id": h.id, "to": people.get(pk)} for h, pk in chosen]
        return {
            "to": people.get(data.get("to")),
            "reason": data["reason"],
            "override_reason": data.get("override_reason", ""),
            "dry_run": data.get("dry_run", False),
            "items": items,
        }


def transfer_message(result: dict) -> str:
    """The success message of a transfer, or of its preview."""
    if result["dry_run"]:
        return (
            f"Preview: {result['count']} item(s) would move; nothing has changed yet. "
            "Uncheck “Preview only” to move them."
        )
    return f"{result['count']} item(s) transferred."
