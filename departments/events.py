"""The organisation as outbound webhook events show it (DESIGN.md, Outbound webhooks), and
the events the organisation's own services publish."""

from integrations.events import PERSON_DEACTIVATED
from integrations.services import events_publish

from .models import Department, Person


def department_data(department: Department | None) -> dict | None:
    if department is None:
        return None
    return {"id": department.pk, "name": department.name, "slug": department.slug}


def person_data(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {
        "id": person.pk,
        "employee_id": person.employee_id,
        "full_name": person.full_name,
        "email": person.email,
    }


def people_deactivated_publish(people: list[Person]) -> None:
    """`person.deactivated` for each of `people` (who just went from active to inactive),
    in the caller's transaction: no query when the list is empty, one when no webhook
    subscribes, and their departments in one more when one does."""
    if not people:
        return

    def events():
        ids = {person.department_id for person in people} - {None}
        departments = Department.objects.in_bulk(ids)
        for person in people:
            department = departments.get(person.department_id)
            yield {"person": person_data(person), "department": department_data(department)}

    events_publish(PERSON_DEACTIVATED, events())
