"""The API's search and ordering backends (settings: DEFAULT_FILTER_BACKENDS, after
django-filter's). DRF's own read `?search=` and `?ordering=` on every list and drop what
they do not understand; these read them only where a viewset supports them and refuse
what they cannot honour, so a parameter is either documented and applied or a 400 (see
`departments.api.viewsets`)."""

from django.utils.encoding import force_str
from rest_framework import filters
from rest_framework.exceptions import ValidationError


class SearchFilter(filters.SearchFilter):
    """`?search=` on the viewsets that declare `search_fields`, and only there."""

    def filter_queryset(self, request, queryset, view):
        if not self.get_search_fields(view, request):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=a,-b` on the viewsets that declare `ordering_fields` or a default
    `ordering`; a field it cannot order by is a 400 naming the allowed ones."""

    ordering_description = "Comma-separated fields to order by; a leading '-' reverses one."

    def supports(self, view) -> bool:
        return any(getattr(view, name, None) for name in ("ordering_fields", "ordering"))

    def allowed(self, queryset, view, request=None) -> list[str]:
        """Every accepted term: each valid field, ascending and descending."""
        context = {"request": request} if request is not None else {}
        fields = [name for name, _label in self.get_valid_fields(queryset, view, context)]
        return [term for name in fields for term in (name, f"-{name}")]

    def get_ordering(self, request, queryset, view):
        if not self.supports(view):
            return None
        param = request.query_params.get(self.ordering_param)
        terms = [term.strip() for term in (param or "").split(",") if term.strip()]
        if not terms:
            return self.get_default_ordering(view)
        allowed = self.allowed(queryset, view, request)
        unknown = [term for term in terms if term not in allowed]
        if unknown:
            message = f"Unknown ordering: {', '.join(unknown)}. Allowed: {', '.join(allowed)}."
            raise ValidationError({self.ordering_param: [message]})
        return terms

    def get_schema_operation_parameters(self, view):
        if not self.supports(view):
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": force_str(self.ordering_description),
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": self.allowed(view.get_queryset(), view)},
                },
                "style": "form",
                "explode": False,
            }
        ]
