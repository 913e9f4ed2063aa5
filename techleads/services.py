"""Writes to the Tech Lead role: assign, end, hand over, nominate successors.

Each service opens its transaction, checks the actor's role, and writes the audit entry in it.
`actor=None` is the system itself (management commands, seed data).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.constants import INTEGRATION_GROUP
from departments.errors import Conflict, DomainError, Forbidden
from departments.models import Department, Person
from departments.selectors import user_is_hr, user_person
from departments.services import audit_entry_create, model_validate, snapshot

from .constants import Attendance, SessionStatus, TaskStatus
from .errors import AssignmentAlreadyEnded, LeadAlreadyAssigned, NoActiveLead, NotEligible
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
from .rules import JiraPayloadError, jira_issue_fields
from .selectors import (
    can_lead_department,
    can_manage_department,
    current_assignment,
    person_eligibility,
)

ASSIGNMENT_FIELDS = (
    "department",
    "person",
    "started_at",
    "ended_at",
    "reason",
    "override_reason",
    "end_reason",
)
SUCCESSOR_FIELDS = ("department", "person", "readiness", "notes")


def _require_hr(actor) -> None:
    if actor is not None and not user_is_hr(actor):
        raise Forbidden("Only HR can assign, end or hand over the Tech Lead role.")


def lock_departments(*department_ids: int) -> list[Department]:
    """Row-lock departments in pk order, so concurrent role changes queue instead of deadlock."""
    return list(Department.objects.select_for_update().filter(pk__in=department_ids).order_by("pk"))


def _validate_new_lead(
    *, department: Department, person: Person, reason: str, override_reason: str
):
    if not reason.strip():
        raise DomainError("Say why this person is assigned.", field="reason")
    if person.department_id != department.pk or not person.is_active:
        raise DomainError(f"{person} is not an active member of {department}.", field="person")
    verdict = person_eligibility(person=person)
    if not verdict.can_be_assigned and not override_reason.strip():
        raise NotEligible(verdict.reason)
    return verdict


def _create_assignment(*, department, person, actor, reason, override_reason, started_at):
    try:
        with transaction.atomic():  # savepoint: the partial unique index has the last word
            return TechLeadAssignment.objects.create(
                department=department,
                person=person,
                assigned_by=actor,
                reason=reason.strip(),
                override_reason=override_reason.strip(),
                started_at=started_at,
            )
    except IntegrityError as exc:
        raise LeadAlreadyAssigned(department) from exc


@transaction.atomic
def assignment_create(
    *,
    department: Department,
    person: Person,
    assigned_by,
    reason: str,
    override_reason: str = "",
) -> TechLeadAssignment:
    """Make `person` the department's Tech Lead from now on.

    Refused when the department already has an active lead (409), the person is not an
    active member, or their verdict does not allow it and no override reason is given.
    """
    _require_hr(assigned_by)
    lock_departments(department.pk)
    if TechLeadAssignment.objects.filter(department=department, ended_at__isnull=True).exists():
        raise LeadAlreadyAssigned(department)
    verdict = _validate_new_lead(
        department=department, person=person, reason=reason, override_reason=override_reason
    )
    assignment = _create_assignment(
        department=department,
        person=person,
        actor=assigned_by,
        reason=reason,
        override_reason=override_reason,
        started_at=timezone.now(),
    )
    audit_entry_create(
        actor=assigned_by,
        verb="techlead.assign",
        target=assignment,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
        department=department,
        note=f"Verdict: {verdict.verdict}. {verdict.reason}",
    )
    return assignment


@transaction.atomic
def assignment_end(
    *, assignment: TechLeadAssignment, ended_by, reason: str = ""
) -> TechLeadAssignment:
    """End an active assignment; ending an ended one is a conflict (409)."""
    _require_hr(ended_by)
    assignment = TechLeadAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        raise AssignmentAlreadyEnded(assignment)
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.ended_at = timezone.now()
    assignment.ended_by = ended_by if getattr(ended_by, "is_authenticated", False) else None
    assignment.end_reason = reason.strip()
    assignment.save(update_fields=["ended_at", "ended_by", "end_reason"])
    audit_entry_create(
        actor=ended_by,
        verb="techlead.end",
        target=assignment,
        before=before,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
        department=assignment.department,
    )
    return assignment


@transaction.atomic
def assignment_hand_over(
    *,
    department: Department,
    successor: Person,
    actor,
    reason: str,
    override_reason: str = "",
) -> TechLeadAssignment:
    """End the current lead and start the successor's assignment, in one transaction."""
    _require_hr(actor)
    lock_departments(department.pk)
    current = (
        TechLeadAssignment.objects.select_for_update()
        .filter(department=department, ended_at__isnull=True)
        .select_related("person")
        .first()
    )
    if current is None:
        raise NoActiveLead(department)
    if current.person_id == successor.pk:
        raise DomainError(f"{successor} is already the Tech Lead of {department}.", field="person")
    verdict = _validate_new_lead(
        department=department, person=successor, reason=reason, override_reason=override_reason
    )
    now = timezone.now()
    before = snapshot(current, ASSIGNMENT_FIELDS)
    current.ended_at = now
    current.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    current.end_reason = f"Handed over to {successor}. {reason.strip()}"
    current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    new = _create_assignment(
        department=department,
        person=successor,
        actor=actor,
        reason=reason,
        override_reason=override_reason,
        started_at=now,
    )
    audit_entry_create(
        actor=actor,
        verb="techlead.hand_over",
        target=new,
        before=before,
        after=snapshot(new, ASSIGNMENT_FIELDS),
        department=department,
        note=f"From {current.person} to {successor}. Verdict: {verdict.verdict}. {verdict.reason}",
    )
    return new


