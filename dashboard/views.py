"""Dashboard pages. Each is scoped to the viewer (out of scope is a 404), reads through
selectors, and writes only through services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from departments.errors import DomainError
from departments.models import AuditEntry, Department
from departments.selectors import count_subquery, user_is_hr
from sops.filtersets import DocumentFilter
from sops.selectors import can_review_document, documents_visible_to
from sops.services import document_review_record
from sops.summary import documents_count
from techleads.constants import SessionStatus
from techleads.filtersets import DepartmentFilter, PersonFilter
from techleads.models import Incident
from techleads.selectors import (
    annotated_verdict,
    can_manage_department,
    current_assignment,
    departments_visible_to,
    escalation_annotated,
    lead_of,
    on_call,
    people_visible_to,
    people_with_eligibility,
    rules_by_id,
    sessions_visible_to,
    successors_with_flags,
)
from techleads.services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    successor_nominate,
)

from . import forms
from .forms import EndForm, LeadForm
from .health import (
    DepartmentHealth,
    acknowledgements_add,
    department_health,
    departments_with_health_inputs,
)
from .lists import bounded_choices, filter_list, form_action, page_of, sort_list
from .selectors import (
    DEPARTMENT_SORTS,
    department_rows,
    notifications_for,
    overview,
)
from .services import notifications_mark_read


def department_for_user(request, pk):
    return get_object_or_404(departments_visible_to(request.user), pk=pk)


def document_for_user(request, pk):
    queryset = documents_visible_to(request.user).select_related("department", "owner")
    return get_object_or_404(queryset, pk=pk)


def home(request):
    """Anonymous visitors get the login page; everyone else the overview."""
    if not request.user.is_authenticated:
        return auth_views.LoginView.as_view(template_name="registration/login.html")(request)
    return overview_view(request)


def department_scope(user):
    """The viewer's departments as a plain queryset (a scope that joins is DISTINCT, which
    aggregates and sorts by annotations do not combine with): a semi-join on the ids."""
    visible = departments_visible_to(user)
    return (
        Department.objects.filter(pk__in=visible.values("pk"))
        if visible.query.distinct
        else visible
    )


def departments_page(request):
    """The viewer's departments filtered (search, Tech Lead), sorted and paged: the filter
    form and the page of department ids the tables show."""
    filterset = filter_list(
        request,
        DepartmentFilter,
        department_scope(request.user),
        fields=["search", "has_tech_lead"],
    )
    ordered = sort_list(filterset, DEPARTMENT_SORTS, default="name")
    return filterset.form, page_of(request, ordered.values_list("pk", flat=True))


@login_required
def overview_view(request):
    form, page = departments_page(request)
    data = overview(department_scope(request.user), page=page)
    context = {"overview": data, "form": form, "page": page, "active": "overview"}
    return render(request, "dashboard/overview.html", context)


@login_required
def department_list(request):
    form, page = departments_page(request)
    ids = list(page.object_list)
    rows = department_rows(Department.objects.filter(pk__in=ids), order=ids)
    context = {"form": form, "page": page, "rows": rows, "active": "departments"}
    return render(request, "dashboard/department_list.html", context)


@login_required
def department_detail(request, pk):
    return department_page(request, department_for_user(request, pk))


def department_page(request, department, **bound_forms):
    """The department page; a failed action re-renders it with its bound form's errors."""
    rules = rules_by_id()
    people = people_with_eligibility(
        people_visible_to(request.user).filter(department=department)
    ).order_by("-is_active", "full_name", "pk")
    people_page = page_of(request, people, param="people_page")
    now = timezone.now()
    one = Department.objects.filter(pk=department.pk)
    # Health inputs, escalation point and open incidents: one query.
    annotated = (
        escalation_annotated(departments_with_health_inputs(one, now=now))
        .annotate(
            open_incidents=count_subquery(
                Incident.objects.filter(department=OuterRef("pk"), resolved_at__isnull=True),
                group_by="department",
            )
        )
        .get()
    )
    acknowledgements_add([annotated])
    context = {
        "department": annotated,
        "lead": lead_of(department),
        "history": department.tech_lead_assignments.select_related("person", "assigned_by"),
        # Each candidate with their flags (expired, ineligible...): the API's read.
        "successors": successors_with_flags(department.successor_candidates.all())
        .select_related("person")
        .order_by("-emergency", "rank", "person__full_name"),
        "people_page": people_page,
        "people": [(p, annotated_verdict(p, rules)) for p in people_page],
        "documents": page_of(
            request,
            department.documents.select_related("owner").order_by("status", "title", "pk"),
            param="documents_page",
        ),
        "health": DepartmentHealth(department=annotated, health=department_health(annotated)),
        "on_call": on_call([annotated])[0],
        "sessions_target": settings.TECH_SESSIONS_PER_QUARTER,
        "next_session": sessions_visible_to(request.user)
        .filter(department=department, status=SessionStatus.SCHEDULED, scheduled_for__gte=now)
        .order_by("scheduled_for")
        .first(),
        "is_hr": user_is_hr(request.user),
        "can_nominate": can_manage_department(request.user, department),
        "lead_form": bounded_choices(LeadForm(department=department, user=request.user)),
        "end_form": EndForm(),
        "nominate_form": bounded_choices(forms.NominateForm(department=department)),
        "active": "departments",
        **bound_forms,
    }
    return render(request, "dashboard/department_detail.html", context)


