"""Acknowledging a cross-department process (POST sops/{id}/acknowledge/): the write itself
decides between 201 (this request created the acknowledgement) and 200 (it already
existed), never a check made before it; only a created acknowledgement is audited."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from departments.models import AuditEntry
from departments.tests.factories import DepartmentFactory, PersonFactory, UserFactory
from sops.models import ProcessAcknowledgement
from sops.services import document_create, process_acknowledge


def acknowledge(api, role, document):
    return api(role).post(f"/api/v1/sops/{document.pk}/acknowledge/")


def audited(document) -> list[tuple[str, str | None, int | None]]:
    return [
        (e.verb, e.actor.username if e.actor else None, e.department_id)
        for e in AuditEntry.objects.filter(verb="process.acknowledge").order_by("id")
    ]


@pytest.mark.django_db
def test_the_service_says_whether_it_created_the_acknowledgement(org, process):
    first, created = process_acknowledge(document=process, person=org.ian)
    assert created is True and first.version == process.version
    again, created = process_acknowledge(document=process, person=org.ian)
    assert (again, created) == (first, False)
    assert ProcessAcknowledgement.objects.count() == 1


@pytest.mark.django_db
def test_only_a_new_acknowledgement_is_audited(org, process):
    acknowledgement, _ = process_acknowledge(document=process, person=org.ian)
    process_acknowledge(document=process, person=org.ian)
    assert audited(process) == [("process.acknowledge", "ian", org.platform.pk)]
    entry = AuditEntry.objects.get(verb="process.acknowledge")
    assert entry.target_id == str(acknowledgement.pk)
    assert entry.after == {"document": process.pk, "person": org.ian.pk, "version": 1}


@pytest.mark.django_db
def test_the_second_acknowledge_is_200_with_the_same_row(api, org, process):
    first = acknowledge(api, "ian", process)
    assert first.status_code == 201, first.content
    again = acknowledge(api, "ian", process)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert ProcessAcknowledgement.objects.count() == 1
    assert len(audited(process)) == 1


@pytest.mark.django_db
def test_an_acknowledgement_written_by_another_request_meanwhile_is_a_200(api, org, process):
    """Another request's acknowledgement lands after this request first reads the table
    and before it writes: the write finds the row and the answer is 200, not 201."""
    state = {"read": False, "inserting": False}

    def other_request_lands_after_the_first_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        table = ProcessAcknowledgement._meta.db_table
        if sql.lstrip().upper().startswith("SELECT") and table in sql and not state["read"]:
            state["read"] = True
            ProcessAcknowledgement.objects.create(
                document=process, person=org.ian, version=process.version
            )
        return result

    with connection.execute_wrapper(other_request_lands_after_the_first_read):
        response = acknowledge(api, "ian", process)
    assert state["read"]
    assert response.status_code == 200, response.content
    assert ProcessAcknowledgement.objects.count() == 1
    assert audited(process) == []  # this request created nothing


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acknowledges_give_one_201_and_one_200(seeded):
    platform = DepartmentFactory()
    author = UserFactory(username="author-concurrent", hr=True)
    person = PersonFactory(department=platform, user=UserFactory(username="reader-concurrent"))
    document = document_create(
        actor=author,
        title="Release train",
        kind="cross_department_process",
        department=platform,
        involved_departments=[platform],
    )
    clients = []
    for _ in range(2):
        client = APIClient()
        client.force_authenticate(person.user)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, int]] = []

    def post(client):
        try:
            barrier.wait()
            response = client.post(f"/api/v1/sops/{document.pk}/acknowledge/")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(code for code, _ in answers) == [200, 201]
    (row,) = ProcessAcknowledgement.objects.filter(document=document, person=person)
    assert {pk for _, pk in answers} == {row.pk}
    assert AuditEntry.objects.filter(verb="process.acknowledge").count() == 1
