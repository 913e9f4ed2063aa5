"""Health inputs come from one SQL query for any number of departments, and add up."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.health import (
    acknowledgements_add,
    department_health,
    departments_with_health_inputs,
    health_for,
)
from departments.tests.factories import DepartmentFactory
from sops.services import document_create, process_acknowledge
from techleads.models import ImprovementProject, ImprovementTask
from techleads.services import successor_nominate, tech_session_record, tech_session_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_org(org):
    now = timezone.now()
    document_create(actor=org.hr, title="Fresh", kind="sop", department=org.platform)
    document_create(
        actor=org.hr,
        title="Old",
        kind="sop",
        department=org.platform,
        last_reviewed_at=now - timedelta(days=365),
    )
    process = document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    document_create(
        actor=org.lea.user,
        title="Grafana",
        kind="tool",
        department=org.platform,
        description="Dashboards for every service",
        url="https://grafana.example.com",
    )
    process_acknowledge(document=process, person=org.ian)
    process_acknowledge(document=process, person=org.dana)
    successor_nominate(
        department=org.platform, person=org.ian, actor=org.hr, readiness="ready_soon"
    )
    project = ImprovementProject.objects.create(department=org.platform, name="CI speed")
    ImprovementTask.objects.create(
        project=project, title="Cache", due_date=now.date() - timedelta(days=1)
    )
    ImprovementTask.objects.create(
        project=project, title="Split", due_date=now.date() + timedelta(days=9)
    )
    ImprovementTask.objects.create(project=project, title="Done", status="done")
    session = tech_session_schedule(
        actor=org.hr,
        department=org.platform,
        topic="Deploys",
        scheduled_for=now - timedelta(days=3),
    )
    tech_session_record(actor=org.hr, session=session, status="completed")
    return org


def test_inputs_for_a_department(busy_org):
    (platform,) = acknowledgements_add(
        departments_with_health_inputs().filter(pk=busy_org.platform.pk)
    )
    assert (platform.h_has_lead > 0, platform.h_lead_verdict) == (True, "eligible")
    assert (platform.h_ready_now, platform.h_developing) == (0, 1)
    assert (platform.h_docs_current, platform.h_docs_stale) == (1, 1)
    assert (platform.h_processes, platform.h_active_people, platform.h_acknowledged) == (1, 4, 1)
    assert (platform.h_open_tasks, platform.h_overdue_tasks) == (2, 1)
    assert platform.h_sessions_quarter == 1
    health = department_health(platform)
    values = {c.key: c.value for c in health.components}
    assert values["documentation"] == 0.5  # the tool is not documentation
    assert values["tooling"] == 1.0
    assert values["acknowledgements"] == 0.25
    assert values["improvement_tasks"] == 0.5
    assert 0 < health.score < 100


def test_leadless_department_scores_zero_on_coverage(busy_org):
    (data,) = acknowledgements_add(departments_with_health_inputs().filter(pk=busy_org.data.pk))
    values = {c.key: c.value for c in department_health(data).components}
    assert values["tech_lead"] == 0.0
    assert values["acknowledgements"] == 0.5  # Dana acknowledged; Max did not


@pytest.mark.parametrize("extra", [0, 20])
def test_two_queries_whatever_the_number_of_departments(busy_org, extra, django_assert_num_queries):
    DepartmentFactory.create_batch(extra)
    # the departments with their correlated inputs, then their acknowledgements grouped
    with django_assert_num_queries(2):
        rows = health_for()
    assert len(rows) == 2 + extra
