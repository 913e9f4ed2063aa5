"""The person page (`/people/<pk>/`): one page per person, for HR and managers.

Scoped exactly as the API's people are (people_visible_to: HR everyone, a manager their
departments' people, a Tech Lead their department's, an employee themselves; anyone
else is a 404). Each list is one query, capped at LIST_SIZE rows, so the page costs the
same number of queries whatever the person holds.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db.models import CharField, F, Q
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from departments.models import AuditEntry, Person
from departments.selectors import user_is_hr
from sops.selectors import documents_visible_to, processes_pending_for
from techleads.constants import OPEN_TASK_STATUSES, Attendance, SessionStatus
from techleads.models import TechSessionInvite
from techleads.selectors import (
    people_visible_to,
    person_eligibility,
    projects_visible_to,
    sessions_visible_to,
    tasks_visible_to,
)

LIST_SIZE = 10  # rows per list; "Showing the first 10" when there are more
HOLDINGS_SHOWN = 25  # what they hold, the role first; the transfer page lists everything
# The holdings list and the transfer page come from the continuity app, when installed.
HAS_CONTINUITY = apps.is_installed("continuity")
HOLDING_LABELS = {
    "tech_lead": "Tech Lead",
    "manager": "Manager",
    "document": "Document",
    "improvement_project": "Improvement project",
    "improvement_task": "Improvement task",
    "successor": "Successor nomination",
    "tech_session": "Tech session",
}


@dataclass(frozen=True)
class Capped:
    """The first LIST_SIZE rows of a list, and whether there were more (one query: the
    list is read LIST_SIZE + 1 rows long)."""

    rows: list
    more: bool


def capped(queryset) -> Capped:
    rows = list(queryset[: LIST_SIZE + 1])
    return Capped(rows=rows[:LIST_SIZE], more=len(rows) > LIST_SIZE)


def person_for_user(request, pk) -> Person:
    """The person, if the viewer may see them (the API's people scope); else a 404."""
    queryset = people_visible_to(request.user).select_related("department", "user")
    return get_object_or_404(queryset, pk=pk)


def audit_about(person: Person):
    """Audit entries whose target is the person, one of their assignments or one of their
    nominations, newest first: one query (the targets are subqueries; audit_target_idx)."""

    def targets(relation):
        ids = relation.annotate(key=Cast("pk", CharField())).values("key")
        return Q(target_type=relation.model._meta.label_lower, target_id__in=ids)

    about = Q(target_type=Person._meta.label_lower, target_id=str(person.pk))
    about |= targets(person.tech_lead_assignments.all())
    about |= targets(person.successor_for.all())
    return AuditEntry.objects.filter(about).select_related("actor", "department")


def person_holdings(person) -> Capped | None:
    """What the person holds (continuity.selectors.person_holdings: one query), or None
    without the continuity app."""
    if not HAS_CONTINUITY:
        return None
    from continuity.selectors import person_holdings as holdings  # noqa: PLC0415

    items = [(HOLDING_LABELS.get(item.type, item.type), item) for item in holdings(person)]
    return Capped(rows=items[:HOLDINGS_SHOWN], more=len(items) > HOLDINGS_SHOWN)


@login_required
def person_detail(request, pk):
    person = person_for_user(request, pk)
    user = request.user
    now = timezone.now()
    # The roles held now first (no end), then the history, most recently ended first.
    assignments = capped(
        person.tech_lead_assignments.select_related("department").order_by(
            F("ended_at").desc(nulls_first=True), "-started_at", "-id"
        )
    )
    open_tasks = tasks_visible_to(user).filter(
        Q(assignee=person) | Q(owner=person), status__in=OPEN_TASK_STATUSES
    )
    attended = TechSessionInvite.objects.filter(
        person=person,
        attendance=Attendance.PRESENT,
        session__in=sessions_visible_to(user).values("pk"),
    )
    context = {
        "person": person,
        "verdict": person_eligibility(person=person),
        "leads": [a for a in assignments.rows if a.ended_at is None],
        "assignments": assignments,
        "manages": list(person.managed_departments.order_by("name")),
        "nominations": capped(
            person.successor_for.select_related("department").order_by("department__name")
        ),
        "documents": capped(
            documents_visible_to(user)
            .filter(owner=person, archived_at__isnull=True)
            .order_by("next_review_at", "title", "id")
        ),
        "projects": capped(
            projects_visible_to(user, today=timezone.localdate())
            .filter(owner=person, is_active=True)
            .select_related("department")
            .order_by("name", "id")
        ),
        "tasks": capped(
            open_tasks.select_related("project__department").order_by("due_date", "id")
        ),
        "presenting": capped(
            sessions_visible_to(user)
            .filter(presenter=person, status=SessionStatus.SCHEDULED)
            .select_related("department")
            .order_by("scheduled_for", "id")
        ),
        "attended": capped(
            attended.select_related("session__department").order_by("-session__scheduled_for")
        ),
        "pending": capped(processes_pending_for(person).order_by("title", "id")),
        "audit": capped(audit_about(person)),
        "holdings": person_holdings(person),
        "can_transfer": HAS_CONTINUITY and user_is_hr(user),
        "now": now,
        "active": "people",
    }
    return render(request, "dashboard/person_detail.html", context)
