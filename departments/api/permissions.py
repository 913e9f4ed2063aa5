from rest_framework.permissions import SAFE_METHODS, BasePermission

from departments.constants import INTEGRATION_GROUP
from departments.selectors import user_is_hr


class IsHR(BasePermission):
    message = "Only HR can do this."

    def has_permission(self, request, view):
        return user_is_hr(request.user)


class HRWritesOthersRead(BasePermission):
    """Reading is scoped by the view's queryset; writing is HR's."""

    message = "Only HR can change this."

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or user_is_hr(request.user)


class IsIntegrationOrHR(BasePermission):
    message = "Only an integration login or HR can do this."

    def has_permission(self, request, view):
        user = request.user
        return user_is_hr(user) or user.groups.filter(name=INTEGRATION_GROUP).exists()
