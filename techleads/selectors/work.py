"""The role's work each viewer sees: sessions, improvement projects and tasks, incidents."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from departments.selectors import count_subquery, user_is_hr, user_person

from ..constants import OPEN_TASK_STATUSES, TaskStatus
from ..models import ImprovementProject, ImprovementTask, Incident, TechSession, TechSessionInvite
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


def project_choices(user) -> QuerySet[ImprovementProject]:
    """Projects in scope, as a form's choices: without the task counts, which would be
    computed for every project before the first choices are read."""
    return ImprovementProject.objects.filter(
        department__in=departments_visible_to(user).values("pk")
    )


def projects_visible_to(user, *, today: date) -> QuerySet[ImprovementProject]:
    """Projects in scope, with their open, overdue and done task counts (one query)."""
    tasks = ImprovementTask.objects.filter(project=OuterRef("pk"))

    def count(**lookups):
        return count_subquery(tasks.filter(**lookups), group_by="project")

    return project_choices(user).annotate(
        open_tasks=count(status__in=OPEN_TASK_STATUSES),
        overdue_tasks=count_subquery(tasks.filter(overdue_q(today=today)), group_by="project"),
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


def overdue_q(*, today: date | None = None, prefix: str = "") -> Q:
    """Overdue, the one definition: open, and due before today's date where the company
    is (TIME_ZONE), not UTC's: the health score and the lists it links to agree.
    `prefix` reaches tasks through a relation (e.g. "tasks__")."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status__in": OPEN_TASK_STATUSES, f"{prefix}due_date__lt": today})


def overdue(
    queryset: QuerySet[ImprovementTask], *, late: bool = True, today: date | None = None
) -> QuerySet[ImprovementTask]:
    """The overdue tasks of `queryset` (or, `late=False`, the others)."""
    condition = overdue_q(today=today)
    return queryset.filter(condition) if late else queryset.exclude(condition)


def incidents_visible_to(user) -> QuerySet[Incident]:
    return Incident.objects.filter(department__in=departments_visible_to(user).values("pk"))
