"""Tech sessions: schedule, then record who attended."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from departments.errors import Conflict, DomainError
from departments.models import Department, Person
from departments.services import audit_entry_create, model_validate

from ..constants import Attendance, SessionStatus
from ..models import TechSession, TechSessionInvite
from .access import require_active, require_lead


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
    require_lead(actor, department, "schedule its tech sessions")
    require_active(presenter, "presenter")
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
    """Complete or cancel a session; on completion invitees not present are absent.

    Completed only from the session's start (`scheduled_for`); cancelled at any time."""
    session = TechSession.objects.select_for_update().get(pk=session.pk)
    require_lead(actor, session.department, "record its tech sessions")
    if status not in SessionStatus.values or status == SessionStatus.SCHEDULED:
        raise DomainError("A session is recorded as completed or cancelled.", field="status")
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict(f"This session is already {session.get_status_display().lower()}.")
    if status == SessionStatus.COMPLETED and not session.has_started:
        # Attendance of a session that has not happened would be invented.
        starts = f"{timezone.localtime(session.scheduled_for):%Y-%m-%d %H:%M}"
        raise DomainError(
            f"This session has not started yet: it can be recorded as held from {starts}; "
            "until then it can only be cancelled.",
            field="status",
        )
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