@transaction.atomic
def successor_nominate(
    *, department: Department, person: Person, actor, readiness: str, notes: str = ""
) -> SuccessorCandidate:
    """Add or update a successor candidate: the department's manager or HR."""
    if actor is not None and not can_manage_department(actor, department):
        raise Forbidden("Only HR or the department's manager can nominate successors.")
    if person.department_id != department.pk or not person.is_active:
        raise DomainError(f"{person} is not an active member of {department}.", field="person")
    candidate = (
        SuccessorCandidate.objects.select_for_update()
        .filter(department=department, person=person)
        .first()
    )
    before = snapshot(candidate, SUCCESSOR_FIELDS) if candidate else None
    if candidate is None:
        candidate = SuccessorCandidate(department=department, person=person)
        candidate.nominated_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.readiness = readiness
    candidate.notes = notes
    try:
        candidate.full_clean(exclude=["department", "person", "nominated_by"])
    except ValidationError as exc:  # an unknown readiness
        raise DomainError(f"Unknown readiness {readiness!r}.", field="readiness") from exc
    candidate.save()
    audit_entry_create(
        actor=actor,
        verb="successor.nominate" if before is None else "successor.update",
        target=candidate,
        before=before,
        after=snapshot(candidate, SUCCESSOR_FIELDS),
        department=department,
    )
    return candidate


@transaction.atomic
def successor_remove(*, candidate: SuccessorCandidate, actor) -> None:
    if actor is not None and not can_manage_department(actor, candidate.department):
        raise Forbidden("Only HR or the department's manager can remove successor candidates.")
    before = snapshot(candidate, SUCCESSOR_FIELDS)
    audit_entry_create(
        actor=actor,
        verb="successor.remove",
        target=candidate,
        before=before,
        department=candidate.department,
    )
    candidate.delete()


# Responsibilities: tech sessions, improvement work, incidents ------------------------


def _require_lead(actor, department: Department, what: str) -> None:
    if not can_lead_department(actor, department):
        raise Forbidden(f"Only HR or the Tech Lead of {department} can {what}.")


def _require_lead_or_manager(actor, department: Department, what: str) -> None:
    if not (can_lead_department(actor, department) or can_manage_department(actor, department)):
        raise Forbidden(f"Only HR, the manager or the Tech Lead of {department} can {what}.")


def _require_active(person: Person | None, field: str) -> None:
    if person is not None and not person.is_active:
        raise DomainError(f"{person} is no longer active.", field=field)


# The check constraints and the unique index have the last word; these name the field at
# fault for the client, which a constraint's error cannot.


def _require_resolved_after_start(*, started_at, resolved_at) -> None:
    if resolved_at is not None and resolved_at < started_at:
        raise DomainError("An incident cannot be resolved before it starts.", field="resolved_at")


def _require_period_order(*, period_start, period_end) -> None:
    if period_end < period_start:
        raise DomainError("The period cannot end before it starts.", field="period_end")


