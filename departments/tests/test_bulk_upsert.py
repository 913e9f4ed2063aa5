"""HRIS sync through `POST people/bulk-upsert/`: a row changes only the fields it carries."""

import pytest

from departments.models import AuditEntry, Person
from departments.services import people_upsert
from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/people/bulk-upsert/"


@pytest.fixture
def sync(api):
    def post(*rows):
        return api("hr").post(URL, list(rows), format="json")

    return post


@pytest.fixture
def dana(org):
    """Dana, deactivated by HR, at step 3, with an email and a Jira account."""
    org.dana.email = "dana@example.com"
    org.dana.step = 3
    org.dana.is_active = False
    org.dana.jira_account_id = "5b10a2844c20165700ede21g"
    org.dana.save()
    return org.dana


def test_a_row_changes_only_the_fields_it_carries(sync, dana):
    response = sync({"employee_id": dana.employee_id, "level": 6})
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    dana.refresh_from_db()
    assert dana.level == 6
    assert dana.email == "dana@example.com"
    assert dana.is_active is False
    assert dana.step == 3
    assert dana.jira_account_id == "5b10a2844c20165700ede21g"
    assert dana.full_name == "Dana Data" and dana.department.slug == "data"
    entry = AuditEntry.objects.get(verb="person.import_update")
    assert (entry.before["level"], entry.after["level"]) == (5, 6)


def test_an_id_alone_changes_nothing(sync, dana):
    assert sync({"employee_id": dana.employee_id}).json()["unchanged"] == 1
    assert not AuditEntry.objects.filter(verb__startswith="person.import").exists()


def test_a_null_clears_email_department_and_jira_account(sync, dana):
    row = {
        "employee_id": dana.employee_id,
        "email": None,
        "department": None,
        "jira_account_id": None,
    }
    assert sync(row).status_code == 200
    dana.refresh_from_db()
    assert (dana.email, dana.department, dana.jira_account_id) == ("", None, "")


@pytest.mark.parametrize("field", ["full_name", "track", "level", "step", "is_active"])
def test_a_null_for_a_field_that_needs_a_value_is_a_row_error(sync, dana, field):
    response = sync({"employee_id": dana.employee_id, field: None})
    assert response.status_code == 400
    assert field in response.json()["rows"]["1"]


def test_a_new_person_needs_name_track_and_level(sync, org):
    response = sync({"employee_id": "NEW-1", "email": "new@example.com"})
    assert response.status_code == 400
    assert set(response.json()["rows"]["1"]) == {"full_name", "track", "level"}
    assert "new person" in response.json()["rows"]["1"]["level"][0]
    assert not Person.objects.filter(employee_id="NEW-1").exists()


def test_a_new_person_gets_the_defaults_of_what_is_left_out(sync, org):
    row = {"employee_id": "NEW-1", "full_name": "Nova New", "track": "ic", "level": 2}
    assert sync(row).json()["created"] == 1
    nova = Person.objects.get(employee_id="NEW-1")
    assert (nova.step, nova.is_active, nova.email, nova.department) == (1, True, "", None)
    assert AuditEntry.objects.filter(verb="person.import_create", target_id=nova.pk).exists()


@pytest.mark.parametrize("value", ["maybe", "true", "false", 1, 0, "yes"])
def test_is_active_takes_only_a_json_boolean(sync, dana, value):
    response = sync({"employee_id": dana.employee_id, "is_active": value})
    assert response.status_code == 400
    assert "true or false" in response.json()["rows"]["1"]["is_active"][0]
    dana.refresh_from_db()
    assert dana.is_active is False


def test_is_active_true_reactivates(sync, dana):
    assert sync({"employee_id": dana.employee_id, "is_active": True}).status_code == 200
    dana.refresh_from_db()
    assert dana.is_active is True


