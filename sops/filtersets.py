import django_filters

from departments.filtersets import DepartmentRefFilter, FilterSet, SearchFilter
from sops.constants import DocumentKind, DocumentStatus
from sops.models import Document


class DocumentFilter(FilterSet):
    department = DepartmentRefFilter()
    search = SearchFilter(fields=["title", "url"])
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    involved_department = DepartmentRefFilter(
        field_name="involved_departments",
        label="Involving",
        help_text="Processes involving this department.",
    )

    class Meta:
        model = Document
        fields = ["search", "department", "owner", "kind", "status", "involved_department"]