def _require_free_jira_key(jira_key: str, *, project_pk: int | None = None) -> None:
    taken = ImprovementProject.objects.filter(jira_key=jira_key).exclude(pk=project_pk)
    if jira_key and taken.exists():
        raise DomainError("Another project already uses this Jira key.", field="jira_key")


@transaction.atomic
def tech_session_schedule(
    *,
    actor,
    department: Department,
    topic: str,
    scheduled_for,
    presenter: Person | None = None,
    link: str = "",
    invitees: Iterable[Person] = (),
    mandatory: Iterable[Person] = (),
) -> TechSession:
    """Schedule a knowledge-transfer session and invite people (`mandatory` ones too)."""
    _require_lead(actor, department, "schedule its tech sessions")
    _require_active(presenter, "presenter")
    session = TechSession(
        department=department,
        topic=topic.strip(),
        presenter=presenter,
        scheduled_for=scheduled_for,
        link=link,
    )
    model_validate(session)
    session.save()
    required = {p.pk for p in mandatory}
    people = {p.pk: p for p in [*invitees, *mandatory]}
    TechSessionInvite.objects.bulk_create(
        TechSessionInvite(session=session, person=p, mandatory=pk in required)
        for pk, p in people.items()
    )
    audit_entry_create(
        actor=actor,
        verb="session.schedule",
        target=session,
        after={"topic": session.topic, "scheduled_for": session.scheduled_for.isoformat()},
        department=department,
    )
    return session


@transaction.atomic
def tech_session_record(
    *, actor, session: TechSession, status: str, present: Iterable[Person] = (), link: str = ""
) -> TechSession:
    """Complete or cancel a session; on completion invitees not present are absent."""
    session = TechSession.objects.select_for_update().get(pk=session.pk)
    _require_lead(actor, session.department, "record its tech sessions")
    if status not in SessionStatus.values or status == SessionStatus.SCHEDULED:
        raise DomainError("A session is recorded as completed or cancelled.", field="status")
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict(f"This session is already {session.get_status_display().lower()}.")
    session.status = status
    session.link = link or session.link
    model_validate(session)
    session.save(update_fields=["status", "link"])
    present_ids = {p.pk for p in present}
    invited = set(session.invites.values_list("person_id", flat=True))
    if present_ids - invited:
        strangers = Person.objects.filter(pk__in=present_ids - invited).order_by("full_name")
        names = ", ".join(p.full_name for p in strangers)
        raise DomainError(f"Not invited to this session: {names}.", field="present")
    if status == SessionStatus.COMPLETED:
        session.invites.filter(person_id__in=present_ids).update(attendance=Attendance.PRESENT)
        session.invites.exclude(person_id__in=present_ids).update(attendance=Attendance.ABSENT)
    audit_entry_create(
        actor=actor,
        verb=f"session.{status}",
        target=session,
        after={"status": status},
        department=session.department,
    )
    return session


@dataclass(frozen=True)
class JiraUpsert:
    task: ImprovementTask
    outcome: str  # "created", "updated" or "unchanged"


def _require_integration(actor) -> None:
    if actor is None or user_is_hr(actor):
        return
    if not actor.groups.filter(name=INTEGRATION_GROUP).exists():
        raise Forbidden("Only an integration login or HR can sync Jira issues.")


@transaction.atomic
def improvement_task_upsert_from_jira(*, actor, payload: object) -> JiraUpsert:
    """Create or update the task of a Jira issue, by issue key.

    Redelivering the same payload changes nothing (not even `updated_at`); an unknown
    project key or assignee is a field error, so nothing is half-synced.
    """
    _require_integration(actor)
    try:
        data = jira_issue_fields(payload)
    except JiraPayloadError as exc:
        field, messages = next(iter(exc.errors.items()))
        raise DomainError(" ".join(messages), field=field) from exc
    project = ImprovementProject.objects.filter(jira_key=data["project_key"]).first()
    if project is None:
        raise DomainError(
            f"No improvement project has the Jira key {data['project_key']!r}.",
            field="issue.fields.project.key",
        )
    assignee = None
    if data["assignee_email"]:
        assignee = Person.objects.filter(
            email__iexact=data["assignee_email"], is_active=True
        ).first()
        if assignee is None:
            raise DomainError(
                f"No active person has the email {data['assignee_email']!r}.",
                field="issue.fields.assignee",
            )
    values = {
        "project": project,
        "title": data["title"],
        "status": data["status"],
        "due_date": date.fromisoformat(data["due_date"]) if data["due_date"] else None,
        "assignee": assignee,
        "jira_url": data["url"],
    }
    task = (
        ImprovementTask.objects.select_for_update().filter(jira_issue_key=data["issue_key"]).first()
    )
    if task is None:
        try:
            with transaction.atomic():  # two deliveries at once: the unique key decides
                task = ImprovementTask.objects.create(
                    jira_issue_key=data["issue_key"],
                    owner=project.owner,
                    completed_at=_completed_at(data["status"], None, timezone.now()),
                    **values,
                )
        except IntegrityError as exc:
            raise Conflict(f"{data['issue_key']} is being synced by another request.") from exc
        return JiraUpsert(task=task, outcome="created")
    changed = [name for name, value in values.items() if getattr(task, name) != value]
    if not changed:
        return JiraUpsert(task=task, outcome="unchanged")
    for name in changed:
        setattr(task, name, values[name])
    if "status" in changed:
        task.completed_at = _completed_at(task.status, None, timezone.now())
        changed.append("completed_at")
    task.save(update_fields=[*changed, "updated_at"])
    return JiraUpsert(task=task, outcome="updated")


