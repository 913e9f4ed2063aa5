"""Department health in the API (v1): it combines all three apps, so it lives here.

`GET /api/v1/departments/health/` scores every department in scope and
`GET /api/v1/departments/{id}/health/` one; both in a fixed number of queries.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from departments.api.viewsets import GenericViewSet
from techleads.selectors import departments_visible_to

from .health import (
    acknowledgements_add,
    component_links,
    department_health,
    departments_with_health_inputs,
)


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True, help_text="0-1, or null when it does not apply (then it is not weighed)."
    )
    weight = serializers.FloatField()
    link = serializers.CharField(help_text="The API list behind the value.")
    page = serializers.CharField(help_text="The dashboard page behind the value.")


class HealthSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    name = serializers.CharField(source="department.name")
    score = serializers.IntegerField(
        allow_null=True, help_text="0-100: the weighted mean of the components that apply."
    )
    components = ComponentSerializer(many=True)


def health_payload(department) -> dict:
    score = department_health(department)
    components = []
    for c in score.components:
        link, page = component_links(department.pk, c.key)
        value = None if c.value is None else round(c.value, 4)
        components.append(
            {
                "key": c.key,
                "label": c.label,
                "value": value,
                "weight": c.weight,
                "link": link,
                "page": page,
            }
        )
    return {"department": department, "score": score.score, "components": components}


class HealthViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Each department's health score, explained: every component's value, weight (from
    settings) and the list behind it."""

    serializer_class = HealthSerializer

    def get_queryset(self):
        visible = departments_visible_to(self.request.user)
        return departments_with_health_inputs(visible).order_by("name", "id")

    @extend_schema(responses={200: HealthSerializer(many=True)})
    def list(self, request):
        page = acknowledgements_add(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(
            HealthSerializer([health_payload(d) for d in page], many=True).data
        )

    def retrieve(self, request, pk=None):
        (department,) = acknowledgements_add([self.get_object()])
        return Response(HealthSerializer(health_payload(department)).data)
