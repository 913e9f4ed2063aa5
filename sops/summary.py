"""The per-department document summary: kept by deltas in the transaction of each write,
recomputed set-based for a set of departments (the staleness check, the consistency check).

Every read of "documents by status per department" (the overview, the departments list,
the department page, the health score) reads `DepartmentSummary`; only this module and
the recomputation write it. Deltas are `count = count + n` UPDATEs, so two transactions
changing the same department serialise on its row and never lose an update.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from departments.models import Department

from .constants import DocumentKind, DocumentStatus
from .models import DepartmentSummary, Document

GROUPS = ("docs", "tools", "processes")
STATUSES = [s.value for s in DocumentStatus]
COLUMNS = [f"{group}_{status}" for group in GROUPS for status in STATUSES]
# Departments recomputed per statement pair (an IN list of this many ids at most).
BATCH = 500


def group_of(kind: str) -> str:
    if kind == DocumentKind.TOOL:
        return "tools"
    if kind == DocumentKind.CROSS_DEPARTMENT_PROCESS:
        return "processes"
    return "docs"


def column(kind: str, status: str) -> str:
    return f"{group_of(kind)}_{status}"


def kinds_of(group: str) -> list[str]:
    return [kind for kind in DocumentKind.values if group_of(kind) == group]


def _group_q(group: str) -> Q:
    return Q(documents__kind__in=kinds_of(group))


def _counted(group: str, status: str) -> Count:
    return Count("documents", filter=_group_q(group) & Q(documents__status=status))


def _apply(department_id: int, deltas: dict[str, int]) -> None:
    """Add `deltas` ({column: n}) to one department's row, creating it when missing."""
    deltas = {name: n for name, n in deltas.items() if n}
    if not deltas:
        return
    changes = {name: F(name) + n for name, n in deltas.items()}
    if DepartmentSummary.objects.filter(pk=department_id).update(**changes):
        return
    try:
        with transaction.atomic():
            DepartmentSummary.objects.create(department_id=department_id, **deltas)
    except IntegrityError:  # created meanwhile by a concurrent write: add to it
        DepartmentSummary.objects.filter(pk=department_id).update(**changes)


def summary_move(
    *, before: tuple[int, str, str] | None, after: tuple[int, str, str] | None
) -> None:
    """A document went from `before` to `after`, each (department id, kind, status) or None
    (created, deleted). Must run in the write's transaction. Rows are touched in department
    order, so two moves between the same departments cannot deadlock."""
    if before == after:
        return
    deltas: dict[int, Counter] = {}
    for state, n in ((before, -1), (after, 1)):
        if state is not None:
            department_id, kind, status = state
            deltas.setdefault(department_id, Counter())[column(kind, status)] += n
    for department_id in sorted(deltas):
        _apply(department_id, deltas[department_id])


def document_state(document: Document) -> tuple[int, str, str]:
    """What the summary counts a document by."""
    return (document.department_id, document.kind, document.status)


def summary_recompute(department_ids: Iterable[int] | None = None) -> int:
    """Rewrite the rows of `department_ids` (every department when None) from a count of
    their documents; return how many rows were written. Per batch: insert missing rows,
    lock the rows, one GROUP BY, one upsert. Locking before counting makes a concurrent
    write either land before the count (it is counted) or wait and add its delta after."""
    if department_ids is None:
        ids = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(department_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _recompute_batch(ids[start : start + BATCH])
    return written


@transaction.atomic
def _recompute_batch(ids: list[int]) -> int:
    DepartmentSummary.objects.bulk_create(
        [DepartmentSummary(department_id=pk) for pk in ids], ignore_conflicts=True
    )
    list(
        DepartmentSummary.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = [DepartmentSummary(department_id=row.pop("pk"), **row) for row in summary_counted(ids)]
    DepartmentSummary.objects.bulk_update(rows, COLUMNS) if rows else None
    return len(rows)


def summary_counted(ids: list[int] | None = None):
    """The summary's figures counted from the documents: dicts of `pk` and COLUMNS, one
    per department (of `ids`, or all), in one GROUP BY."""
    departments = Department.objects.order_by("pk")
    if ids is not None:
        departments = departments.filter(pk__in=ids)
    return departments.annotate(
        **{f"{g}_{s}": _counted(g, s) for g in GROUPS for s in STATUSES}
    ).values("pk", *COLUMNS)


def summary_differences() -> list[tuple[int, str, int, int]]:
    """(department id, column, stored, counted) for every figure that differs, a missing
    row counting as zeros. Reads in two queries, whatever the size."""
    stored = {
        row["department_id"]: row
        for row in DepartmentSummary.objects.values("department_id", *COLUMNS)
    }
    differences = []
    for counted in summary_counted().iterator(chunk_size=2000):
        row = stored.get(counted["pk"], {})
        for name in COLUMNS:
            if row.get(name, 0) != counted[name]:
                differences.append((counted["pk"], name, row.get(name, 0), counted[name]))
    return differences


def documents_count(filterset) -> int | None:
    """How many documents a documents list (the dashboard's, the API's `sops/`) shows, from
    the summary (no COUNT over the documents), when its filters are ones the summary
    answers: department, status, and a kind that is a group of its own (tools,
    processes). None otherwise (the list counts). Everyone who reads documents reads them
    all, so no scope narrows the count (the caller checks the reader reads them)."""
    form = filterset.form
    if not form.is_bound:
        data = {}
    elif form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if value}
    else:
        return None
    kind = data.pop("kind", None)
    group = group_of(kind) if kind else None
    if kind and kinds_of(group) != [kind]:
        return None
    department = data.pop("department", None)
    status = data.pop("status", None)
    if data:  # search, owner, involved_department: only a COUNT answers
        return None
    rows = DepartmentSummary.objects.all()
    if department is not None:
        rows = rows.filter(department=department)
    columns = [
        F(f"{g}_{s}")
        for g in ([group] if group else GROUPS)
        for s in ([status] if status else STATUSES)
    ]
    return rows.aggregate(n=Coalesce(Sum(sum(columns[1:], columns[0])), Value(0)))["n"]
