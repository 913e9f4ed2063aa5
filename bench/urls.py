"""The product's URLs plus bare baseline views: the first page of each API list as plain
Django builds it (values(), COUNT, JsonResponse), no framework.

Each returns the JSON its endpoint returns for `?page_size=100&ordering=id` (api_bench
checks it): the same rows with the same fields (a department's Tech Lead, a document's
involved departments), the list's total and the page links, read with the fewest
queries plain Django needs."""

from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, FilteredRelation, Q
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urls
from departments.constants import DEPARTMENT_FIELDS, PERSON_FIELDS
from departments.models import Department, Person
from sops.constants import DOCUMENT_DERIVED_FIELDS, DOCUMENT_EDIT_FIELDS
from sops.models import Document

PAGE_SIZE = 100
LEAD = {
    "lead_id": F("active_lead__person_id"),
    "lead_full_name": F("active_lead__person__full_name"),
    "lead_assignment": F("active_lead__id"),
    "lead_since": F("active_lead__started_at"),
}


class Encoder(DjangoJSONEncoder):
    """Date-times to the microsecond, as DRF renders them (Django's encoder keeps
    milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


def page(request, queryset, rows: list[dict]) -> JsonResponse:
    total = queryset.count()
    following = f"?page=2&page_size={PAGE_SIZE}" if total > PAGE_SIZE else None
    body = {
        "count": total,
        "next": following and request.build_absolute_uri(following),
        "previous": None,
        "results": rows,
    }
    return JsonResponse(body, encoder=Encoder)


def people(request):
    queryset = Person.objects.order_by("id")
    return page(request, queryset, list(queryset.values("id", *PERSON_FIELDS)[:PAGE_SIZE]))


def departments(request):
    queryset = Department.objects.order_by("id")
    # The active Tech Lead in the department's row (one active assignment per department).
    active = FilteredRelation(
        "tech_lead_assignments", condition=Q(tech_lead_assignments__ended_at__isnull=True)
    )
    rows = list(
        queryset.annotate(active_lead=active).values("id", *DEPARTMENT_FIELDS, **LEAD)[:PAGE_SIZE]
    )
    for row in rows:
        lead = {name.removeprefix("lead_"): row.pop(name) for name in LEAD}
        row["tech_lead"] = lead if lead["assignment"] is not None else None
    return page(request, queryset, rows)


def sops(request):
    queryset = Document.objects.order_by("id")
    fields = ["id", *DOCUMENT_EDIT_FIELDS, *DOCUMENT_DERIVED_FIELDS]
    rows = list(queryset.values(*fields)[:PAGE_SIZE])
    involved = {row["id"]: [] for row in rows}
    # The involved departments of the page, in the departments' order (by name).
    for document, department in Department.objects.filter(
        involved_in_processes__in=list(involved)
    ).values_list("involved_in_processes", "id"):
        involved[document].append(department)
    for row in rows:
        row["involved_departments"] = involved[row["id"]]
    return page(request, queryset, rows)


VIEWS = {"people": people, "departments": departments, "sops": sops}
urlpatterns = [path(f"bare/{name}/", view) for name, view in VIEWS.items()] + product_urls
