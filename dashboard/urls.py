from django.contrib.auth import views as auth_views
from django.urls import path

from . import audit, continuity, people, picker, policy, succession, trends, views
from . import responsibilities as work

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
    path(
        "successors/<int:pk>/confirm/",
        succession.successor_confirm_view,
        name="successor_confirm",
    ),
    path("succession/", succession.succession, name="succession"),
    path("departments/<int:pk>/trends/", trends.department_trends, name="department_trends"),
    path("people/search/", picker.people_search, name="people_search"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/transfer/", continuity.person_transfer, name="person_transfer"),
    path("orphans/", continuity.orphan_list, name="orphans"),
    path(
        "departments/<int:pk>/hand-over/holdings/",
        continuity.hand_over_holdings,
        name="hand_over_holdings",
    ),
    path("trends/", trends.trends, name="trends"),
    path("eligibility/", views.explorer, name="explorer"),
    path("eligibility/rules/", policy.rule_list, name="rules"),
    path("eligibility/rules/new/", policy.rule_edit, name="rule_add"),
    path("eligibility/rules/<int:pk>/", policy.rule_edit, name="rule"),
    path("eligibility/rules/<int:pk>/remove/", policy.rule_remove, name="rule_remove"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/review/", views.document_review, name="review"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("role-changes/", views.role_changes, name="role_changes"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("sessions/", work.sessions, name="sessions"),
    path("sessions/new/", work.session_schedule, name="session_schedule"),
    path("sessions/<int:pk>/", work.session_detail, name="session"),
    path("sessions/<int:pk>/record/", work.session_record, name="session_record"),
    path("improvement/", work.improvement, name="improvement"),
    path("improvement/tasks/new/", work.task_create, name="task_create"),
    path("improvement/tasks/<int:pk>/status/", work.task_status, name="task_status"),
    path("capacity/", work.capacity, name="capacity"),
    path("capacity/allocations/new/", work.allocation_create, name="allocation_create"),
    path("capacity/allocations/<int:pk>/delete/", work.allocation_delete, name="allocation_delete"),
    path("incidents/", work.incidents, name="incidents"),
    path("incidents/new/", work.incident_create, name="incident_create"),
    path("incidents/<int:pk>/resolve/", work.incident_resolve, name="incident_resolve"),
    path("processes/", work.processes, name="processes"),
    path("processes/<int:pk>/acknowledge/", work.process_ack, name="process_ack"),
]
