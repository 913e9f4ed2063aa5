"""The rest of the role's work in the admin: every save goes through its service, so HR
gets the same validation, refusals and audit trail as in the API and the dashboard."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from departments.models import AuditEntry
from departments.tests.factories import UserFactory
from techleads.constants import TaskStatus
from techleads.models import Allocation, ImprovementProject, ImprovementTask, Incident, TechSession
from techleads.services import allocation_set, improvement_project_create, tech_session_schedule

pytestmark = pytest.mark.django_db


def url(model, action="add", *args):
    return reverse(f"admin:techleads_{model}_{action}", args=args)


def split(moment):
    """An admin split date/time widget's two values."""
    local = timezone.localtime(moment)
    return {"_0": local.strftime("%Y-%m-%d"), "_1": local.strftime("%H:%M:%S")}


def dt(name, moment):
    return {f"{name}{suffix}": value for suffix, value in split(moment).items()}


@pytest.fixture
def project(org):
    return improvement_project_create(
        actor=org.hr, department=org.platform, name="Faster CI", owner=org.lea, jira_key="ci"
    )


def test_hr_schedules_a_session_with_invitees(hr_client, org):
    when = timezone.now() + timedelta(days=3)
    response = hr_client.post(
        url("techsession"),
        {
            "department": org.platform.pk,
            "topic": "How deploys work",
            "presenter": org.lea.pk,
            **dt("scheduled_for", when),
            "link": "",
            "invitees": [org.ian.pk, org.jo.pk],
            "mandatory": [org.jo.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = TechSession.objects.get(topic="How deploys work")
    invites = {i.person_id: i.mandatory for i in session.invites.all()}
    assert invites == {org.ian.pk: False, org.jo.pk: True}
    assert AuditEntry.objects.filter(verb="session.schedule", actor=org.hr).exists()


def test_a_saved_session_is_read_only_in_the_admin(hr_client, org):
    session = tech_session_schedule(
        actor=org.hr,
        department=org.platform,
        topic="Old topic",
        scheduled_for=timezone.now() + timedelta(days=1),
        invitees=[org.ian],
    )
    page = hr_client.get(url("techsession", "change", session.pk))
    assert page.status_code == 200 and "Ian Engineer" in page.content.decode()
    response = hr_client.post(url("techsession", "change", session.pk), {"topic": "New topic"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.topic == "Old topic"


def test_project_edit_is_audited_and_a_taken_jira_key_is_refused(hr_client, org, project):
    response = hr_client.post(
        url("improvementproject"),
        {"department": org.data.pk, "name": "Copycat", "jira_key": "CI", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "already uses this Jira key" in response.content.decode()
    assert not ImprovementProject.objects.filter(name="Copycat").exists()

    response = hr_client.post(
        url("improvementproject", "change", project.pk),
        {"name": "Faster CI builds", "owner": org.lea.pk, "jira_key": "CI", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(verb="project.update")
    assert (entry.before["name"], entry.after["name"]) == ("Faster CI", "Faster CI builds")


def test_task_added_and_completed_in_the_admin(hr_client, org, project):
    response = hr_client.post(
        url("improvementtask"),
        {
            "project": project.pk,
            "title": "Cache dependencies",
            "assignee": org.ian.pk,
            "status": TaskStatus.TODO,
            "due_date": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    task = ImprovementTask.objects.get(title="Cache dependencies")
    assert task.owner == org.lea  # HR has no person: the project's owner delegates

    response = hr_client.post(
        url("improvementtask", "change", task.pk),
        {
            "project": project.pk,
            "title": task.title,
            "assignee": org.ian.pk,
            "status": TaskStatus.DONE,
            "due_date": task.due_date.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None


def test_allocation_added_and_removed_with_an_audit_entry(hr_client, org, project):
    start = date.today().replace(day=1)
    response = hr_client.post(
        url("allocation"),
        {
            "person": org.ian.pk,
            "project": project.pk,
            "duty": "",
            "percent": 60,
            "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=27)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    allocation = Allocation.objects.get(person=org.ian)
    response = hr_client.post(url("allocation", "delete", allocation.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Allocation.objects.exists()
    assert AuditEntry.objects.filter(verb="allocation.remove").exists()


def test_allocation_of_a_project_of_another_department_is_refused(hr_client, org, project):
    start = date.today()
    response = hr_client.post(
        url("allocation"),
        {
            "person": org.dana.pk,
            "project": project.pk,
            "percent": 50,
            "period_start": start.isoformat(),
            "period_end": start.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "is not a project of Data" in response.content.decode()
    assert not Allocation.objects.exists()


def test_incident_resolved_before_it_started_is_refused(hr_client, org):
    started = timezone.now() - timedelta(hours=2)
    form = {
        "department": org.platform.pk,
        "title": "Checkout down",
        "severity": "sev1",
        **dt("started_at", started),
        **dt("resolved_at", started - timedelta(hours=1)),
        "handled_by": org.lea.pk,
        "postmortem_url": "",
    }
    response = hr_client.post(url("incident"), form)
    assert response.status_code == 200
    assert "cannot be resolved before it starts" in response.content.decode()
    assert not Incident.objects.exists()

    response = hr_client.post(url("incident"), {**form, **dt("resolved_at", timezone.now())})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEntry.objects.filter(verb="incident.record").exists()


def test_changelists_cost_the_same_queries_at_any_size(
    hr_client, org, project, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            tech_session_schedule(
                actor=org.hr,
                department=org.platform,
                topic=f"S{i}",
                scheduled_for=timezone.now(),
            )
            allocation_set(
                actor=org.hr,
                person=org.ian,
                percent=10,
                period_start=date.today(),
                period_end=date.today(),
                duty=f"On-call {i}",
            )

    for n in (2, 20):
        add(n)
        for model in ("techsession", "allocation", "improvementproject", "incident"):
            with django_assert_max_num_queries(12):
                assert hr_client.get(url(model, "changelist")).status_code == 200


def test_staff_without_hr_cannot_open_them(client, org):
    staff = UserFactory(username="staffer", is_staff=True)
    client.force_login(staff)
    for model in ("techsession", "improvementproject", "improvementtask", "allocation"):
        assert client.get(url(model, "changelist")).status_code == 403
