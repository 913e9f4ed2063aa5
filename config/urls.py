from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # REST API v1 (see README, API).
    # Dashboard pages and login.
    path("", include("dashboard.urls")),
]
