import django_filters

from departments.filtersets import IdFilter
from sops.constants import DocumentKind, DocumentStatus
from sops.models import Document


class DocumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    involved_department = IdFilter(
        field_name="involved_departments", help_text="Processes involving this department."
    )

    class Meta:
        model = Document
        fields = ["department", "owner", "kind", "status", "involved_department"]
