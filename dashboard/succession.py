"""The succession page (HR: every department; a manager: theirs) and the confirm action of
a successor candidate. Both read through techleads.selectors' succession read path (the
API's departments/succession/ and successors/ read the same) and write through
techleads.services."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from techleads.constants import SuccessionFlag, SuccessionRisk
from techleads.filtersets import SuccessionFilter
from techleads.models import SuccessorCandidate
from techleads.selectors import (
    annotated_flags,
    can_manage_department,
    departments_visible_to,
    lead_of,
    succession_rows,
    succession_visible_to,
)
from techleads.services import successor_confirm

from .lists import filter_list, page_of

FLAG_WORDS = dict(SuccessionFlag.choices)
RISK_WORDS = dict(SuccessionRisk.choices)


def flags_in_words(candidate) -> list[str]:
    """The flags of a candidate annotated by successors_with_flags, explained."""
    return [FLAG_WORDS[flag] for flag in annotated_flags(candidate)]


@dataclass
class SuccessionRow:
    department: object

    @property
    def lead(self):
        return lead_of(self.department)

    @property
    def risk(self) -> str:
        return self.department.succession_risk

    @property
    def risk_label(self) -> str:
        return RISK_WORDS[self.risk]

    @property
    def flagged(self) -> list[tuple]:
        return [(c, flags_in_words(c)) for c in self.department.flagged_candidates]


@login_required
def succession(request):
    """Each department's succession risk, filtered by risk, a page at a time: four queries
    (count, rows, their leads, their flagged candidates) whatever the size."""
    departments = succession_visible_to(request.user)
    if departments is None:
        raise PermissionDenied("Only HR or a department's manager can see succession.")
    filterset = filter_list(
        request, SuccessionFilter, succession_rows(departments), fields=["risk"]
    )
    emergency = SuccessorCandidate.objects.filter(department=OuterRef("pk"), emergency=True)
    rows = filterset.qs.annotate(
        succession_emergency_name=Subquery(emergency.values("person__full_name")[:1])
    )
    page = page_of(request, rows.order_by("name", "id"))
    context = {
        "form": filterset.form,
        "page": page,
        "rows": [SuccessionRow(d) for d in page.object_list],
        "flag_words": SuccessionFlag.choices,
        "confirmation_days": settings.SUCCESSION_CONFIRMATION_DAYS,
        "active": "succession",
    }
    return render(request, "dashboard/succession.html", context)


@require_POST
@login_required
def successor_confirm_view(request, pk):
    """Confirm a successor candidate again (the department's manager or HR): their
    confirmation's clock restarts. Out of the viewer's scope is a 404."""
    candidate = get_object_or_404(
        SuccessorCandidate.objects.select_related("department", "person").filter(
            department__in=departments_visible_to(request.user)
        ),
        pk=pk,
    )
    if not can_manage_department(request.user, candidate.department):
        raise PermissionDenied("Only HR or the department's manager can confirm candidates.")
    confirmed = successor_confirm(candidate=candidate, actor=request.user)
    messages.success(request, f"Confirmed {confirmed.person} as a successor candidate.")
    return redirect(reverse("dashboard:department", args=[candidate.department_id]) + "#successors")