def _hr(user, department) -> bool:
    return user_is_hr(user)


def department_action(*, form, form_name, perform, success, allowed=_hr):
    """The POST view of one of the department page's actions: validate, call the service
    (`perform(request, department, data)`), and show its refusal as a form error (nothing
    written). Out of scope is a 404, an action the viewer's role lacks a 403."""

    @require_POST
    @login_required
    def view(request, pk):
        department = department_for_user(request, pk)
        return form_action(
            request,
            allowed=allowed(request.user, department),
            refusal="Your role cannot do this.",
            form=form(request.POST)
            if form is EndForm
            else bounded_choices(form(request.POST, department=department)),
            perform=lambda data: perform(request, department, data),
            success=success,
            done=("dashboard:department", department.pk),
            page=lambda bound: department_page(request, department, **{form_name: bound}),
        )

    return view


def _end_current(request, department, data):
    current = current_assignment(department=department)
    if current is None:
        raise DomainError(
            f"{department} has no active Tech Lead. Nothing was ended; to give it one, "
            "use Assign a Tech Lead above."
        )
    data.pop("confirm")  # the form's, not the service's
    return assignment_end(assignment=current, ended_by=request.user, **data)


assign = department_action(
    form=LeadForm,
    form_name="lead_form",
    perform=lambda request, department, data: assignment_create(
        department=department, assigned_by=request.user, **data
    ),
    success=lambda lead: f"{lead.person} is now the Tech Lead of {lead.department}.",
)
hand_over = department_action(
    form=LeadForm,
    form_name="lead_form",
    perform=lambda request, department, data: assignment_hand_over(
        department=department, actor=request.user, successor=data.pop("person"), **data
    ),
    success=lambda lead: f"Handed over: {lead.person} is now the Tech Lead.",
)
end = department_action(
    form=EndForm,
    form_name="end_form",
    perform=_end_current,
    success=lambda ended: f"{ended.person} is no longer the Tech Lead.",
)
nominate = department_action(
    form=forms.NominateForm,
    form_name="nominate_form",
    perform=lambda request, department, data: successor_nominate(
        department=department, actor=request.user, **data
    ),
    success=lambda candidate: f"{candidate.person} is a successor candidate.",
    allowed=can_manage_department,
)


@login_required
def explorer(request):
    filterset = filter_list(
        request,
        PersonFilter,
        people_with_eligibility(people_visible_to(request.user)).select_related("department"),
        fields=["search", "department", "track", "level", "verdict"],
    )
    page = page_of(request, filterset.qs.order_by("full_name", "id"))
    rules = rules_by_id()
    rows = [(p, annotated_verdict(p, rules)) for p in page.object_list]
    context = {"form": filterset.form, "page": page, "rows": rows, "active": "explorer"}
    return render(request, "dashboard/explorer.html", context)


@login_required
def document_list(request):
    filterset = filter_list(
        request,
        DocumentFilter,
        documents_visible_to(request.user),
        fields=["search", "department", "status", "kind"],
        hidden=["owner"],
    )
    page = page_of(
        request,
        filterset.qs.order_by("next_review_at", "title", "id"),
        count=documents_count(filterset),
    )
    context = {"form": filterset.form, "page": page, "active": "documents"}
    return render(request, "dashboard/document_list.html", context)


@login_required
def document_detail(request, pk, form=None):
    document = document_for_user(request, pk)
    context = {
        "document": document,
        "reviews": document.reviews.select_related("reviewer"),
        "can_review": can_review_document(request.user, document) and document.archived_at is None,
        "form": form or forms.ReviewForm(),
        "active": "documents",
    }
    return render(request, "dashboard/document_detail.html", context)


@require_POST
@login_required
def document_review(request, pk):
    document = document_for_user(request, pk)
    return form_action(
        request,
        allowed=can_review_document(request.user, document),
        refusal="Only the owner, the department's Tech Lead or HR can review.",
        form=forms.ReviewForm(request.POST),
        perform=lambda data: document_review_record(document=document, actor=request.user, **data),
        success=lambda _: "Review recorded.",
        done=("dashboard:document", document.pk),
        page=lambda form: document_detail(request, pk, form=form),
    )


@login_required
def inbox(request):
    notifications = notifications_for(request.user).prefetch_related("documents")
    page = page_of(request, notifications)
    context = {"page": page, "unread": any(n.read_at is None for n in page), "active": "inbox"}
    return render(request, "dashboard/inbox.html", context)


@require_POST
@login_required
def inbox_read(request):
    """Mark one notification (`notification` in the form) or the whole inbox read.

    Only the viewer's own notifications can be marked: anything else is a 404.
    """
    notifications = notifications_for(request.user)
    form = forms.MarkReadForm(request.POST)
    if not form.is_valid():
        raise Http404("No such notification.")
    if pk := form.cleaned_data["notification"]:
        notifications = notifications.filter(pk=get_object_or_404(notifications, pk=pk).pk)
    marked = notifications_mark_read(notifications=notifications)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return redirect("dashboard:inbox")


@login_required
def role_changes(request):
    departments = departments_visible_to(request.user)
    entries = AuditEntry.objects.filter(
        department__in=departments, verb__startswith="techlead."
    ).select_related("actor", "department")
    page = page_of(request, entries)
    return render(request, "dashboard/role_changes.html", {"page": page, "active": "overview"})
