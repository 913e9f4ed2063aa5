"""What every page's template may ask about its viewer."""

from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from departments.models import Department
from departments.selectors import user_is_hr, user_person
from techleads.selectors import (
    active_assignments,
    departments_visible_to,
    succession_visible_to,
)


class EveryDepartment:
    """HR opens every department's page: no query is needed to say so."""

    def __contains__(self, pk) -> bool:
        return True


class VisiblePeople:
    """`person in visible_people`: whether the person's page opens for the viewer, the
    API's people scope (techleads.selectors.people_visible_to) without a query per person.

    HR: everyone. Others: themselves, and the people of the departments they manage or
    lead now (read in one query at the first person asked about; none for HR).
    """

    def __init__(self, user):
        self.user = user
        self._scope = None

    def _read(self):
        if user_is_hr(self.user):
            return None, EveryDepartment()
        me = user_person(self.user)
        if me is None:
            return None, frozenset()
        led = active_assignments().filter(person=me).values("department")
        run = Department.objects.filter(Q(manager=me) | Q(pk__in=led))
        return me.pk, frozenset(run.values_list("pk", flat=True))

    def __contains__(self, person) -> bool:
        if person is None:
            return False
        if self._scope is None:
            self._scope = self._read()
        me, departments = self._scope
        return person.pk == me or person.department_id in departments


def visible_departments(request) -> dict:
    """`visible_department_ids`: the departments whose page opens for the viewer.

    A department's page is a 404 outside the viewer's scope, yet other departments'
    documents, processes and sessions are listed to everyone: a page links a department's
    name only when `department.pk in visible_department_ids`
    (templates/dashboard/includes/department_link.html), else shows it as text. Lazy:
    read at the first department a page shows, once per request, in one query (none for
    HR); a page that shows none reads nothing.
    """

    def ids():
        user = request.user
        if user_is_hr(user):
            return EveryDepartment()
        return frozenset(departments_visible_to(user).values_list("pk", flat=True))

    # `viewer_is_hr`: the HR-only links of the layout (the audit trail). Lazy and cached on
    # the user, as user_is_hr is: no query on a page whose view already asked.
    return {
        "visible_department_ids": SimpleLazyObject(ids),
        "viewer_is_hr": SimpleLazyObject(lambda: user_is_hr(request.user)),
        # `viewer_plans_succession`: HR or a manager (the succession page's link).
        "viewer_plans_succession": SimpleLazyObject(
            lambda: succession_visible_to(request.user) is not None
        ),
        # `visible_people`: whose name links to their person page ({% person_link %}).
        "visible_people": VisiblePeople(request.user),
    }
