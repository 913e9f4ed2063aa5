"""Dashboard pages of the rest of the role's work: tech sessions, improvement work,
capacity, incidents and cross-department processes.

Lists are scoped to the viewer (an object out of scope is a 404); each form is offered
only where the viewer's role may use it, and every write goes through one service, whose
refusal is shown on the re-rendered page with nothing written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from departments.errors import DomainError
from departments.forms import perform_form
from departments.selectors import user_person
from sops.filtersets import DocumentFilter
from sops.models import Document
from sops.selectors import (
    documents_visible_to,
    live_processes,
    process_coverage,
    process_unacknowledged,
    processes_pending_for,
)
from sops.services import process_acknowledge
from techleads.constants import Attendance, SessionStatus
from techleads.filtersets import (
    ImprovementProjectFilter,
    ImprovementTaskFilter,
    IncidentFilter,
    TechSessionFilter,
)
from techleads.models import Allocation
from techleads.selectors import (
    OverAllocatedFirst,
    allocations_overlapping,
    allocations_visible_to,
    can_lead_department,
    capacity_period,
    departments_led_by,
    escalation_for,
    incidents_visible_to,
    on_call,
    people_visible_to,
    project_choices,
    projects_visible_to,
    sessions_visible_to,
    tasks_visible_to,
)
from techleads.services import (
    allocation_remove,
    allocation_set,
    improvement_task_create,
    improvement_task_update,
    incident_record,
    tech_session_record,
    tech_session_schedule,
)
from techleads.services import incident_resolve as resolve_incident

from . import forms
from .lists import bounded_choices, filter_list, form_action, offer_departments, page_of
from .widgets import searchable_people


def _run_by(request, *, or_managed: bool = False) -> set[int]:
    """The ids of the departments whose work the viewer runs (departments_led_by): where a
    row's own actions (move, remove, resolve) are offered."""
    return set(departments_led_by(request.user, or_managed=or_managed).values_list("pk", flat=True))


def create_view(*, form, refusal, perform, success, page, form_name):
    """The POST view of a page's "new ..." form (`form(request, data)` builds it, None for a
    role without it): a role without the form gets a 403; done, back to the page; refused,
    the page again with the bound form and its errors."""

    @require_POST
    @login_required
    def view(request):
        bound = form(request, request.POST)
        if bound is None:
            raise PermissionDenied(refusal)
        if perform_form(request, bound, lambda data: perform(actor=request.user, **data), success):
            return redirect(f"dashboard:{page.__name__}")  # each page view is named as its URL
        return page(request, **{form_name: bound})

    return view


# Tech sessions ------------------------------------------------------------------------


def _session_form(request, data=None):
    led = departments_led_by(request.user)
    if not led.exists():
        return None
    people = people_visible_to(request.user)
    form = forms.SessionForm(data, departments=led, people=people)
    return searchable_people(bounded_choices(form), "session")


@login_required
def sessions(request, session_form=None):
    filterset = filter_list(
        request,
        TechSessionFilter,
        sessions_visible_to(request.user),
        fields=["department", "status"],
    )
    rows = filterset.qs.select_related("department", "presenter").annotate(
        invited_count=Count("invites"),
        present_count=Count("invites", filter=Q(invites__attendance=Attendance.PRESENT)),
    )
    page = page_of(request, rows.order_by("-scheduled_for", "-id"))
    context = {
        "form": filterset.form,
        "page": page,
        "session_form": session_form or _session_form(request),
        "active": "sessions",
    }
    return render(request, "dashboard/sessions.html", context)


session_schedule = create_view(
    form=_session_form,
    refusal="Only HR and Tech Leads schedule tech sessions.",
    perform=tech_session_schedule,
    success=lambda session: f"Scheduled “{session.topic}”.",
    page=sessions,
    form_name="session_form",
)


def _session_for_user(request, pk):
    return get_object_or_404(
        sessions_visible_to(request.user).select_related("department", "presenter"), pk=pk
    )


@login_required
def session_detail(request, pk, record_form=None):
    session = _session_for_user(request, pk)
    can_record = (
        can_lead_department(request.user, session.department)
        and session.status == SessionStatus.SCHEDULED
    )
    context = {
        "session": session,
        "invites": session.invites.select_related("person").order_by("person__full_name"),
        "record_form": record_form
        or (forms.RecordSessionForm(session=session) if can_record else None),
        "active": "sessions",
    }
    return render(request, "dashboard/session_detail.html", context)


@require_POST
@login_required
def session_record(request, pk):
    session = _session_for_user(request, pk)
    return form_action(
        request,
        allowed=can_lead_department(request.user, session.department),
        refusal="Only HR and the department's Tech Lead record its sessions.",
        form=forms.RecordSessionForm(request.POST, session=session),
        perform=lambda data: tech_session_record(actor=request.user, session=session, **data),
        success=lambda s: f"Recorded as {s.get_status_display().lower()}.",
        done=("dashboard:session", session.pk),
        page=lambda form: session_detail(request, pk, record_form=form),
    )