def test_department_by_id_or_slug(sync, org):
    by_slug = {"employee_id": org.jo.employee_id, "department": "data"}
    assert sync(by_slug).status_code == 200
    org.jo.refresh_from_db()
    assert org.jo.department == org.data
    by_id = {"employee_id": org.jo.employee_id, "department": org.platform.pk}
    assert sync(by_id).status_code == 200
    org.jo.refresh_from_db()
    assert org.jo.department == org.platform
    unknown = sync({"employee_id": org.jo.employee_id, "department": "atlantis"})
    assert "id or slug" in unknown.json()["rows"]["1"]["department"][0]
    assert sync({"employee_id": org.jo.employee_id, "department": 99999}).status_code == 400


def test_a_track_outside_the_choices_lists_them(sync, org):
    response = sync({"employee_id": org.jo.employee_id, "track": "wizard"})
    message = response.json()["rows"]["1"]["track"][0]
    assert "ic (Individual Contributor)" in message and "manager (Manager)" in message


def test_an_email_taken_by_someone_else_ignoring_case_is_a_row_error(sync, org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    response = sync(
        {"employee_id": org.jo.employee_id, "email": "jo@example.com"},
        {"employee_id": org.dana.employee_id, "email": "IAN@Example.com"},
    )
    assert response.status_code == 400
    assert set(response.json()["rows"]) == {"2"}
    assert "email" in response.json()["rows"]["2"]
    org.jo.refresh_from_db()
    assert org.jo.email != "jo@example.com"


def test_two_rows_with_one_email_are_a_row_error(sync, org):
    response = sync(
        {"employee_id": "NEW-1", "full_name": "A", "track": "ic", "level": 1, "email": "a@x.org"},
        {"employee_id": "NEW-2", "full_name": "B", "track": "ic", "level": 1, "email": "A@x.org"},
    )
    assert response.status_code == 400
    assert response.json()["rows"] == {"2": {"email": ["Same email as row 1."]}}


def test_emails_can_move_between_people_in_one_upload(sync, org):
    org.ian.email, org.jo.email = "ian@example.com", "jo@example.com"
    org.ian.save()
    org.jo.save()
    response = sync(
        {"employee_id": org.ian.employee_id, "email": "jo@example.com"},
        {"employee_id": org.jo.employee_id, "email": "ian@example.com"},
    )
    assert response.status_code == 200, response.json()
    org.ian.refresh_from_db()
    assert org.ian.email == "jo@example.com"


def test_a_row_keeping_its_email_blocks_another_row_taking_it(sync, org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    response = sync(
        {"employee_id": org.ian.employee_id, "level": 4},
        {"employee_id": org.jo.employee_id, "email": "ian@example.com"},
    )
    assert response.json()["rows"] == {"2": {"email": ["Same email as row 1."]}}


def test_jira_account_id_is_synced_and_unique(sync, dana, org):
    ok = sync({"employee_id": org.ian.employee_id, "jira_account_id": "712020:abc"})
    assert ok.status_code == 200
    org.ian.refresh_from_db()
    assert org.ian.jira_account_id == "712020:abc"
    taken = sync({"employee_id": org.jo.employee_id, "jira_account_id": dana.jira_account_id})
    assert taken.status_code == 400
    assert "jira_account_id" in taken.json()["rows"]["1"]


def test_the_service_numbers_rows_as_its_caller_does(org):
    from departments.errors import InvalidRows

    rows = [{"employee_id": "X"}, {"employee_id": "X"}]
    with pytest.raises(InvalidRows) as exc:
        people_upsert(actor=org.hr, rows=rows, row_numbers=[2, 3], row_noun="line")
    assert exc.value.errors[3]["employee_id"] == ["Duplicate of line 2."]
    assert set(exc.value.errors[2]) == {"full_name", "track", "level"}


@pytest.mark.parametrize("size", [10, 30])
def test_a_sync_costs_the_same_queries_at_any_size(api, org, size, django_assert_num_queries):
    client = api("hr")
    client.get("/api/v1/people/")  # the token exists
    people = PersonFactory.create_batch(size, department=org.data)
    rows = [{"employee_id": p.employee_id, "level": 7, "email": p.email} for p in people]
    # token with its user and HR role, savepoint, lock the people, departments, emails
    # taken by others, savepoint, UPDATE (one CASE per changed column), release, audit
    # INSERT, release
    with django_assert_num_queries(10):
        assert client.post(URL, rows, format="json").json()["updated"] == size
