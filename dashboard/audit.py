"""The audit trail for HR: a page that lists and filters it, and the same list as CSV.

Both read through the API's AuditEntryFilter, so a filter means the same thing on the
page, in the export and in `GET /api/v1/audit-entries/`. Nothing here writes an entry:
the trail is append-only (departments migration 0008).
"""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from departments.constants import AUDIT_FIELDS
from departments.filtersets import AuditEntryFilter
from departments.models import AuditEntry

from .lists import filter_list, page_of, require_hr

PAGE_FILTERS = ["search", "verb_prefix", "department", "actor", "since", "until"]
HIDDEN_FILTERS = ["verb", "target_type"]
CSV_COLUMNS = list(AUDIT_FIELDS)
# A cell starting with one of these is a formula to a spreadsheet (CSV injection): such
# text is exported with a leading apostrophe, as spreadsheets themselves escape it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 2000


def audit_entries_for_hr(request):
    """Every entry, newest first, with what a sentence and a CSV row show; HR only."""
    require_hr(request, "Only HR reads the audit trail.")
    return AuditEntry.objects.select_related("actor", "department").order_by("-created_at", "-id")


def pretty_json(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


@login_required
def audit_list(request):
    filterset = filter_list(
        request,
        AuditEntryFilter,
        audit_entries_for_hr(request),
        fields=PAGE_FILTERS,
        hidden=HIDDEN_FILTERS,
    )
    page = page_of(request, filterset.qs)
    for entry in page.object_list:
        entry.before_json = pretty_json(entry.before)
        entry.after_json = pretty_json(entry.after)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": filterset.form,
        "page": page,
        "export_query": query.urlencode(),
        "active": "audit",
    }
    return render(request, "dashboard/audit.html", context)


class Echo:
    """A file-like object whose write() returns the line, for csv.writer to stream."""

    def write(self, value):
        return value


def cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(entry: AuditEntry) -> list[str]:
    return [
        entry.created_at.isoformat(),
        cell(entry.actor.get_username() if entry.actor else ""),
        cell(entry.verb),
        cell(entry.target_type),
        cell(entry.target_id),
        cell(entry.target_repr),
        cell(entry.department.name if entry.department else ""),
        json.dumps(entry.before, sort_keys=True, ensure_ascii=False, default=str),
        json.dumps(entry.after, sort_keys=True, ensure_ascii=False, default=str),
        cell(entry.note),
    ]


def csv_lines(queryset):
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_COLUMNS)
    # iterator(): rows are fetched 2000 at a time and never cached, so memory stays flat
    # however long the trail (a server-side cursor on PostgreSQL).
    for entry in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow(csv_row(entry))


@login_required
def audit_export(request):
    """The page's filtered list as CSV, streamed. A malformed filter is a 400 (an export
    silently wider than asked is worse than none)."""
    filterset = AuditEntryFilter(request.GET, queryset=audit_entries_for_hr(request))
    if not filterset.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
        )
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    filename = f"audit-trail-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(
        csv_lines(filterset.qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
