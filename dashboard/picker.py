"""The person picker's search (`/people/search/?for=&department=&q=`, or `&person=` for a
transfer's receivers): at most MATCHES people of the very queryset the form's field offers,
rebuilt here from the form and its department (or person), as JSON for static/js/picker.js.

Scope and role are the page's: a department out of the viewer's scope is a 404, a form the
viewer's role cannot submit a 403 (the same checks as the form's POST view). The match is a
case-insensitive substring of the full name, employee id or email, on the field's ordered
queryset (eligible first where the form orders so), LIMIT MATCHES: one query.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from continuity.forms import receiver_label, receivers
from departments.models import Person
from departments.selectors import user_is_hr
from techleads.selectors import can_manage_department

from . import responsibilities
from .forms import LeadForm, NominateForm
from .lists import require_hr
from .views import department_for_user
from .widgets import PickerMixin

MATCHES = 20
PARAMS = {"for", "department", "person", "field", "q"}


def _department_form(build, allowed):
    """A department page's form: its `person` field, for whom may use the form."""

    def choices(request, params):
        department = department_for_user(request, _id(params, "department"))  # 404 out of scope
        if not allowed(request.user, department):
            raise PermissionDenied("Your role cannot use this form.")
        field = build(request, department).fields["person"]
        return field.queryset, field.label_from_instance

    return choices


def _receivers(request, params):
    """A transfer's or hand-over's receivers (continuity's, HR only): anyone active but
    the person whose holdings move."""
    require_hr(request, "Only HR can transfer what people hold.")
    person = get_object_or_404(Person, pk=_id(params, "person"))
    return receivers(person), lambda p: receiver_label(p.full_name, p.employee_id)


def _viewer_form(build):
    """A form built from the viewer alone (sessions, tasks, allocations, incidents): the
    page's own builder, None when the viewer has no such form (a 403); `field` names it."""

    def choices(request, params):
        form = build(request)
        if form is None:
            raise PermissionDenied("Your role cannot use this form.")
        field = form.fields.get(params.get("field", ""))
        if field is None or not isinstance(field.widget, PickerMixin):
            raise BadRequest("'field' is one of the form's people.")
        return field.queryset, field.label_from_instance

    return choices


# Which form's field (as its POST view builds it and checks who may submit it).
FORMS = {
    "nominate": _department_form(
        lambda request, department: NominateForm(department=department), can_manage_department
    ),
    "lead": _department_form(
        lambda request, department: LeadForm(department=department, user=request.user),
        lambda user, department: user_is_hr(user),
    ),
    "receiver": _receivers,
    "session": _viewer_form(responsibilities._session_form),
    "task": _viewer_form(responsibilities._task_form),
    "allocation": _viewer_form(responsibilities._allocation_form),
    "incident": _viewer_form(responsibilities._incident_form),
}


class BadRequest(Exception):
    pass


def _id(params, name) -> int:
    value = params.get(name, "")
    if not value.isdigit():
        raise BadRequest(f"'{name}' is an id.")
    return int(value)


@require_GET
@login_required
def people_search(request):
    params = request.GET
    try:
        unknown = set(params) - PARAMS
        if unknown:
            raise BadRequest(f"Unknown parameter: {', '.join(sorted(unknown))}.")
        choices = FORMS.get(params.get("for", ""))
        if choices is None:
            raise BadRequest(f"'for' is one of: {', '.join(FORMS)}.")
        q = params.get("q", "").strip()
        if len(q) > 100:
            raise BadRequest("'q' is at most 100 characters.")
        people, label = choices(request, params)
    except BadRequest as error:
        return JsonResponse({"detail": str(error)}, status=400)
    if q:
        people = people.filter(
            Q(full_name__icontains=q) | Q(employee_id__icontains=q) | Q(email__icontains=q)
        )
    return JsonResponse({"results": [_match(label, person) for person in people[:MATCHES]]})


def _match(label, person):
    match = {"id": person.pk, "label": label(person)}
    if Person._meta.get_field("department").is_cached(person) and person.department:
        match["hint"] = person.department.name
    verdict = getattr(person, "eligibility_verdict", None)
    if verdict:
        match["verdict"] = verdict
    return match
