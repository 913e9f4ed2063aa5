"""The product's URLs plus bare baseline views: the same rows as plain JSON, no framework."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urls
from departments.models import Department, Person
from sops.models import Document

FIELDS = {
    "people": (
        Person,
        [
            "id",
            "employee_id",
            "full_name",
            "email",
            "department",
            "track",
            "level",
            "step",
            "is_active",
        ],
    ),
    "departments": (
        Department,
        ["id", "name", "slug", "manager", "parent", "confluence_space", "knowledge_hub_url"],
    ),
    "sops": (
        Document,
        [
            "id",
            "title",
            "kind",
            "department",
            "owner",
            "url",
            "review_interval_days",
            "last_reviewed_at",
            "next_review_at",
            "status",
        ],
    ),
}


def bare(name):
    model, fields = FIELDS[name]

    def view(request):
        rows = list(model.objects.order_by("id").values(*fields)[:100])
        return JsonResponse({"count": len(rows), "results": rows})

    return view


urlpatterns = [path(f"bare/{name}/", bare(name)) for name in FIELDS] + product_urls
