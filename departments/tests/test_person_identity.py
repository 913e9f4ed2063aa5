"""What identifies a person to the integrations: an email (unique, ignoring case) and an
optional Jira account id (unique); blank ones are allowed many times."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from departments.models import AuditEntry, Person
from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/people/"


def new_person(**fields):
    return {
        "employee_id": "NEW-1",
        "full_name": "Nova New",
        "department": None,
        "track": "ic",
        "level": 3,
        **fields,
    }


def test_the_database_refuses_one_email_twice_ignoring_case(org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email="IAN@example.COM")
    PersonFactory(email="")
    PersonFactory(email="")  # blank many times


def test_creating_a_person_with_a_taken_email_is_a_400_on_email(api, org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    response = api("hr").post(PEOPLE, new_person(email="Ian@Example.com"), format="json")
    assert response.status_code == 400
    assert "email" in response.json(), response.json()
    assert not Person.objects.filter(employee_id="NEW-1").exists()


def test_updating_a_person_to_a_taken_email_is_a_400_on_email(api, org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    response = api("hr").patch(f"{PEOPLE}{org.jo.pk}/", {"email": "IAN@example.com"}, format="json")
    assert response.status_code == 400
    assert "email" in response.json(), response.json()
    ok = api("hr").patch(f"{PEOPLE}{org.ian.pk}/", {"email": "IAN@example.com"}, format="json")
    assert ok.status_code == 200  # one's own email in another case is no duplicate


def test_jira_account_id_is_in_the_people_api_and_unique(api, org):
    response = api("hr").patch(
        f"{PEOPLE}{org.ian.pk}/", {"jira_account_id": "5b10a2844c20165700ede21g"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["jira_account_id"] == "5b10a2844c20165700ede21g"
    taken = api("hr").patch(
        f"{PEOPLE}{org.jo.pk}/", {"jira_account_id": "5b10a2844c20165700ede21g"}, format="json"
    )
    assert taken.status_code == 400
    assert "jira_account_id" in taken.json(), taken.json()
    created = api("hr").post(PEOPLE, new_person(email="nova@example.com"), format="json")
    assert created.status_code == 201 and created.json()["jira_account_id"] == ""
    assert api("hr").get(f"{PEOPLE}{org.jo.pk}/").json()["jira_account_id"] == ""


def test_the_admin_person_page_edits_the_jira_account_and_refuses_a_taken_email(hr_client, org):
    org.ian.email = "ian@example.com"
    org.ian.save()
    url = reverse("admin:departments_person_change", args=[org.jo.pk])
    page = hr_client.get(url).content.decode()
    assert 'name="jira_account_id"' in page
    data = {
        "employee_id": org.jo.employee_id,
        "full_name": org.jo.full_name,
        "email": org.jo.email,
        "jira_account_id": "712020:jo",
        "department": org.platform.pk,
        "track": "ic",
        "level": 2,
        "step": 1,
        "is_active": "on",
    }
    assert hr_client.post(url, data).status_code == 302
    org.jo.refresh_from_db()
    assert org.jo.jira_account_id == "712020:jo"
    taken = hr_client.post(url, {**data, "email": "IAN@example.com"})
    assert taken.status_code == 200
    assert "Another person already has this email" in taken.content.decode()


LAST_BEFORE = ("departments", "0004_integrations_group")
DEDUPLICATION = ("departments", "0005_person_email_unique")


@pytest.mark.django_db(transaction=True)
def test_the_migration_reports_and_blanks_duplicate_emails(capsys):
    """The email stays with the active person created first; the others lose it, each
    with an audit entry holding the old value."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([LAST_BEFORE])
        apps = executor.loader.project_state([LAST_BEFORE]).apps
        person = apps.get_model("departments", "Person")

        def make(employee_id, email, is_active=True):
            return person.objects.create(
                employee_id=employee_id,
                full_name=employee_id,
                email=email,
                track="ic",
                level=3,
                is_active=is_active,
            )

        left = make("OLD-LEAVER", "ann@example.com", is_active=False)
        kept = make("ANN-1", "Ann@Example.com")
        later = make("ANN-2", "ann@example.com")
        other = make("BOB", "bob@example.com")
        blank = [make("NO-MAIL-1", ""), make("NO-MAIL-2", "")]
        capsys.readouterr()

        executor = MigrationExecutor(connection)
        executor.migrate([DEDUPLICATION])
        out = capsys.readouterr().out
        assert "ann@example.com" in out and "ANN-1" in out and "ANN-2" in out
        emails = dict(Person.objects.values_list("employee_id", "email"))
        assert emails[kept.employee_id] == "Ann@Example.com"
        assert emails[left.employee_id] == emails[later.employee_id] == ""
        assert emails[other.employee_id] == "bob@example.com"
        assert all(emails[p.employee_id] == "" for p in blank)
        entries = AuditEntry.objects.filter(verb="person.email_deduplicate")
        assert {e.target_id for e in entries} == {str(left.pk), str(later.pk)}
        assert all(e.before == {"email": "ann@example.com"} for e in entries)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
