"""Role scoping: what each viewer may see and run, decided once for every face."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from departments.models import Department, Person
from departments.selectors import user_is_hr, user_person

from ..models import TechLeadAssignment
from .role import lead_department_ids


def departments_visible_to(user) -> QuerySet[Department]:
    """HR: all; a manager: the departments they manage; a Tech Lead: theirs; others: their own."""
    if user_is_hr(user):
        return Department.objects.all()
    person = user_person(user)
    if person is None:
        return Department.objects.none()
    return Department.objects.filter(
        Q(manager=person)
        | Q(pk=person.department_id)
        | Q(tech_lead_assignments__person=person, tech_lead_assignments__ended_at__isnull=True)
    ).distinct()


def people_visible_to(user) -> QuerySet[Person]:
    """HR: everyone; a manager: their departments' people; a Tech Lead: their department's;
    an employee: themselves; a login without a person: nobody."""
    if user_is_hr(user):
        return Person.objects.all()
    person = user_person(user)
    if person is None:
        return Person.objects.none()
    led = TechLeadAssignment.objects.filter(
        person=person, ended_at__isnull=True, department=OuterRef("department")
    )
    return Person.objects.filter(Q(pk=person.pk) | Q(department__manager=person) | Q(Exists(led)))


def departments_led_by(user, *, or_managed: bool = False) -> QuerySet[Department]:
    """Where the viewer may run the role's work: HR everywhere, a Tech Lead in their
    department (and, `or_managed`, a manager in theirs: incidents)."""
    if user_is_hr(user):
        return Department.objects.all()
    person = user_person(user)
    if person is None:
        return Department.objects.none()
    scope = Q(pk__in=lead_department_ids(person))
    if or_managed:
        scope |= Q(manager=person)
    return Department.objects.filter(scope)


def can_manage_department(user, department: Department) -> bool:
    """HR, or the department's manager (nominating successors)."""
    if user_is_hr(user):
        return True
    person = user_person(user)
    return person is not None and department.manager_id == person.pk


def can_lead_department(user, department: Department) -> bool:
    """HR, or the department's active Tech Lead (documents, sessions, improvement work)."""
    if user_is_hr(user):
        return True
    return department.pk in lead_department_ids(user_person(user))
