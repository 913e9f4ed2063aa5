"""Process improvement: projects and tasks in the viewer's scope, delegating a task, who
may move a task's status, bad input, the department page's link, bounded queries."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body, new, section
from techleads.models import ImprovementTask
from techleads.services import improvement_project_create, improvement_task_create

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:improvement")
CREATE = reverse("dashboard:task_create")
DELEGATE_FORM = "Delegate a task"


def status_url(task) -> str:
    return reverse("dashboard:task_status", args=[task.pk])


def status_form_of(task) -> str:
    return f'action="{status_url(task)}"'


@pytest.fixture
def work(org):
    """Platform's project (Lea's) with an overdue task for Ian and an undated one for Jo;
    Data's project (HR's) with a task for Dana."""
    yesterday = timezone.localdate() - timedelta(days=1)
    platform = improvement_project_create(
        actor=org.lea.user, department=org.platform, name="Platform toil"
    )
    data = improvement_project_create(actor=org.hr, department=org.data, name="Data quality")
    return {
        "platform": platform,
        "data": data,
        "ian": improvement_task_create(
            actor=org.lea.user,
            project=platform,
            title="Fix flaky tests",
            assignee=org.ian,
            due_date=yesterday,
        ),
        "jo": improvement_task_create(
            actor=org.lea.user, project=platform, title="Document the runbook", assignee=org.jo
        ),
        "dana": improvement_task_create(
            actor=org.hr, project=data, title="Dedupe the warehouse", assignee=org.dana
        ),
    }


# Who sees what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, work):
    for response in (
        client.get(LIST),
        client.post(CREATE, new(project=work["platform"].pk, title="Anonymous")),
        client.post(status_url(work["ian"]), {"status": "done"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert ImprovementTask.objects.count() == 3
    assert ImprovementTask.objects.get(pk=work["ian"].pk).status == "todo"


def test_the_page_shows_the_projects_and_tasks_in_the_viewer_s_scope(client, org, work):
    platform = ["Platform toil", "Fix flaky tests", "Document the runbook"]
    data = ["Data quality", "Dedupe the warehouse"]
    for user, shown, hidden in (
        (org.ian.user, platform, data),
        (org.maya.user, platform, data),
        (org.max.user, data, platform),
        (org.hr, platform + data, []),
        (org.nobody, [], platform + data),
    ):
        client.force_login(user)
        page = body(client.get(LIST))
        assert all(text in page for text in shown), user
        assert not any(text in page for text in hidden), user


def test_a_task_delegated_across_departments_is_seen_by_its_assignee(client, org, work):
    improvement_task_create(
        actor=org.hr, project=work["data"], title="Review the Data API", assignee=org.ian
    )
    client.force_login(org.ian.user)
    page = body(client.get(LIST))
    assert "Review the Data API" in page and "Dedupe the warehouse" not in page


def test_the_projects_table_counts_open_overdue_and_done_tasks(client, org, work):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    row = page.split("Platform toil</th>", 1)[1].split("</tr>", 1)[0]
    overdue = f"?department={org.platform.pk}&amp;overdue=true"
    assert '<td data-label="Open">2</td>' in row
    badge = f'<a href="{overdue}"><span class="badge warn">1</span></a>'
    assert f'<td data-label="Overdue">{badge}</td>' in row
    assert row.endswith('<td data-label="Done">0</td>')  # nothing done yet


# Who may act ---------------------------------------------------------------------------


def test_the_delegate_form_is_offered_to_hr_and_the_tech_lead_only(client, org, work):
    for user, offered in (
        (org.hr, True),
        (org.lea.user, True),
        (org.maya.user, False),
        (org.ian.user, False),
        (org.nobody, False),
    ):
        client.force_login(user)
        assert (DELEGATE_FORM in body(client.get(LIST))) is offered, user


def test_the_lead_delegates_only_to_their_projects_and_people(client, org, work):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    form = page[page.index(DELEGATE_FORM) :]
    assert "Platform toil" in form and "Data quality" not in form
    assert "Ian Engineer" in form and "Dana Data" not in form


def test_a_status_can_be_moved_by_the_lead_and_by_the_assignee_only(client, org, work):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    assert status_form_of(work["ian"]) in page and status_form_of(work["jo"]) in page
    client.force_login(org.ian.user)
    page = body(client.get(LIST))
    assert status_form_of(work["ian"]) in page and status_form_of(work["jo"]) not in page
    client.force_login(org.maya.user)
    assert "<form" not in section(body(client.get(LIST)), "tasks-heading")


@pytest.mark.parametrize("who", ["ian", "maya", "nobody"])
def test_delegating_without_the_role_is_a_403_and_writes_nothing(client, org, work, who):
    client.force_login(org.nobody if who == "nobody" else getattr(org, who).user)
    response = client.post(CREATE, new(project=work["platform"].pk, title="Sneaky"))
    assert response.status_code == 403
    assert not ImprovementTask.objects.filter(title="Sneaky").exists()


# Delegating and moving -----------------------------------------------------------------


def test_the_lead_delegates_a_task_and_owns_it(client, org, work):
    client.force_login(org.lea.user)
    due = timezone.localdate() + timedelta(days=7)
    response = client.post(
        CREATE,
        new(
            project=work["platform"].pk,
            title="Write the on-call guide",
            assignee=org.ian.pk,
            due_date=due.isoformat(),
        ),
    )
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST))
    assert "Delegated “Write the on-call guide”." in page
    task = ImprovementTask.objects.get(title="Write the on-call guide")
    assert (task.project, task.owner, task.assignee, task.due_date, task.status) == (
        work["platform"],
        org.lea,
        org.ian,
        due,
        "todo",
    )


def test_hr_delegates_in_any_department(client, org, work):
    client.force_login(org.hr)
    client.post(CREATE, new(project=work["data"].pk, title="Index the lake", assignee=org.dana.pk))
    task = ImprovementTask.objects.get(title="Index the lake")
    assert task.project == work["data"] and task.assignee == org.dana


def test_the_assignee_moves_their_task(client, org, work):
    client.force_login(org.ian.user)
    task = work["ian"]
    response = client.post(status_url(task), {"status": "in_progress"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert "“Fix flaky tests” is now in progress." in body(client.get(LIST))
    client.post(status_url(task), {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at is not None
    tasks = section(body(client.get(LIST, {"overdue": "true"})), "tasks-heading")
    assert "Fix flaky tests" not in tasks  # done is not overdue


def test_the_lead_moves_any_task_of_the_department(client, org, work):
    client.force_login(org.lea.user)
    client.post(status_url(work["jo"]), {"status": "cancelled"})
    work["jo"].refresh_from_db()
    assert work["jo"].status == "cancelled"


@pytest.mark.parametrize(("who", "task"), [("maya", "ian"), ("ian", "jo")])
def test_someone_else_cannot_move_a_task(client, org, work, who, task):
    """The manager sees Platform's tasks but does not run them; Ian moves only his own."""
    client.force_login(getattr(org, who).user)
    task = work[task]
    response = client.post(status_url(task), {"status": "done"}, follow=True)
    assert response.status_code == 200
    assert "Only HR or the Tech Lead of Platform can change this task." in body(response)
    task.refresh_from_db()
    assert task.status == "todo" and task.completed_at is None


