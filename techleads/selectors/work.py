"""The role's work each viewer sees: sessions, improvement projects and tasks, incidents."""

from datetime import date

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from departments.selectors import count_subquery, user_is_hr, user_person

from ..constants import OPEN_TASK_STATUSES, TaskStatus
from ..models import (
    ImprovementProject,
    ImprovementTask,
    Incident,
    TechSession,
    TechSessionInvite,
)
from .access import departments_visible_to


def sessions_visible_to(user) -> QuerySet[TechSession]:
    """Sessions of the departments in scope, and any session the viewer is invited to."""
    if user_is_hr(user):
        return TechSession.objects.all()
    visible = Q(department__in=departments_visible_to(user).values("pk"))
    person = user_person(user)
    if person is not None:
        visible |= Q(
            Exists(TechSessionInvite.objects.filter(session=OuterRef("pk"), person=person))
        )
    return TechSession.objects.filter(visible)


def projects_visible_to(user, *, today: date) -> QuerySet[ImprovementProject]:
    """Projects in scope, with their open, overdue and done task counts (one query)."""
    tasks = ImprovementTask.objects.filter(project=OuterRef("pk"))

    def count(**lookups):
        return count_subquery(tasks.filter(**lookups), group_by="project")

    return ImprovementProject.objects.filter(
        department__in=departments_visible_to(user).values("pk")
    ).annotate(
        open_tasks=count(status__in=OPEN_TASK_STATUSES),
        overdue_tasks=count(status__in=OPEN_TASK_STATUSES, due_date__lt=today),
        done_tasks=count(status=TaskStatus.DONE),
    )


def tasks_visible_to(user) -> QuerySet[ImprovementTask]:
    """Tasks of the departments in scope, and the viewer's own (a task can be delegated to
    someone in another department, who must see it to move it)."""
    if user_is_hr(user):
        return ImprovementTask.objects.all()
    visible = Q(project__department__in=departments_visible_to(user).values("pk"))
    person = user_person(user)
    if person is not None:
        visible |= Q(assignee=person)
    return ImprovementTask.objects.filter(visible)


def overdue(queryset: QuerySet[ImprovementTask], *, today: date) -> QuerySet[ImprovementTask]:
    return queryset.filter(status__in=OPEN_TASK_STATUSES, due_date__lt=today)


def incidents_visible_to(user) -> QuerySet[Incident]:
    return Incident.objects.filter(department__in=departments_visible_to(user).values("pk"))
