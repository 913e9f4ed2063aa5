"""Who to call now: the escalation point of every department in one query."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from departments.models import Department, Person

from ..constants import EscalationRole
from ..models import TechLeadAssignment
from .access import departments_visible_to
from .succession import escalation_successors


def escalation_annotated(
    queryset: QuerySet[Department] | None = None, *, at: datetime | None = None
) -> QuerySet[Department]:
    """Annotate each department with its escalation point, in one query for any number.

    `escalation_person_id` and `escalation_role` follow rules.escalation_chain: the Tech
    Lead (at `at`, else now), then the ready successor (selectors.escalation_successors: the
    emergency candidate, then ready-now ones by rank, none flagged), then the manager,
    skipping inactive people. Successors and manager are today's: their history is not kept.
    """
    queryset = queryset if queryset is not None else Department.objects.all()
    leads = TechLeadAssignment.objects.filter(department=OuterRef("pk"), person__is_active=True)
    if at is None:
        leads = leads.filter(ended_at__isnull=True)
    else:
        leads = leads.filter(started_at__lte=at).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=at)
        )
    successors = escalation_successors().filter(department=OuterRef("pk"))
    return queryset.annotate(
        escalation_lead_id=Subquery(leads.order_by("-started_at").values("person_id")[:1]),
        escalation_successor_id=Subquery(successors.values("person_id")[:1]),
        escalation_manager_id=Case(
            When(manager__is_active=True, then=F("manager_id")),
            default=Value(None),
            output_field=BigIntegerField(),
        ),
    ).annotate(
        escalation_person_id=Coalesce(
            "escalation_lead_id",
            "escalation_successor_id",
            "escalation_manager_id",
            output_field=BigIntegerField(),
        ),
        escalation_role=Case(
            When(escalation_lead_id__isnull=False, then=Value("tech_lead")),
            When(escalation_successor_id__isnull=False, then=Value("successor")),
            When(escalation_manager_id__isnull=False, then=Value("manager")),
            default=Value(None),
            output_field=CharField(),
        ),
    )


@dataclass(frozen=True)
class OnCall:
    """A department's answer to "who do I call now?"."""

    department: Department
    person: Person | None
    role: str | None

    @property
    def role_label(self) -> str:
        return EscalationRole(self.role).label if self.role else ""


def escalation_for(user, *, at: datetime | None = None) -> QuerySet[Department]:
    """The departments `user` may see, annotated with their escalation point."""
    return escalation_annotated(departments_visible_to(user), at=at)


def on_call(departments: Iterable[Department]) -> list[OnCall]:
    """Who to call for departments annotated by escalation_annotated; their people in one
    query.

    The one scoping decision, the same for every face: whoever may see a department sees
    who to call for it. The person is not narrowed to the people the viewer may open: an
    employee must reach their own department's on-call contact in an incident.
    """
    departments = list(departments)
    people = Person.objects.in_bulk({d.escalation_person_id for d in departments} - {None})
    return [
        OnCall(department=d, person=people.get(d.escalation_person_id), role=d.escalation_role)
        for d in departments
    ]
