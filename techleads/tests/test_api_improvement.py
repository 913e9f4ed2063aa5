"""Improvement projects and tasks in API v1: who owns a project and a delegated task, Jira
keys, overdue tasks, who may move a task, bad input, malformed filters, bounded queries.

Every write answers with the record and leaves an audit entry; bad input is a 400 naming
the field and writes nothing; the list costs the same number of queries whatever its
length. The clock is frozen on 15 May 2030 (the `may_2030` fixture).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from departments.models import AuditEntry
from departments.tests.api import last_audit
from departments.tests.factories import PersonFactory, UserFactory
from techleads.models import ImprovementProject, ImprovementTask
from techleads.services import improvement_project_create, improvement_task_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("may_2030")]

PROJECTS = "/api/v1/improvement-projects/"
TASKS = "/api/v1/improvement-tasks/"


# Projects -----------------------------------------------------------------------------


def test_a_project_is_owned_by_the_acting_lead_unless_told_otherwise(api, org):
    mine = api("lea").post(
        PROJECTS,
        {"department": org.platform.pk, "name": "Faster CI", "jira_key": "ci "},
        format="json",
    )
    assert mine.status_code == 201, mine.content
    body = mine.json()
    assert (body["owner"], body["jira_key"], body["is_active"]) == (org.lea.pk, "CI", True)
    assert (body["open_tasks"], body["overdue_tasks"], body["done_tasks"]) == (0, 0, 0)
    assert last_audit() == ("project.create", "lea", body["id"])
    theirs = api("lea").post(
        PROJECTS,
        {"department": org.platform.pk, "name": "On-call", "owner": org.ian.pk},
        format="json",
    )
    assert theirs.json()["owner"] == org.ian.pk


def test_a_jira_key_in_use_is_a_400_on_create_and_on_update(api, org, project):
    taken = api("lea").post(
        PROJECTS, {"department": org.platform.pk, "name": "Twin", "jira_key": "plat"}, format="json"
    )
    assert taken.status_code == 400
    assert "jira_key" in taken.json()
    assert ImprovementProject.objects.count() == 1
    other = api("lea").post(PROJECTS, {"department": org.platform.pk, "name": "Ops"}, format="json")
    blank_too = api("lea").post(
        PROJECTS, {"department": org.platform.pk, "name": "Misc"}, format="json"
    )
    assert (other.status_code, blank_too.status_code) == (201, 201)  # blank keys never collide
    url = f"{PROJECTS}{other.json()['id']}/"
    assert api("lea").patch(url, {"jira_key": "PLAT"}, format="json").status_code == 400
    assert ImprovementProject.objects.get(pk=other.json()["id"]).jira_key == ""


def test_a_project_change_is_audited_once_and_stays_in_its_department(api, org, project):
    url = f"{PROJECTS}{project.pk}/"
    renamed = api("lea").patch(url, {"name": "Release train", "is_active": False}, format="json")
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["is_active"]) == ("Release train", False)
    assert last_audit() == ("project.update", "lea", project.pk)
    audited = AuditEntry.objects.count()
    assert api("lea").patch(url, {"name": "Release train"}, format="json").status_code == 200
    assert AuditEntry.objects.count() == audited  # nothing changed, nothing to audit
    moved = api("hr").patch(url, {"department": org.data.pk}, format="json")
    assert moved.status_code == 400 and "department" in moved.json()
    assert api("hr").get(f"{PROJECTS}?active=false").json()["count"] == 1


# Tasks --------------------------------------------------------------------------------


def test_a_task_delegated_by_the_lead_is_owned_by_the_lead(api, org, project):
    response = api("lea").post(
        TASKS,
        {"project": project.pk, "title": "Automate the checklist", "assignee": org.ian.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert (task["owner"], task["assignee"], task["department"]) == (
        org.lea.pk,
        org.ian.pk,
        org.platform.pk,
    )
    assert (task["status"], task["overdue"], task["completed_at"]) == ("todo", False, None)
    assert last_audit() == ("task.create", "lea", task["id"])


def test_overdue_lists_only_open_tasks_past_their_due_date(api, org, project):
    def task(title, due, status="todo"):
        improvement_task_create(
            actor=org.lea.user, project=project, title=title, due_date=due, status=status
        )

    day = timezone.localdate()
    task("Late", day - timedelta(days=14))
    task("Started late", day - timedelta(days=1), status="in_progress")
    task("Done late", day - timedelta(days=14), status="done")
    task("Cancelled late", day - timedelta(days=14), status="cancelled")
    task("Due today", day)
    task("Undated", None)

    late = api("ian").get(f"{TASKS}?overdue=true").json()["results"]
    assert [(t["title"], t["overdue"]) for t in late] == [("Late", True), ("Started late", True)]
    rest = api("ian").get(f"{TASKS}?overdue=false").json()["results"]
    assert {t["title"] for t in rest} == {"Done late", "Cancelled late", "Due today", "Undated"}
    assert {t["overdue"] for t in rest} == {False}
    counts = api("ian").get(f"{PROJECTS}{project.pk}/").json()
    assert (counts["open_tasks"], counts["overdue_tasks"], counts["done_tasks"]) == (4, 2, 1)


def test_the_assignee_moves_the_status_but_cannot_retitle(api, org, project):
    task = improvement_task_create(
        actor=org.lea.user, project=project, title="Cache the wheels", assignee=org.ian
    )
    url = f"{TASKS}{task.pk}/"
    done = api("ian").patch(url, {"status": "done"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["completed_at"]
    assert last_audit() == ("task.update", "ian", task.pk)
    reopened = api("ian").patch(url, {"status": "in_progress"}, format="json")
    assert (reopened.json()["status"], reopened.json()["completed_at"]) == ("in_progress", None)

    for body in ({"title": "Mine now"}, {"status": "done", "title": "Mine now"}):
        assert api("ian").patch(url, body, format="json").status_code == 403
    task.refresh_from_db()
    assert (task.title, task.status, task.completed_at) == ("Cache the wheels", "in_progress", None)
    assert api("ian").patch(url, {"status": "finished"}, format="json").status_code == 400


def test_an_assignee_from_another_department_sees_and_moves_their_task(org, api):
    dana = org.dana
    dana.user = UserFactory(username="dana")
    dana.save()
    project = improvement_project_create(actor=org.lea.user, department=org.platform, name="CI")
    task = improvement_task_create(
        actor=org.lea.user, project=project, title="Share the data fixtures", assignee=dana
    )
    client = APIClient()
    client.force_authenticate(dana.user)
    listed = client.get("/api/v1/improvement-tasks/").json()["results"]
    assert [row["id"] for row in listed] == [task.pk]
    moved = client.patch(f"/api/v1/improvement-tasks/{task.pk}/", {"status": "done"}, format="json")
    assert moved.status_code == 200 and moved.json()["completed_at"] is not None


def test_a_task_stays_with_projects_of_its_department(api, org, project):
    task = improvement_task_create(actor=org.lea.user, project=project, title="Cache")
    data_project = improvement_project_create(actor=org.hr, department=org.data, name="Quality")
    moved = api("hr").patch(f"{TASKS}{task.pk}/", {"project": data_project.pk}, format="json")
    assert moved.status_code == 400
    assert "project" in moved.json()
    assert ImprovementTask.objects.get().project == project
    sibling = improvement_project_create(actor=org.hr, department=org.platform, name="CI")
    ok = api("lea").patch(f"{TASKS}{task.pk}/", {"project": sibling.pk}, format="json")
    assert ok.status_code == 200 and ok.json()["project"] == sibling.pk
    assert (
        api("lea")
        .post(TASKS, {"project": data_project.pk, "title": "Not mine"}, format="json")
        .status_code
        == 403
    )


def test_an_inactive_assignee_is_a_400(api, org, project):
    gone = PersonFactory(department=org.platform, is_active=False)
    response = api("lea").post(
        TASKS, {"project": project.pk, "title": "Cache", "assignee": gone.pk}, format="json"
    )
    assert response.status_code == 400 and "assignee" in response.json()
    assert not ImprovementTask.objects.exists()


# Query counts -------------------------------------------------------------------------


def sixty_projects(org):
    for i in range(60):
        project = improvement_project_create(
            actor=org.hr, department=org.platform, name=f"Project {i}", owner=org.lea
        )
        improvement_task_create(actor=org.hr, project=project, title="First step")


def sixty_tasks(org):
    project = improvement_project_create(actor=org.hr, department=org.platform, name="Big one")
    for i in range(60):
        improvement_task_create(
            actor=org.hr,
            project=project,
            title=f"Task {i}",
            assignee=org.ian,
            due_date=timezone.localdate() + timedelta(days=i - 30),
        )


# name: (path, rows, queries as HR, as the Tech Lead). Every list costs the token with its
# user, their HR role and person (one query) and the page with the total (one query).
LISTS = {
    # task counts are subqueries of the page's query
    "improvement-projects": (PROJECTS, sixty_projects, 2, 2),
    "improvement-tasks": (TASKS, sixty_tasks, 2, 2),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_at_page_size_5_and_50(api, org, name, django_assert_num_queries):
    path, grow, as_hr, as_lead = LISTS[name]
    grow(org)
    url = path.format(platform=org.platform.pk)
    for role, queries in (("hr", as_hr), ("lea", as_lead)):
        client = api(role)
        for page_size in (5, 50):
            with django_assert_num_queries(queries):
                response = client.get(f"{url}?page_size={page_size}")
            assert len(response.json()["results"]) == page_size
