from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from continuity.api.views import (
    GuardedPersonViewSet,
    HoldingsHandOverDepartmentViewSet,
    OrphanViewSet,
)
from dashboard.api import HealthViewSet
from departments.api.audit import AuditEntryViewSet
from departments.api.auth import obtain_auth_token
from departments.api.handlers import read_only
from departments.api.webhooks import WebhookDeliveryViewSet, WebhookViewSet
from integrations.health import healthz, readyz
from sops.api.views import DocumentViewSet
from techleads.api.responsibilities import (
    AllocationViewSet,
    ImprovementProjectViewSet,
    ImprovementTaskViewSet,
    IncidentViewSet,
    TechSessionViewSet,
)
from techleads.api.rules import EligibilityRuleViewSet
from techleads.api.succession import SuccessionViewSet
from techleads.api.views import (
    AssignmentViewSet,
    SuccessorViewSet,
)

router = DefaultRouter(use_regex_path=True)
router.include_root_view = False
router.include_format_suffixes = False  # JSON only: "/people/1.json" is not a thing
# continuity's subclasses: every change of a person passes the no-orphans guard, and the
# hand-over takes `transfer`.
router.register("departments", HoldingsHandOverDepartmentViewSet, basename="department")
router.register("people", GuardedPersonViewSet, basename="person")
router.register("eligibility-rules", EligibilityRuleViewSet, basename="eligibility-rule")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("successors", SuccessorViewSet, basename="successor")
router.register("departments/succession", SuccessionViewSet, basename="department-succession")
router.register("sops", DocumentViewSet, basename="document")
router.register("tech-sessions", TechSessionViewSet, basename="tech-session")
router.register("improvement-projects", ImprovementProjectViewSet, basename="improvement-project")
router.register("improvement-tasks", ImprovementTaskViewSet, basename="improvement-task")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("reports/orphans", OrphanViewSet, basename="orphan")

# Department health combines every app, so it is served by the dashboard app's viewset.
health_list = HealthViewSet.as_view({"get": "list"})
health_detail = HealthViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    # Probes (README, Running in production): anonymous, exempt from the HTTPS redirect.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # REST API v1 (see README, API).
    # DRF's token login under the login protection (departments/api/auth.py).
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/departments/health/", health_list, name="department-health-list"),
    path("api/v1/departments/<int:pk>/health/", health_detail, name="department-health"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", read_only(SpectacularAPIView.as_view()), name="api-schema"),
    # Swagger UI with no inline script or style (the Content-Security-Policy allows none).
    path(
        "api/docs/",
        read_only(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    # Dashboard pages and login.
    path("", include("dashboard.urls")),
]

# Under /api/ every answer is JSON, errors included; elsewhere Django's pages.
handler400 = "departments.api.handlers.bad_request"
handler403 = "departments.api.handlers.permission_denied"
handler404 = "departments.api.handlers.page_not_found"
handler500 = "departments.api.handlers.server_error"
