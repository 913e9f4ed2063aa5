import pytest

from departments.errors import DomainError, Forbidden, InvalidRows
from departments.models import AuditEntry, Person
from departments.services import department_update, people_upsert, person_update
from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ROW = {
    "employee_id": "HR-1",
    "full_name": "Zoë Ångström",
    "email": "zoe@example.com",
    "department": "platform",
    "track": "ic",
    "level": "4",
    "step": "2",
}


def test_person_update_is_audited_with_before_and_after(org):
    person_update(actor=org.hr, person=org.ian, level=5)
    entry = AuditEntry.objects.get(verb="person.update")
    assert (entry.before["level"], entry.after["level"]) == (3, 5)
    assert entry.actor == org.hr


def test_nobody_edits_their_own_record(org):
    with pytest.raises(Forbidden):
        person_update(actor=org.maya.user, person=org.maya, level=9)
    org.maya.refresh_from_db()
    assert org.maya.level == 1


def test_invalid_level_is_a_field_error_and_nothing_changes(org):
    with pytest.raises(DomainError) as exc:
        person_update(actor=org.hr, person=org.ian, level=0)
    assert exc.value.field == "level"
    org.ian.refresh_from_db()
    assert org.ian.level == 3


def test_department_cannot_be_its_own_parent(org):
    with pytest.raises(DomainError, match="own parent"):
        department_update(actor=org.hr, department=org.data, parent=org.data)


def test_upsert_creates_updates_and_counts_unchanged(org):
    existing = PersonFactory(employee_id="HR-2", department=org.data, level=2, full_name="Kim")
    rows = [
        ROW,
        {
            **ROW,
            "employee_id": "HR-2",
            "full_name": "Kim",
            "email": "kim@example.com",
            "department": "data",
            "level": "3",
        },
        {
            "employee_id": org.dana.employee_id,
            "full_name": org.dana.full_name,
            "email": org.dana.email,
            "department": "data",
            "track": "ic",
            "level": "5",
            "step": "1",
        },
    ]
    result = people_upsert(actor=org.hr, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Person.objects.get(employee_id="HR-1").full_name == "Zoë Ångström"
    existing.refresh_from_db()
    assert existing.level == 3
    assert AuditEntry.objects.filter(verb__startswith="person.import").count() == 2


def test_upsert_with_a_bad_row_writes_nothing_and_reports_each_row(org):
    rows = [
        ROW,
        {**ROW, "employee_id": "HR-3", "level": "-1", "department": "nowhere"},
        {**ROW},
    ]
    with pytest.raises(InvalidRows) as exc:
        people_upsert(actor=org.hr, rows=rows)
    assert set(exc.value.errors) == {2, 3}
    assert "level" in exc.value.errors[2] and "department" in exc.value.errors[2]
    assert exc.value.errors[3] == {"employee_id": ["Duplicate of row 1."]}
    assert not Person.objects.filter(employee_id__in=["HR-1", "HR-3"]).exists()