@transaction.atomic
def incident_record(
    *,
    actor,
    department: Department,
    title: str,
    severity: str,
    started_at,
    handled_by: Person | None = None,
    resolved_at=None,
    postmortem_url: str = "",
) -> Incident:
    """Log an incident: HR, the department's manager or its Tech Lead."""
    _require_lead_or_manager(actor, department, "log its incidents")
    _require_active(handled_by, "handled_by")
    incident = Incident(
        department=department,
        title=title.strip(),
        severity=severity,
        started_at=started_at,
        resolved_at=resolved_at,
        handled_by=handled_by,
        postmortem_url=postmortem_url,
    )
    _require_resolved_after_start(started_at=started_at, resolved_at=resolved_at)
    model_validate(incident)
    incident.save()
    audit_entry_create(
        actor=actor,
        verb="incident.record",
        target=incident,
        after={"severity": severity, "started_at": started_at.isoformat()},
        department=department,
    )
    return incident


@transaction.atomic
def allocation_set(
    *,
    actor,
    person: Person,
    percent: int,
    period_start,
    period_end,
    project: ImprovementProject | None = None,
    duty: str = "",
) -> Allocation:
    """Allocate a share of a person's capacity to a project or an operational duty.

    Over-allocation is allowed (it is what the capacity view flags), not refused: the
    Tech Lead distributing capacity needs to see the conflict, not be blocked by it.
    """
    if person.department is None:
        raise DomainError(f"{person} belongs to no department.", field="person")
    _require_lead(actor, person.department, "distribute its team's capacity")
    _require_active(person, "person")
    if project is not None and project.department_id != person.department_id:
        raise DomainError(f"{project} is not a project of {person.department}.", field="project")
    allocation = Allocation(
        person=person,
        project=project,
        duty=duty.strip(),
        percent=percent,
        period_start=period_start,
        period_end=period_end,
    )
    _require_period_order(period_start=period_start, period_end=period_end)
    model_validate(allocation)
    allocation.save()
    audit_entry_create(
        actor=actor,
        verb="allocation.set",
        target=allocation,
        after={"percent": percent, "project": project.pk if project else None, "duty": duty},
        department=person.department,
    )
    return allocation


def _audited_update(
    *, actor, instance, fields: dict, tracked: tuple[str, ...], verb: str, department
):
    """Apply `fields`, validate, save, and audit before/after (nothing when nothing changed).

    The record stays in its department: moving it would move it out of its lead's reach.
    """
    moved = fields.pop("department", department)
    if moved != department:
        raise DomainError(f"This stays in {department}.", field="department")
    before = snapshot(instance, tracked)
    for name, value in fields.items():
        setattr(instance, name, value)
    model_validate(instance)
    after = snapshot(instance, tracked)
    if after != before:
        instance.save()
        audit_entry_create(
            actor=actor,
            verb=verb,
            target=instance,
            before=before,
            after=after,
            department=department,
        )
    return instance


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
    _require_lead(actor, department, "start its improvement projects")
    lead = current_assignment(department=department)
    owner = owner or user_person(actor) or (lead.person if lead else None)
    _require_active(owner, "owner")
    project = ImprovementProject(
        department=department,
        name=name.strip(),
        description=description,
        owner=owner,
        jira_key=jira_key.strip().upper(),
        is_active=is_active,
    )
    _require_free_jira_key(project.jira_key)
    model_validate(project)
    try:
        with transaction.atomic():  # savepoint: two creates with one key, the index decides
            project.save()
    except IntegrityError as exc:
        raise DomainError("Another project already uses this Jira key.", field="jira_key") from exc
    audit_entry_create(
        actor=actor,
        verb="project.create",
        target=project,
        after=snapshot(project, PROJECT_FIELDS),
        department=department,
    )
    return project


