"""Whom a department's Tech Lead is chosen from: one answer for the API, the admin and the
dashboard, within what the viewer may see."""

from django.db.models import QuerySet

from departments.models import Department, Person

from ..constants import VerdictChoice
from .access import people_visible_to
from .eligibility import people_with_eligibility


def department_members(*, department: Department, user=None) -> QuerySet[Person]:
    """Active members of `department`, each with its verdict annotated, by name: the
    choices when assigning or handing over (HR may override an ineligible verdict).

    `user` narrows to the people that login may see; None is the system (jobs, commands).
    """
    people = people_visible_to(user) if user is not None else Person.objects.all()
    people = people.filter(department=department, is_active=True).select_related("department")
    return people_with_eligibility(people).order_by("full_name", "id")


def department_candidates(*, department: Department, user=None) -> QuerySet[Person]:
    """The members who can be assigned now (verdict `eligible`)."""
    return department_members(department=department, user=user).filter(
        eligibility_verdict=VerdictChoice.ELIGIBLE
    )
