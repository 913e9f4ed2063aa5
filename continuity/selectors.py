"""What a person holds, and what inactive people still hold (the orphans report).

Every holding is one row of a UNION over the seven kinds of item, so a person's holdings
and the orphans report are one query each whatever their size, and the report pages in
SQL like any list.
"""

from dataclasses import dataclass

from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse

from departments.models import Department, Person
from sops.constants import DocumentStatus
from sops.models import Document
from techleads.constants import OPEN_TASK_STATUSES, SessionStatus
from techleads.models import (
    ImprovementProject,
    ImprovementTask,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
)

from .constants import HoldingType

# The API route of each kind of item (`<name>-detail`).
DETAIL_ROUTES = {
    HoldingType.TECH_LEAD: "assignment-detail",
    HoldingType.MANAGER: "department-detail",
    HoldingType.DOCUMENT: "document-detail",
    HoldingType.IMPROVEMENT_PROJECT: "improvement-project-detail",
    HoldingType.IMPROVEMENT_TASK: "improvement-task-detail",
    HoldingType.SUCCESSOR: "successor-detail",
    HoldingType.TECH_SESSION: "tech-session-detail",
}
# Order of the kinds in a list: the role first, then what follows it.
TYPE_ORDER = {kind: rank for rank, kind in enumerate(HoldingType.values)}
COLUMNS = ("h_type", "h_id", "h_label", "h_department", "h_holder", "h_rank")


@dataclass(frozen=True)
class Holding:
    """One thing a person holds: `id` is the item's (the assignment's for `tech_lead`)."""

    type: str
    id: int
    label: str
    department: int | None
    url: str
    holder: int | None = None

    @property
    def kind_label(self) -> str:
        return HoldingType(self.type).label

    @property
    def key(self) -> tuple[str, int]:
        return (self.type, self.id)

    def as_dict(self, *, with_holder: bool = False) -> dict:
        item = {
            "type": self.type,
            "id": self.id,
            "label": self.label,
            "department": self.department,
            "url": self.url,
        }
        if with_holder:
            item["holder"] = self.holder
        return item


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _rows(queryset: QuerySet, kind: str, *, label, department, holder) -> QuerySet:
    """One branch of the UNION: the same six columns, in the same order, for every kind."""
    return (
        queryset.annotate(
            h_type=_text(kind),
            h_id=F("pk"),
            h_label=Concat(label, _text(""), output_field=CharField()),
            h_department=department,
            h_holder=holder,
            h_rank=Value(TYPE_ORDER[kind], output_field=IntegerField()),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def _branches(holder: Q | None = None, *, inactive: bool = False) -> list[QuerySet]:
    """Each kind of holding, filtered on its holder: `holder` is a lookup on a Person
    (e.g. Q(pk=5)); `inactive` keeps only holders who are inactive."""

    def held_by(field: str) -> Q:
        where = Q()
        if holder is not None:
            where &= Q(**{f"{field}__in": Person.objects.filter(holder).values("pk")})
        if inactive:
            where &= Q(**{f"{field}__is_active": False})
        return where

    def of_dept(word: str):
        return Concat(_text(word), F("department__name"), output_field=CharField())

    return [
        _rows(
            TechLeadAssignment.objects.filter(held_by("person"), ended_at__isnull=True),
            HoldingType.TECH_LEAD,
            label=of_dept("Tech Lead of "),
            department=F("department_id"),
            holder=F("person_id"),
        ),
        _rows(
            Department.objects.filter(held_by("manager")),
            HoldingType.MANAGER,
            label=Concat(_text("Manager of "), F("name"), output_field=CharField()),
            department=F("pk"),
            holder=F("manager_id"),
        ),
        _rows(
            Document.objects.filter(held_by("owner"), archived_at__isnull=True).exclude(
                status=DocumentStatus.ARCHIVED
            ),
            HoldingType.DOCUMENT,
            label=F("title"),
            department=F("department_id"),
            holder=F("owner_id"),
        ),
        _rows(
            ImprovementProject.objects.filter(held_by("owner"), is_active=True),
            HoldingType.IMPROVEMENT_PROJECT,
            label=F("name"),
            department=F("department_id"),
            holder=F("owner_id"),
        ),
        # A task is held by its assignee and by its owner (who delegated it).
        _rows(
            ImprovementTask.objects.filter(held_by("assignee"), status__in=OPEN_TASK_STATUSES),
            HoldingType.IMPROVEMENT_TASK,
            label=F("title"),
            department=F("project__department_id"),
            holder=F("assignee_id"),
        ),
        _rows(
            ImprovementTask.objects.filter(held_by("owner"), status__in=OPEN_TASK_STATUSES),
            HoldingType.IMPROVEMENT_TASK,
            label=F("title"),
            department=F("project__department_id"),
            holder=F("owner_id"),
        ),
        _rows(
            SuccessorCandidate.objects.filter(held_by("person")),
            HoldingType.SUCCESSOR,
            label=of_dept("Successor candidate for "),
            department=F("department_id"),
            holder=F("person_id"),
        ),
        _rows(
            TechSession.objects.filter(held_by("presenter"), status=SessionStatus.SCHEDULED),
            HoldingType.TECH_SESSION,
            label=F("topic"),
            department=F("department_id"),
            holder=F("presenter_id"),
        ),
    ]


def _union(branches: list[QuerySet]) -> QuerySet:
    # UNION (not ALL): a task someone both owns and is assigned is one holding.
    first, *rest = branches
    return first.union(*rest).order_by("h_holder", "h_rank", "h_id")


def holding_from_row(row) -> Holding:
    kind, pk, label, department, holder, _rank = row
    return Holding(
        type=kind,
        id=pk,
        label=label,
        department=department,
        url=reverse(DETAIL_ROUTES[kind], kwargs={"pk": pk}),
        holder=holder,
    )


def person_holdings(person: Person) -> list[Holding]:
    """What `person` holds, the role first: one query whatever the number of items."""
    return [holding_from_row(row) for row in _union(_branches(Q(pk=person.pk)))]


def people_holdings(people: QuerySet[Person]) -> dict[int, list[Holding]]:
    """Holdings of several people at once (one query), by person id."""
    held: dict[int, list[Holding]] = {}
    for row in _union(_branches(Q(pk__in=people.values("pk")))):
        holding = holding_from_row(row)
        held.setdefault(holding.holder, []).append(holding)
    return held


def orphans() -> QuerySet:
    """Every item whose holder is inactive, as rows (type, id, label, department, holder,
    rank) ordered by holder: a queryset, so a paginator counts and slices it in SQL. Turn
    a page's rows into holdings with `holding_from_row`."""
    return _union(_branches(inactive=True))


def moved_with_receivers(result: dict) -> list[tuple[dict, Person | None]]:
    """A transfer's `moved` items, each with its receiver (one query), for a preview."""
    people = Person.objects.in_bulk([item["to"] for item in result["moved"] if item["to"]])
    return [(item, people.get(item["to"])) for item in result["moved"]]
