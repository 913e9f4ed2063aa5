"""The product's URLs plus bare baseline views: the same rows as plain JSON, no framework."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urls
from departments.constants import DEPARTMENT_FIELDS, PERSON_FIELDS
from departments.models import Department, Person
from sops.constants import DOCUMENT_DERIVED_FIELDS, DOCUMENT_EDIT_FIELDS
from sops.models import Document

# The API's own fields (the concrete ones: a bare view reads columns, not relations), so
# the baseline returns the same rows as the endpoint it is compared with.
FIELDS = {
    "people": (Person, ["id", *PERSON_FIELDS]),
    "departments": (Department, ["id", *DEPARTMENT_FIELDS]),
    "sops": (Document, ["id", *DOCUMENT_EDIT_FIELDS, *DOCUMENT_DERIVED_FIELDS]),
}


def bare(name):
    model, fields = FIELDS[name]

    def view(request):
        rows = list(model.objects.order_by("id").values(*fields)[:100])
        return JsonResponse({"count": len(rows), "results": rows})

    return view


urlpatterns = [path(f"bare/{name}/", bare(name)) for name in FIELDS] + product_urls
