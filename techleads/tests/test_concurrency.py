"""The one-active-lead invariant under concurrent requests, on a real PostgreSQL."""

import threading

import pytest
from django.db import connection

from departments.tests.factories import DepartmentFactory, PersonFactory, UserFactory
from techleads.errors import LeadAlreadyAssigned
from techleads.models import TechLeadAssignment
from techleads.services import assignment_create


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_exactly_one_wins(seeded):
    hr = UserFactory(username="hr-concurrent", hr=True)
    department = DepartmentFactory()
    people = [PersonFactory(department=department, level=4) for _ in range(6)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def assign(person):
        try:
            barrier.wait()
            assignment_create(department=department, person=person, assigned_by=hr, reason="race")
            outcomes.append("won")
        except LeadAlreadyAssigned:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 5 + ["won"]
    assert TechLeadAssignment.objects.filter(department=department, ended_at=None).count() == 1
