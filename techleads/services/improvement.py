"""Process Improvement: projects and the tasks a Tech Lead delegates."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.errors import DomainError, Forbidden
from departments.models import Department, Person
from departments.selectors import user_person
from departments.services import audited_create

from ..constants import TaskStatus
from ..models import ImprovementProject, ImprovementTask
from ..selectors import can_lead_department, current_assignment
from .access import require_active, require_lead, work_item_update


def _require_free_jira_key(jira_key: str, *, project_pk: int | None = None) -> None:
    taken = ImprovementProject.objects.filter(jira_key=jira_key).exclude(pk=project_pk)
    if jira_key and taken.exists():
        raise DomainError("Another project already uses this Jira key.", field="jira_key")


PROJECT_FIELDS = ("name", "description", "owner", "jira_key", "is_active")


@transaction.atomic
def improvement_project_create(
    *,
    actor,
    department: Department,
    name: str,
    owner: Person | None = None,
    description: str = "",
    jira_key: str = "",
    is_active: bool = True,
) -> ImprovementProject:
    """Start a Process Improvement project; its owner defaults to the acting person, else
    (HR has no person) the department's Tech Lead."""
    require_lead(actor, department, "start its improvement projects")
    lead = current_assignment(department=department)
    owner = owner or user_person(actor) or (lead.person if lead else None)
    require_active(owner, "owner")
    project = ImprovementProject(
        department=department,
        name=name.strip(),
        description=description,
        owner=owner,
        jira_key=jira_key.strip().upper(),
        is_active=is_active,
    )
    _require_free_jira_key(project.jira_key)
    try:
        with transaction.atomic():  # savepoint: two creates with one key, the index decides
            return audited_create(
                actor=actor,
                instance=project,
                verb="project.create",
                tracked=PROJECT_FIELDS,
                department=department,
            )
    except IntegrityError as exc:
        raise DomainError("Another project already uses this Jira key.", field="jira_key") from exc


@transaction.atomic
def improvement_project_update(
    *, actor, project: ImprovementProject, **fields
) -> ImprovementProject:
    project = ImprovementProject.objects.select_for_update().get(pk=project.pk)
    require_lead(actor, project.department, "change its improvement projects")
    require_active(fields.get("owner"), "owner")
    if "jira_key" in fields:
        fields["jira_key"] = fields["jira_key"].strip().upper()
        _require_free_jira_key(fields["jira_key"], project_pk=project.pk)
    return work_item_update(
        actor=actor,
        instance=project,
        fields=fields,
        tracked=PROJECT_FIELDS,
        verb="project.update",
        department=project.department,
    )


TASK_FIELDS = ("project", "title", "owner", "assignee", "status", "due_date", "jira_url")


def task_completed_at(status: str, previous, now):
    """`completed_at` follows the status: set when it becomes done, cleared otherwise."""
    return (previous or now) if status == TaskStatus.DONE else None


@transaction.atomic
def improvement_task_create(
    *,
    actor,
    project: ImprovementProject,
    title: str,
    assignee: Person | None = None,
    due_date: date | None = None,
    status: str = TaskStatus.TODO,
) -> ImprovementTask:
    """The Tech Lead (or HR) delegates a task; the delegating person is its owner."""
    require_lead(actor, project.department, "delegate its improvement tasks")
    require_active(assignee, "assignee")
    task = ImprovementTask(
        project=project,
        title=title.strip(),
        owner=user_person(actor) or project.owner,
        assignee=assignee,
        due_date=due_date,
        status=status,
        completed_at=task_completed_at(status, None, timezone.now()),
    )
    return audited_create(
        actor=actor,
        instance=task,
        verb="task.create",
        tracked=TASK_FIELDS,
        department=project.department,
        exclude=["jira_issue_key"],
    )


@transaction.atomic
def improvement_task_update(*, actor, task: ImprovementTask, **fields) -> ImprovementTask:
    """The lead (or HR) changes anything; the assignee may move their task's status only."""
    task = ImprovementTask.objects.select_for_update().select_related("project").get(pk=task.pk)
    department = task.project.department
    person = user_person(actor)
    is_assignee = person is not None and task.assignee_id == person.pk
    if not can_lead_department(actor, department) and not (
        is_assignee and set(fields) <= {"status"}
    ):
        raise Forbidden(f"Only HR or the Tech Lead of {department} can change this task.")
    if "project" in fields and fields["project"].department_id != department.pk:
        raise DomainError("A task moves only between projects of its department.", field="project")
    require_active(fields.get("assignee"), "assignee")
    if "status" in fields:
        fields["completed_at"] = task_completed_at(
            fields["status"], task.completed_at, timezone.now()
        )
    return work_item_update(
        actor=actor,
        instance=task,
        fields=fields,
        tracked=TASK_FIELDS,
        verb="task.update",
        department=department,
    )
