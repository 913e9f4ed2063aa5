"""The person picker's search (`/people/search/?for=&department=&q=`): at most MATCHES people
of the very queryset the form's field offers, rebuilt here from the form and its department,
as JSON for static/js/picker.js.

Scope and role are the page's: a department out of the viewer's scope is a 404, a form the
viewer's role cannot submit a 403 (the same checks as the form's POST view). The match is a
case-insensitive substring of the full name, employee id or email, on the field's ordered
queryset (eligible first where the form orders so), LIMIT MATCHES: one query.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from departments.models import Person
from departments.selectors import user_is_hr
from techleads.selectors import can_manage_department

from .forms import LeadForm, NominateForm
from .views import department_for_user

MATCHES = 20
PARAMS = {"for", "department", "q"}
# Which form's field: how to build it, and who may use it (as its POST view checks).
FORMS = {
    "nominate": (
        lambda request, department: NominateForm(department=department),
        can_manage_department,
    ),
    "lead": (
        lambda request, department: LeadForm(department=department, user=request.user),
        lambda user, department: user_is_hr(user),
    ),
}


def _bad(message):
    return JsonResponse({"detail": message}, status=400)


@require_GET
@login_required
def people_search(request):
    unknown = set(request.GET) - PARAMS
    if unknown:
        return _bad(f"Unknown parameter: {', '.join(sorted(unknown))}.")
    form_name = request.GET.get("for", "")
    if form_name not in FORMS:
        return _bad(f"'for' is one of: {', '.join(FORMS)}.")
    department_id = request.GET.get("department", "")
    if not department_id.isdigit():
        return _bad("'department' is a department id.")
    q = request.GET.get("q", "").strip()
    if len(q) > 100:
        return _bad("'q' is at most 100 characters.")
    department = department_for_user(request, int(department_id))  # 404 out of scope
    build, allowed = FORMS[form_name]
    if not allowed(request.user, department):
        raise PermissionDenied("Your role cannot use this form.")
    field = build(request, department).fields["person"]
    people = field.queryset
    if q:
        people = people.filter(
            Q(full_name__icontains=q) | Q(employee_id__icontains=q) | Q(email__icontains=q)
        )
    results = [_match(field, person) for person in people[:MATCHES]]
    return JsonResponse({"results": results})


def _match(field, person):
    match = {"id": person.pk, "label": field.label_from_instance(person)}
    if Person._meta.get_field("department").is_cached(person) and person.department:
        match["hint"] = person.department.name
    verdict = getattr(person, "eligibility_verdict", None)
    if verdict:
        match["verdict"] = verdict
    return match
