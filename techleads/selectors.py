"""Reads of the Tech Lead role: eligibility in SQL, current leads, role scoping."""

from datetime import date, datetime, timedelta

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from departments.models import Department, Person
from departments.selectors import count_subquery, user_is_hr, user_person

from .constants import OPEN_TASK_STATUSES, Readiness, TaskStatus, VerdictChoice
from .models import (
    Allocation,
    EligibilityRule,
    ImprovementProject,
    ImprovementTask,
    Incident,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
    TechSessionInvite,
)
from .rules import Verdict, eligibility_evaluate, verdict_for_rule


def _matching_rules(track=None, level=None, step=None) -> QuerySet[EligibilityRule]:
    """Active rules matching a person row (OuterRef by default), in priority order."""
    track = track if track is not None else OuterRef("track")
    level = level if level is not None else OuterRef("level")
    step = step if step is not None else OuterRef("step")
    return (
        EligibilityRule.objects.filter(
            is_active=True, track=track, min_level__lte=level, min_step__lte=step
        )
        .filter(Q(max_level__isnull=True) | Q(max_level__gte=level))
        .filter(Q(max_step__isnull=True) | Q(max_step__gte=step))
        .order_by("priority", "id")
    )


def people_with_eligibility(queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """Annotate `eligibility_verdict` and `eligibility_rule_id` in SQL, for any number of people.

    The SQL twin of rules.eligibility_evaluate: same rule order, same "no rule = ineligible".
    """
    queryset = queryset if queryset is not None else Person.objects.all()
    matching = _matching_rules()
    return queryset.annotate(
        eligibility_rule_id=Subquery(matching.values("id")[:1]),
        eligibility_verdict=Coalesce(
            Subquery(matching.values("verdict")[:1]), Value(VerdictChoice.INELIGIBLE.value)
        ),
    )


def person_eligibility(*, person: Person, rules: list[EligibilityRule] | None = None) -> Verdict:
    """The evaluation for one person (one query for the matching rule, none if rules given)."""
    if rules is not None:
        return eligibility_evaluate(
            track=person.track, level=person.level, step=person.step, rules=rules
        )
    rule = _matching_rules(person.track, person.level, person.step).first()
    return verdict_for_rule(rule, track=person.track, level=person.level, step=person.step)


def annotated_verdict(person: Person, rules_by_id: dict[int, EligibilityRule]) -> Verdict:
    """Build the full Verdict from a person annotated by people_with_eligibility."""
    rule = rules_by_id.get(person.eligibility_rule_id)
    return verdict_for_rule(rule, track=person.track, level=person.level, step=person.step)


def rules_by_id() -> dict[int, EligibilityRule]:
    return {rule.id: rule for rule in EligibilityRule.objects.all()}


def department_candidates(*, department: Department) -> QuerySet[Person]:
    """Active members of the department who can be assigned now, best ladder position first."""
    return (
        people_with_eligibility(
            Person.objects.filter(department=department, is_active=True).select_related(
                "department"
            )
        )
        .filter(eligibility_verdict=VerdictChoice.ELIGIBLE)
        .order_by("full_name", "id")
    )


def active_assignments() -> QuerySet[TechLeadAssignment]:
    return TechLeadAssignment.objects.filter(ended_at__isnull=True)


def current_assignment(*, department: Department) -> TechLeadAssignment | None:
    return active_assignments().filter(department=department).select_related("person").first()


def departments_with_lead(queryset: QuerySet[Department] | None = None) -> QuerySet[Department]:
    """Departments with `active_assignments` (a list of 0 or 1) prefetched: one extra query."""
    queryset = queryset if queryset is not None else Department.objects.all()
    return queryset.select_related("manager", "parent").prefetch_related(
        Prefetch(
            "tech_lead_assignments",
            queryset=active_assignments().select_related("person"),
            to_attr="active_assignments",
        )
    )


def lead_of(department: Department) -> TechLeadAssignment | None:
    """The active assignment of a department fetched with departments_with_lead."""
    active = getattr(department, "active_assignments", None)
    if active is None:
        return current_assignment(department=department)
    return active[0] if active else None


def lead_verdict_subquery() -> Coalesce:
    """For a TechLeadAssignment queryset: the verdict of its person, in SQL."""
    matching = _matching_rules(
        OuterRef("person__track"), OuterRef("person__level"), OuterRef("person__step")
    )
    return Coalesce(Subquery(matching.values("verdict")[:1]), Value(VerdictChoice.INELIGIBLE.value))


def succession_risks() -> QuerySet[TechLeadAssignment]:
    """Active leads whose verdict is `transition` and whose department has no ready successor."""
    ready = SuccessorCandidate.objects.filter(
        department=OuterRef("department"),
        readiness=Readiness.READY_NOW,
        person__is_active=True,
    )
    return (
        active_assignments()
        .annotate(lead_verdict=lead_verdict_subquery(), has_ready_successor=Exists(ready))
        .filter(lead_verdict=VerdictChoice.TRANSITION, has_ready_successor=False)
        .select_related("department", "person", "department__manager")
    )


# Role scoping -----------------------------------------------------------------------


def lead_department_ids(person: Person | None) -> list[int]:
    if person is None:
        return []
    return list(active_assignments().filter(person=person).values_list("department_id", flat=True))


def departments_visible_to(user) -> QuerySet[Department]:
    """HR: all; a manager: the departments they manage; a Tech Lead: theirs; others: their own."""
    if user_is_hr(user):
        return Department.objects.all()
    person = user_person(user)
    if person is None:
        return Department.objects.none()
    return Department.objects.filter(
        Q(manager=person)
        | Q(pk=person.department_id)
        | Q(tech_lead_assignments__person=person, tech_lead_assignments__ended_at__isnull=True)
    ).distinct()


def people_visible_to(user) -> QuerySet[Person]:
    """HR: everyone; a manager: their departments' people; a Tech Lead: their department's;
    an employee: themselves; a login without a person: nobody."""
    if user_is_hr(user):
        return Person.objects.all()
    person = user_person(user)
    if person is None:
        return Person.objects.none()
    led = TechLeadAssignment.objects.filter(
        person=person, ended_at__isnull=True, department=OuterRef("department")
    )
    return Person.objects.filter(Q(pk=person.pk) | Q(department__manager=person) | Q(Exists(led)))


def departments_led_by(user, *, or_managed: bool = False) -> QuerySet[Department]:
    """Where the viewer may run the role's work: HR everywhere, a Tech Lead in their
    department (and, `or_managed`, a manager in theirs: incidents)."""
    if user_is_hr(user):
        return Department.objects.all()
    person = user_person(user)
    if person is None:
        return Department.objects.none()
    scope = Q(pk__in=lead_department_ids(person))
    if or_managed:
        scope |= Q(manager=person)
    return Department.objects.filter(scope)


def can_manage_department(user, department: Department) -> bool:
    """HR, or the department's manager (nominating successors)."""
    if user_is_hr(user):
        return True
    person = user_person(user)
    return person is not None and department.manager_id == person.pk


def can_lead_department(user, department: Department) -> bool:
    """HR, or the department's active Tech Lead (documents, sessions, improvement work)."""
    if user is None or user_is_hr(user):
        return True
    return department.pk in lead_department_ids(user_person(user))


def escalation_annotated(
    queryset: QuerySet[Department] | None = None, *, at: datetime | None = None
) -> QuerySet[Department]:
    """Annotate each department with its escalation point, in one query for any number.

    `escalation_person_id` and `escalation_role` follow rules.escalation_chain: the Tech
    Lead (at `at`, else now), then the longest-ready active successor, then the manager,
    skipping inactive people. Successors and manager are today's: their history is not kept.
    """
    queryset = queryset if queryset is not None else Department.objects.all()
    leads = TechLeadAssignment.objects.filter(department=OuterRef("pk"), person__is_active=True)
    if at is None:
        leads = leads.filter(ended_at__isnull=True)
    else:
        leads = leads.filter(started_at__lte=at).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=at)
        )
    successors = SuccessorCandidate.objects.filter(
        department=OuterRef("pk"), readiness=Readiness.READY_NOW, person__is_active=True
    ).order_by("updated_at", "id")
    return queryset.annotate(
        escalation_lead_id=Subquery(leads.order_by("-started_at").values("person_id")[:1]),
        escalation_successor_id=Subquery(successors.values("person_id")[:1]),
        escalation_manager_id=Case(
            When(manager__is_active=True, then=F("manager_id")),
            default=Value(None),
            output_field=BigIntegerField(),
        ),
    ).annotate(
        escalation_person_id=Coalesce(
            "escalation_lead_id",
            "escalation_successor_id",
            "escalation_manager_id",
            output_field=BigIntegerField(),
        ),
        escalation_role=Case(
            When(escalation_lead_id__isnull=False, then=Value("tech_lead")),
            When(escalation_successor_id__isnull=False, then=Value("successor")),
            When(escalation_manager_id__isnull=False, then=Value("manager")),
            default=Value(None),
            output_field=CharField(),
        ),
    )


def people_with_capacity(
    queryset: QuerySet[Person], *, period_start: date, period_end: date
) -> QuerySet[Person]:
    """Annotate the capacity of each person for a period, in SQL (the twin of
    rules.capacity_flag): `allocated_percent` sums the allocations overlapping the period,
    `over_allocated` is above 100, `unallocated_percent` what is left below 100."""
    overlapping = Allocation.objects.filter(
        person=OuterRef("pk"), period_start__lte=period_end, period_end__gte=period_start
    )
    total = overlapping.order_by().values("person").annotate(total=Sum("percent")).values("total")
    return queryset.annotate(
        allocated_percent=Coalesce(Subquery(total, output_field=IntegerField()), Value(0))
    ).annotate(
        over_allocated=Q(allocated_percent__gt=100),
        under_allocated=Q(allocated_percent__lt=100),
        unallocated_percent=Greatest(Value(100) - F("allocated_percent"), Value(0)),
    )


def month_bounds(day: date) -> tuple[date, date]:
    """The calendar month of `day`: the default capacity period."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


# Responsibilities: what each role sees ------------------------------------------------


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


def allocations_visible_to(user) -> QuerySet[Allocation]:
    return Allocation.objects.filter(person__in=people_visible_to(user).values("pk"))