@transaction.atomic
def improvement_project_update(
    *, actor, project: ImprovementProject, **fields
) -> ImprovementProject:
    project = ImprovementProject.objects.select_for_update().get(pk=project.pk)
    _require_lead(actor, project.department, "change its improvement projects")
    _require_active(fields.get("owner"), "owner")
    if "jira_key" in fields:
        fields["jira_key"] = fields["jira_key"].strip().upper()
        _require_free_jira_key(fields["jira_key"], project_pk=project.pk)
    return _audited_update(
        actor=actor,
        instance=project,
        fields=fields,
        tracked=PROJECT_FIELDS,
        verb="project.update",
        department=project.department,
    )


TASK_FIELDS = ("project", "title", "owner", "assignee", "status", "due_date", "jira_url")


def _completed_at(status: str, previous, now):
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
    _require_lead(actor, project.department, "delegate its improvement tasks")
    _require_active(assignee, "assignee")
    task = ImprovementTask(
        project=project,
        title=title.strip(),
        owner=user_person(actor) or project.owner,
        assignee=assignee,
        due_date=due_date,
        status=status,
        completed_at=_completed_at(status, None, timezone.now()),
    )
    model_validate(task, exclude=["jira_issue_key"])
    task.save()
    audit_entry_create(
        actor=actor,
        verb="task.create",
        target=task,
        after=snapshot(task, TASK_FIELDS),
        department=project.department,
    )
    return task


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
    _require_active(fields.get("assignee"), "assignee")
    if "status" in fields:
        fields["completed_at"] = _completed_at(fields["status"], task.completed_at, timezone.now())
    return _audited_update(
        actor=actor,
        instance=task,
        fields=fields,
        tracked=TASK_FIELDS,
        verb="task.update",
        department=department,
    )


INCIDENT_FIELDS = ("title", "severity", "started_at", "resolved_at", "handled_by", "postmortem_url")


@transaction.atomic
def incident_update(*, actor, incident: Incident, **fields) -> Incident:
    """Resolve an incident, add its post-mortem, or correct the log."""
    incident = Incident.objects.select_for_update().select_related("department").get(pk=incident.pk)
    _require_lead_or_manager(actor, incident.department, "change its incident log")
    _require_active(fields.get("handled_by"), "handled_by")
    _require_resolved_after_start(
        started_at=fields.get("started_at", incident.started_at),
        resolved_at=fields.get("resolved_at", incident.resolved_at),
    )
    return _audited_update(
        actor=actor,
        instance=incident,
        fields=fields,
        tracked=INCIDENT_FIELDS,
        verb="incident.update",
        department=incident.department,
    )


@transaction.atomic
def allocation_remove(*, actor, allocation: Allocation) -> None:
    allocation = Allocation.objects.select_related("person__department").get(pk=allocation.pk)
    _require_lead(actor, allocation.person.department, "distribute its team's capacity")
    audit_entry_create(
        actor=actor,
        verb="allocation.remove",
        target=allocation,
        before={
            "person": allocation.person_id,
            "percent": allocation.percent,
            "project": allocation.project_id,
            "duty": allocation.duty,
        },
        department=allocation.person.department,
    )
    allocation.delete()


RULE_FIELDS = (
    "track",
    "min_level",
    "max_level",
    "min_step",
    "max_step",
    "verdict",
    "priority",
    "explanation",
    "is_active",
)


@transaction.atomic
def eligibility_rule_save(*, actor, rule: EligibilityRule) -> EligibilityRule:
    """Create or change a policy row (HR only), audited with before and after."""
    _require_hr(actor)
    before = None
    if rule.pk:
        before = snapshot(EligibilityRule.objects.select_for_update().get(pk=rule.pk), RULE_FIELDS)
    model_validate(rule)
    rule.save()
    audit_entry_create(
        actor=actor,
        verb="eligibility_rule.create" if before is None else "eligibility_rule.update",
        target=rule,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
    )
    return rule
