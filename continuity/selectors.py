"""What a person holds, and what inactive people still hold (the orphans report).

Every holding is one row of a UNION over the seven kinds of item, so a person's holdings
and the orphans report are one query each whatever their size, and the report pages in
SQL like any list.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, QuerySet, Value
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


def _kinds() -> list[tuple]:
    """Each kind of holding: (kind, its live items, the holder field, the label, the
    department)."""

    def of_dept(word: str):
        return Concat(_text(word), F("department__name"), output_field=CharField())

    documents = Document.objects.filter(archived_at__isnull=True).exclude(
        status=DocumentStatus.ARCHIVED
    )
    open_tasks = ImprovementTask.objects.filter(status__in=OPEN_TASK_STATUSES)
    return [
        (
            HoldingType.TECH_LEAD,
            TechLeadAssignment.objects.filter(ended_at__isnull=True),
            "person",
            of_dept("Tech Lead of "),
            F("department_id"),
        ),
        (
            HoldingType.MANAGER,
            Department.objects.all(),
            "manager",
            Concat(_text("Manager of "), F("name"), output_field=CharField()),
            F("pk"),
        ),
        (HoldingType.DOCUMENT, documents, "owner", F("title"), F("department_id")),
        (
            HoldingType.IMPROVEMENT_PROJECT,
            ImprovementProject.objects.filter(is_active=True),
            "owner",
            F("name"),
            F("department_id"),
        ),
        # A task is held by its assignee and by its owner (who delegated it).
        (
            HoldingType.IMPROVEMENT_TASK,
            open_tasks,
            "assignee",
            F("title"),
            F("project__department_id"),
        ),
        (
            HoldingType.IMPROVEMENT_TASK,
            open_tasks,
            "owner",
            F("title"),
            F("project__department_id"),
        ),
        (
            HoldingType.SUCCESSOR,
            SuccessorCandidate.objects.all(),
            "person",
            of_dept("Successor candidate for "),
            F("department_id"),
        ),
        (
            HoldingType.TECH_SESSION,
            TechSession.objects.filter(status=SessionStatus.SCHEDULED),
            "presenter",
            F("topic"),
            F("department_id"),
        ),
    ]


def _branches(holders) -> list[QuerySet]:
    """Each kind of holding held by `holders` (a Person queryset, or a list of ids)."""
    return [
        _rows(
            items.filter(**{f"{holder}__in": holders}),
            kind,
            label=label,
            department=department,
            holder=F(f"{holder}_id"),
        )
        for kind, items, holder, label, department in _kinds()
    ]


def inactive_holders() -> list[int]:
    """The ids of inactive people who still hold anything: one query probing each
    inactive person's items by index, so its cost follows the inactive people, not the
    documents (a join of the documents with the inactive people scanned every document:
    PostgreSQL cannot know that the guard keeps inactive people's holdings near zero)."""
    holds = [
        Exists(items.filter(**{holder: OuterRef("pk")})) for _, items, holder, _, _ in _kinds()
    ]
    inactive = Person.objects.filter(is_active=False).filter(reduce(or_, holds))
    return list(inactive.values_list("pk", flat=True))


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
    return [holding_from_row(row) for row in _union(_branches([person.pk]))]


def people_holdings(people: QuerySet[Person]) -> dict[int, list[Holding]]:
    """Holdings of several people at once (one query), by person id."""
    held: dict[int, list[Holding]] = {}
    for row in _union(_branches(people.values("pk"))):
        holding = holding_from_row(row)
        held.setdefault(holding.holder, []).append(holding)
    return held


def orphans() -> QuerySet:
    """Every item whose holder is inactive, as rows (type, id, label, department, holder,
    rank) ordered by holder: a queryset, so a paginator counts and slices it in SQL. Turn
    a page's rows into holdings with `holding_from_row`. Two queries: the inactive
    holders, then their items."""
    return _union(_branches(inactive_holders()))


def moved_with_receivers(result: dict) -> list[tuple[dict, Person | None]]:
    """A transfer's `moved` items, each with its receiver (one query), for a preview."""
    people = Person.objects.in_bulk([item["to"] for item in result["moved"] if item["to"]])
    return [(item, people.get(item["to"])) for item in result["moved"]]