def test_a_task_out_of_scope_is_a_404(client, org, work):
    client.force_login(org.max.user)
    assert client.post(status_url(work["ian"]), {"status": "done"}).status_code == 404
    assert client.post(reverse("dashboard:task_status", args=[999999]), {}).status_code == 404
    work["ian"].refresh_from_db()
    assert work["ian"].status == "todo"


def test_an_unknown_status_is_shown_and_changes_nothing(client, org, work):
    client.force_login(org.ian.user)
    response = client.post(status_url(work["ian"]), {"status": "finished"}, follow=True)
    assert "Select a valid choice. finished is not one of" in body(response)
    work["ian"].refresh_from_db()
    assert work["ian"].status == "todo"


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"project": ""}, "This field is required."),
        ({"due_date": "next week"}, "Enter a valid date."),
        ({"project": "data"}, "Select a valid choice."),  # another department's project
        ({"assignee": "dana"}, "Select a valid choice."),  # someone out of Lea's scope
    ],
)
def test_a_bad_task_is_shown_with_its_error_and_nothing_is_written(
    client, org, work, fields, error
):
    client.force_login(org.lea.user)
    data = {"project": work["platform"].pk, "title": "Fine title", "assignee": org.ian.pk}
    data.update(fields)
    if data["project"] == "data":
        data["project"] = work["data"].pk
    if data["assignee"] == "dana":
        data["assignee"] = org.dana.pk
    response = client.post(CREATE, new(**data))
    assert response.status_code == 200
    page = body(response)
    assert error in page and DELEGATE_FORM in page
    assert ImprovementTask.objects.count() == 3