# Process improvement ------------------------------------------------------------------


def _task_form(request, data=None):
    led = departments_led_by(request.user)
    projects = project_choices(request.user).filter(department__in=led.values("pk"), is_active=True)
    if not projects.exists():
        return None
    form = forms.TaskForm(data, projects=projects, people=people_visible_to(request.user))
    return searchable_people(bounded_choices(form), "task")


@login_required
def improvement(request, task_form=None):
    today = timezone.localdate()
    filterset = filter_list(
        request,
        ImprovementTaskFilter,
        tasks_visible_to(request.user),
        fields=["search", "department", "status", "overdue"],
    )
    tasks = filterset.qs.select_related("project__department", "assignee")
    tasks = tasks.order_by("due_date", "id")
    department = request.GET.get("department")  # the projects of the department shown
    projects = ImprovementProjectFilter(
        {"department": department} if department else None,
        queryset=projects_visible_to(request.user, today=today),
    ).qs.select_related("department", "owner")
    me = user_person(request.user)
    led = _run_by(request)
    page = page_of(request, tasks)
    rows = [
        (
            task,
            task.is_overdue(today),
            task.project.department_id in led or (me is not None and task.assignee_id == me.pk),
        )
        for task in page.object_list
    ]
    context = {
        "form": filterset.form,
        "page": page,
        "rows": rows,
        # A page of projects at a time: HR sees one or more per department.
        "projects": page_of(
            request, projects.order_by("department__name", "name", "pk"), param="projects_page"
        ),
        "task_form": task_form or _task_form(request),
        "status_choices": forms.TaskStatusForm().fields["status"].choices,
        "active": "improvement",
    }
    return render(request, "dashboard/improvement.html", context)


task_create = create_view(
    form=_task_form,
    refusal="Only HR and Tech Leads delegate improvement tasks.",
    perform=improvement_task_create,
    success=lambda task: f"Delegated “{task.title}”.",
    page=improvement,
    form_name="task_form",
)


@require_POST
@login_required
def task_status(request, pk):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    form = forms.TaskStatusForm(request.POST)
    done = perform_form(
        request,
        form,
        lambda data: improvement_task_update(actor=request.user, task=task, **data),
        lambda t: f"“{t.title}” is now {t.get_status_display().lower()}.",
    )
    if not done:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("dashboard:improvement")


# Capacity -----------------------------------------------------------------------------


def _allocation_form(request, data=None):
    led = departments_led_by(request.user)
    if not led.exists():
        return None
    projects = project_choices(request.user).filter(department__in=led.values("pk"), is_active=True)
    people = people_visible_to(request.user).filter(department__in=led.values("pk"))
    form = forms.AllocationForm(data, projects=projects, people=people)
    return searchable_people(bounded_choices(form), "allocation")


@login_required
def capacity(request, allocation_form=None, confirm_remove=None):
    today = timezone.localdate()
    default_start, default_end = capacity_period(today)
    form = offer_departments(
        forms.CapacityFilter(
            request.GET or None, initial={"period_start": default_start, "period_end": default_end}
        ),
        request.user,
    )
    people = people_visible_to(request.user).filter(is_active=True, department__isnull=False)
    data = form.cleaned_data if form.is_valid() else {}
    start, end = capacity_period(today, start=data.get("period_start"), end=data.get("period_end"))
    if form.is_bound and form.is_valid():  # the From/To fields show the period the page shows
        form.data = form.data.copy()
        form.data["period_start"], form.data["period_end"] = start.isoformat(), end.isoformat()
    if data.get("department"):
        people = people.filter(department_id=data["department"])
    allocations = allocations_overlapping(
        Allocation.objects.all(), start=start, end=end
    ).select_related("project")
    people = OverAllocatedFirst(
        people.select_related("department")
        .prefetch_related(Prefetch("allocations", queryset=allocations, to_attr="in_period"))
        .order_by("department__name", "full_name", "id"),
        period_start=start,
        period_end=end,
    )
    context = {
        "form": form,
        "page": page_of(request, people),
        "period": (start, end),
        "led": _run_by(request),
        "allocation_form": allocation_form or _allocation_form(request),
        "confirm_remove": confirm_remove,
        "active": "capacity",
    }
    return render(request, "dashboard/capacity.html", context)


allocation_create = create_view(
    form=_allocation_form,
    refusal="Only HR and Tech Leads distribute capacity.",
    perform=allocation_set,
    success=lambda a: f"Allocated {a.percent}% of {a.person.full_name}.",
    page=capacity,
    form_name="allocation_form",
)


