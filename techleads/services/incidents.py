"""The incident log a Tech Lead keeps."""

from django.db import transaction
from django.utils import timezone

from departments.errors import Conflict, DomainError
from departments.events import department_data, person_data
from departments.models import Department, Person
from departments.services import audited_create
from integrations.events import INCIDENT_OPENED
from integrations.services import event_publish

from ..models import Incident
from .access import require_active, require_lead_or_manager, work_item_update


def _require_resolved_after_start(*, started_at, resolved_at) -> None:
    if resolved_at is not None and resolved_at < started_at:
        raise DomainError("An incident cannot be resolved before it starts.", field="resolved_at")


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
    require_lead_or_manager(actor, department, "log its incidents")
    require_active(handled_by, "handled_by")
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
    audited_create(
        actor=actor,
        instance=incident,
        verb="incident.record",
        after={"severity": severity, "started_at": started_at.isoformat()},
        department=department,
    )
    event_publish(INCIDENT_OPENED, lambda: _incident_data(incident))
    return incident


def _incident_data(incident: Incident) -> dict:
    """The `incident.opened` event's data."""
    return {
        "incident": {
            "id": incident.pk,
            "title": incident.title,
            "severity": incident.severity,
            "started_at": incident.started_at.isoformat(),
            "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        },
        "department": department_data(incident.department),
        "handled_by": person_data(incident.handled_by),
    }


INCIDENT_FIELDS = ("title", "severity", "started_at", "resolved_at", "handled_by", "postmortem_url")


@transaction.atomic
def incident_resolve(*, actor, incident: Incident, postmortem_url: str = "") -> Incident:
    """Mark an open incident resolved now. Resolving a resolved one is a conflict, decided
    under the row lock: the time the incident ended stays the first one, whatever the
    number of clicks."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.resolved_at is not None:
        raise Conflict(f"“{locked.title}” is already resolved.")
    fields = {"resolved_at": timezone.now()}
    if postmortem_url:
        fields["postmortem_url"] = postmortem_url
    return incident_update(actor=actor, incident=locked, **fields)


@transaction.atomic
def incident_update(*, actor, incident: Incident, **fields) -> Incident:
    """Resolve an incident, add its post-mortem, or correct the log."""
    incident = Incident.objects.select_for_update().select_related("department").get(pk=incident.pk)
    require_lead_or_manager(actor, incident.department, "change its incident log")
    require_active(fields.get("handled_by"), "handled_by")
    _require_resolved_after_start(
        started_at=fields.get("started_at", incident.started_at),
        resolved_at=fields.get("resolved_at", incident.resolved_at),
    )
    return work_item_update(
        actor=actor,
        instance=incident,
        fields=fields,
        tracked=INCIDENT_FIELDS,
        verb="incident.update",
        department=incident.department,
    )