def test_the_page_filters_by_department_status_and_overdue(client, org, work):
    client.force_login(org.hr)
    page = body(client.get(LIST, {"overdue": "true"}))
    assert "Fix flaky tests" in page
    assert "Document the runbook" not in page and "Dedupe the warehouse" not in page
    page = body(client.get(LIST, {"department": org.data.pk}))
    assert "Dedupe the warehouse" in page and "Fix flaky tests" not in page
    projects = section(page, "projects-heading")  # they follow the department filter too
    assert "Data quality" in projects and "Platform toil" not in projects
    improvement_task_create(actor=org.hr, project=work["data"], title="Already done", status="done")
    page = body(client.get(LIST, {"status": "done"}))
    assert "Already done" in page and "Dedupe the warehouse" not in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"department": "abc"}, "No department with id or slug"),
        ({"status": "nonsense"}, "Select a valid choice. nonsense is not one of"),
    ],
)
def test_a_malformed_filter_is_a_field_error_not_a_500(client, org, work, query, error):
    client.force_login(org.hr)
    response = client.get(LIST, query)
    assert response.status_code == 200
    page = body(response)
    assert error in page and 'role="alert"' in page
    assert "Fix flaky tests" in page and "Dedupe the warehouse" in page  # filters nothing


# Where the list is reached from --------------------------------------------------------


def test_the_department_page_links_its_overdue_tasks(client, org, work):
    client.force_login(org.lea.user)
    page = body(client.get(reverse("dashboard:department", args=[org.platform.pk])))
    work_section = section(page, "work-heading")
    link = f"/improvement/?department={org.platform.pk}&amp;overdue=true"
    assert f'<a href="{link}">1 overdue</a> of 2 open improvement tasks' in work_section
    listed = body(client.get(unescape(link)))
    assert "Fix flaky tests" in listed and "Document the runbook" not in listed
    assert '<span class="badge warn">Overdue</span>' in listed


# Cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "queries"), [("hr", 13), ("lea", 18)])  # + projects count, names
def test_the_page_runs_the_same_queries_at_any_size(
    client, org, work, grow, django_assert_num_queries, who, queries
):
    """session, user, HR group check, the viewer's person, the filter's departments,
    (Lea: the departments she leads), count, the page's tasks with project, department and
    assignee, the departments the viewer leads, whether the delegate form has a project,
    the projects with their task counts, (Lea: the departments whose page opens for her,
    read once to link their names; and those whose people she sees, to link names to
    person pages), then the delegate form's choices: projects, assignees."""
    client.force_login(org.hr if who == "hr" else org.lea.user)
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200
    grow(10)
    today = timezone.localdate()
    for i in range(30):  # more than a page, in more projects
        project = improvement_project_create(
            actor=org.hr, department=org.data if i % 2 else org.platform, name=f"Project {i}"
        )
        improvement_task_create(
            actor=org.hr,
            project=project,
            title=f"Task {i}",
            assignee=org.dana if i % 2 else org.ian,
            due_date=today + timedelta(days=i - 15),
        )
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200


def test_the_task_form_s_projects_are_read_without_their_task_counts(client, org, work):
    """The form offers projects by name; only the paged projects table counts tasks
    (counting every project's first took longer than the page at 5,000 projects)."""
    client.force_login(org.hr)
    with CaptureQueriesContext(connection) as queries:
        page = body(client.get(LIST))
    assert f'<option value="{work["data"].pk}">Data quality</option>' in page
    counting = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "techleads_improvementproject"."id"')
        and "techleads_improvementtask" in q["sql"]
    ]
    assert len(counting) == 1, counting  # the table's page, not the form's choices
