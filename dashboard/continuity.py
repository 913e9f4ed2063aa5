"""Continuity pages for HR: transfer what a person holds, hand over with the lead's
holdings, and the orphans report (what inactive people still hold). Every write goes
through continuity's services, as in the API and the admin."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from continuity.constants import HoldingType
from continuity.forms import HandOverHoldingsForm, TransferForm, transfer_message
from continuity.selectors import (
    Holding,
    holding_from_row,
    moved_with_receivers,
    orphans,
    person_holdings,
)
from continuity.services import assignment_hand_over_with_holdings, holdings_transfer
from departments.forms import perform_form
from departments.models import Person
from techleads.selectors import current_assignment

from .lists import page_of, require_hr
from .views import department_for_user
from .widgets import PersonPicker, searchable

HR_ONLY = "Only HR can transfer what people hold."


def holding_page(holding: Holding) -> str:
    """The dashboard page of a holding (its department's, where it has none of its own)."""
    if holding.type == HoldingType.DOCUMENT:
        return reverse("dashboard:document", args=[holding.id])
    if holding.type == HoldingType.TECH_SESSION:
        return reverse("dashboard:session", args=[holding.id])
    if holding.type in (HoldingType.IMPROVEMENT_PROJECT, HoldingType.IMPROVEMENT_TASK):
        return reverse("dashboard:improvement")
    anchor = {HoldingType.SUCCESSOR: "#successors", HoldingType.TECH_LEAD: "#lead"}
    page = reverse("dashboard:department", args=[holding.department])
    return page + anchor.get(holding.type, "")


def _pickers(form, *, person, department=None):
    """The receivers (and a hand-over's successor) as person pickers: at most widgets.LIMIT
    options each, whoever else by search; validation keeps every choice."""
    for name, field in form.fields.items():
        if name == "to" or name.startswith("to_"):
            field.widget = PersonPicker()
            field.widget.choices = field.choices
            searchable(field, "receiver", person=person)
        elif name == "person" and department is not None:
            field.widget = PersonPicker()
            field.widget.choices = field.choices
            searchable(field, "lead", department)
    return form


def _checklist(form):
    return [(h, holding_page(h), item, receiver) for h, item, receiver in form.checklist()]


@login_required
def person_transfer(request, pk):
    """A person's holdings as a checklist, a receiver for all and per item, a preview
    (dry run) and the transfer itself."""
    require_hr(request, HR_ONLY)
    person = get_object_or_404(Person.objects.select_related("department"), pk=pk)
    holdings = person_holdings(person)
    form = TransferForm(request.POST or None, person=person, holdings=holdings)
    _pickers(form, person=person)
    result = {}

    def transfer(_):
        result.update(
            holdings_transfer(actor=request.user, person=person, **form.transfer_kwargs())
        )
        return result

    if request.method == "POST" and perform_form(request, form, transfer, transfer_message):
        if not result["dry_run"]:
            return redirect("dashboard:person", person.pk)
    context = {
        "person": person,
        "form": form,
        "checklist": _checklist(form),
        "preview": moved_with_receivers(result) if result else None,
        "active": "orphans",
    }
    return render(request, "dashboard/person_transfer.html", context)


@login_required
def hand_over_holdings(request, pk):
    """The hand-over with the outgoing lead's holdings in the department: each with its
    receiver (default: the successor), moved with the role when "transfer" is checked."""
    require_hr(request, HR_ONLY)
    department = department_for_user(request, pk)
    lead = current_assignment(department=department)
    if lead is None:
        return redirect("dashboard:department", department.pk)
    outgoing = lead.person
    holdings = [
        h
        for h in person_holdings(outgoing)
        if h.department == department.pk
        and h.type not in (HoldingType.TECH_LEAD, HoldingType.MANAGER)
    ]
    form = HandOverHoldingsForm(
        request.POST or None,
        department=department,
        user=request.user,
        outgoing=outgoing,
        holdings=holdings,
    )
    _pickers(form, person=outgoing, department=department)

    def hand_over(_):
        return assignment_hand_over_with_holdings(
            department=department, actor=request.user, **form.hand_over_kwargs()
        )

    def success(result):
        assignment, moved = result
        more = f" {moved} holding(s) moved with the role." if moved else ""
        return f"Handed over: {assignment.person} is now the Tech Lead.{more}"

    if request.method == "POST" and perform_form(request, form, hand_over, success):
        return redirect("dashboard:department", department.pk)
    context = {
        "department": department,
        "outgoing": outgoing,
        "form": form,
        "checklist": _checklist(form),
        "active": "departments",
    }
    return render(request, "dashboard/hand_over_holdings.html", context)


@login_required
def orphan_list(request):
    """Every item whose holder is inactive, by holder, paginated in SQL."""
    require_hr(request, HR_ONLY)
    page = page_of(request, orphans())
    items = [holding_from_row(row) for row in page.object_list]
    holders = Person.objects.in_bulk({h.holder for h in items})
    context = {
        "page": page,
        "rows": [(h, holding_page(h), holders.get(h.holder)) for h in items],
        "active": "orphans",
    }
    return render(request, "dashboard/orphans.html", context)