@require_POST
@login_required
def allocation_delete(request, pk):
    """Two steps, nothing deleted in one click: "Remove" shows the capacity page asking
    "Remove this allocation?" with what would go; its "Remove allocation" (confirm=yes)
    deletes through allocation_remove."""
    allocation = get_object_or_404(
        allocations_visible_to(request.user).select_related("person__department", "project"),
        pk=pk,
    )
    if request.POST.get("confirm") != "yes":
        if not can_lead_department(request.user, allocation.person.department):
            raise PermissionDenied(
                f"Only HR or the Tech Lead of {allocation.person.department} "
                "can distribute its team's capacity."
            )
        return capacity(request, confirm_remove=allocation)
    try:
        allocation_remove(actor=request.user, allocation=allocation)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, "Allocation removed.")
    return redirect("dashboard:capacity")


# Incidents ----------------------------------------------------------------------------


def _incident_form(request, data=None):
    scope = departments_led_by(request.user, or_managed=True)
    if not scope.exists():
        return None
    form = forms.IncidentForm(data, departments=scope, people=people_visible_to(request.user))
    return searchable_people(bounded_choices(form), "incident")


@login_required
def incidents(request, incident_form=None):
    filterset = filter_list(
        request,
        IncidentFilter,
        incidents_visible_to(request.user),
        fields=["search", "department", "severity", "open"],
    )
    queryset = filterset.qs.select_related("department", "handled_by").order_by(
        "-started_at", "-id"
    )
    # Who to call now, a page of departments at a time (HR sees thousands).
    on_call_page = page_of(
        request, escalation_for(request.user).order_by("name", "pk"), param="on_call_page"
    )
    context = {
        "form": filterset.form,
        "page": page_of(request, queryset),
        "can_resolve": _run_by(request, or_managed=True),
        "on_call": on_call(list(on_call_page)),
        "on_call_page": on_call_page,
        "incident_form": incident_form or _incident_form(request),
        "active": "incidents",
    }
    return render(request, "dashboard/incidents.html", context)


incident_create = create_view(
    form=_incident_form,
    refusal="Only HR, managers and Tech Leads log incidents.",
    perform=incident_record,
    success=lambda incident: f"Logged “{incident.title}”.",
    page=incidents,
    form_name="incident_form",
)


@require_POST
@login_required
def incident_resolve(request, pk):
    incident = get_object_or_404(incidents_visible_to(request.user), pk=pk)
    resolvers = departments_led_by(request.user, or_managed=True)
    if not resolvers.filter(pk=incident.department_id).exists():
        raise PermissionDenied("Only HR, the manager or the Tech Lead resolve its incidents.")
    form = forms.ResolveForm(request.POST)
    if not form.is_valid():  # a bad post-mortem link is refused, not dropped
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("dashboard:incidents")
    try:
        resolve_incident(
            actor=request.user,
            incident=incident,
            postmortem_url=form.cleaned_data["postmortem_url"],
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Resolved “{incident.title}”.")
    return redirect("dashboard:incidents")


# Cross-department processes -----------------------------------------------------------


UNACKNOWLEDGED_SHOWN = 20  # names listed per process; the rest are "and N more"


@login_required
def processes(request):
    # A process is a document: shown to whoever reads documents (not a login without a person).
    readable = live_processes() & documents_visible_to(request.user)
    filterset = filter_list(request, DocumentFilter, readable, fields=["involved_department"])
    page = page_of(request, filterset.qs.select_related("department").order_by("title", "id"))
    shown = Document.objects.filter(pk__in=[d.pk for d in page])
    coverage: dict[int, list] = {}
    for row in process_coverage(shown):
        coverage.setdefault(row.document_id, []).append(row)
    waiting: dict[int, list[tuple[int, str]]] = {}  # who has not acknowledged: one query
    # Named only among the people the viewer may see (an employee: themselves), so each
    # name links to its person page.
    waiting_in_scope = process_unacknowledged(shown, people=people_visible_to(request.user))
    for document_id, pk, name in waiting_in_scope if page.object_list else ():
        waiting.setdefault(document_id, []).append((pk, name))
    context = {
        "form": filterset.form,
        "page": page,
        "rows": [
            (
                d,
                coverage.get(d.pk, []),
                waiting.get(d.pk, [])[:UNACKNOWLEDGED_SHOWN],
                max(len(waiting.get(d.pk, [])) - UNACKNOWLEDGED_SHOWN, 0),
            )
            for d in page
        ],
        "pending": list(processes_pending_for(user_person(request.user)).order_by("title")),
        "active": "processes",
    }
    return render(request, "dashboard/processes.html", context)


@require_POST
@login_required
def process_ack(request, pk):
    person = user_person(request.user)
    if person is None:
        raise PermissionDenied("Only a login linked to a person can acknowledge a process.")
    document = get_object_or_404(live_processes(), pk=pk)
    try:
        process_acknowledge(document=document, person=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Acknowledged “{document.title}” (version {document.version}).")
    return redirect("dashboard:processes")
