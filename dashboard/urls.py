from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="overview"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("departments/<int:pk>/assign/", views.assign, name="assign"),
    path("departments/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("departments/<int:pk>/end/", views.end, name="end"),
    path("departments/<int:pk>/successors/", views.nominate, name="nominate"),
    path("eligibility/", views.explorer, name="explorer"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/review/", views.document_review, name="review"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("role-changes/", views.role_changes, name="role_changes"),
]
