"""Writes to documentation: create, update, review, acknowledge.

The department's active Tech Lead (or HR) creates and updates its documents; the owner
may also review. Jobs and imports act as departments.actors.SYSTEM.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from departments.errors import Conflict, DomainError, Forbidden
from departments.models import Department, Person
from departments.selectors import user_is_hr, user_person
from departments.services import (
    audit_entry_create,
    audited_create,
    audited_update,
    snapshot,
)
from integrations.models import QueuedTask
from integrations.services import task_enqueue
from techleads.selectors import current_assignment

from .constants import DOCUMENT_EDIT_FIELDS, DocumentKind, DocumentStatus, ReviewOutcome
from .models import Document, DocumentReview, ProcessAcknowledgement
from .rules import document_status, next_review_at
from .selectors import (
    can_edit_documents,
    can_review_document,
    review_interval_for,
    warning_window_days,
)
from .summary import document_state, summary_move

DOCUMENT_FIELDS = (*DOCUMENT_EDIT_FIELDS, "status", "archived_at", "version")
_UNSET = object()


def document_refresh_status(document: Document, *, now: datetime | None = None) -> None:
    """Set the derived `next_review_at` and `status` on the instance (not saved)."""
    now = now or timezone.now()
    document.next_review_at = next_review_at(
        last_reviewed_at=document.last_reviewed_at, interval_days=document.review_interval_days
    )
    document.status = document_status(
        last_reviewed_at=document.last_reviewed_at,
        interval_days=document.review_interval_days,
        now=now,
        window_days=warning_window_days(),
        archived=document.archived_at is not None,
    )
    if document.status in (DocumentStatus.CURRENT, DocumentStatus.ARCHIVED):
        # Back in order: the next lapse must be reported afresh.
        document.notified_status = ""


def _require_editor(actor, department: Department) -> None:
    if not can_edit_documents(actor, department):
        raise Forbidden(f"Only HR or the Tech Lead of {department} can change its documents.")


@transaction.atomic
def document_create(
    *,
    actor,
    title: str,
    kind: str,
    department: Department,
    owner: Person | None = None,
    url: str = "",
    description: str = "",
    review_interval_days: int | None = None,
    last_reviewed_at=_UNSET,
    involved_departments: list[Department] | tuple = (),
) -> Document:
    """Create a document. The owner defaults to the department's current Tech Lead, the
    interval to the department's policy or the kind's default, and the last review to now
    (its author just wrote it) unless an import gives the real date."""
    _require_editor(actor, department)
    if kind not in DocumentKind.values:
        raise DomainError(f"Unknown kind {kind!r}.", field="kind")
    if owner is None:
        lead = current_assignment(department=department)
        owner = lead.person if lead else None
    document = Document(
        title=title,
        kind=kind,
        department=department,
        owner=owner,
        url=url,
        description=description,
        review_interval_days=review_interval_days
        or review_interval_for(department=department, kind=kind),
        last_reviewed_at=timezone.now() if last_reviewed_at is _UNSET else last_reviewed_at,
    )
    document_refresh_status(document)
    audited_create(
        actor=actor,
        instance=document,
        verb="document.create",
        tracked=DOCUMENT_FIELDS,
        department=department,
        exclude=["next_review_at", "status"],
    )
    summary_move(before=None, after=document_state(document))
    if involved_departments:
        document.involved_departments.set(involved_departments)
    return document


@transaction.atomic
def document_update(*, actor, document: Document, **fields) -> Document:
    """Change a document's fields; status and next review are recomputed from the result."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_editor(actor, document.department)
    if "department" in fields and fields["department"] != document.department:
        _require_editor(actor, fields["department"])
    involved = fields.pop("involved_departments", None)
    before = document_state(document)
    document = audited_update(
        actor=actor,
        instance=document,
        fields=fields,
        tracked=DOCUMENT_FIELDS,
        verb="document.update",
        department=fields.get("department", document.department),
        derive=document_refresh_status,
        exclude=["next_review_at", "status"],
    )
    # A change of department, kind or status moves it between the summary's figures.
    summary_move(before=before, after=document_state(document))
    if involved is not None:
        document.involved_departments.set(involved)
    return document


@transaction.atomic
def document_review_record(
    *, document: Document, actor, outcome: str, notes: str = "", material: bool = False
) -> DocumentReview:
    """Record a review: confirmed or updated resets the clock; retired archives the document.

    A `material` update starts a new version, which people must acknowledge again (for
    cross-department processes); a minor one keeps the version and its acknowledgements.
    """
    document = Document.objects.select_for_update().select_related("department").get(pk=document.pk)
    if not can_review_document(actor, document):
        raise Forbidden(
            "Only the document's owner, its department's Tech Lead or HR can review it."
        )
    if outcome not in ReviewOutcome.values:
        raise DomainError(f"Unknown outcome {outcome!r}.", field="outcome")
    if document.archived_at is not None:
        raise Conflict("This document is archived; it cannot be reviewed.")
    now = timezone.now()
    before = snapshot(document, DOCUMENT_FIELDS)
    state = document_state(document)
    if outcome == ReviewOutcome.RETIRED:
        document.archived_at = now
    else:
        document.last_reviewed_at = now
        document.escalated_at = None  # a new clock: escalate again only if it goes stale again
    material = material and outcome == ReviewOutcome.UPDATED
    if material:
        document.version += 1
    document_refresh_status(document, now=now)
    document.save()
    summary_move(before=state, after=document_state(document))
    review = DocumentReview.objects.create(
        document=document,
        reviewer=user_person(actor),
        reviewed_by=actor if getattr(actor, "is_authenticated", False) else None,
        outcome=outcome,
        material=material,
        notes=notes,
        reviewed_at=now,
    )
    audit_entry_create(
        actor=actor,
        verb=f"document.review.{outcome}",
        target=document,
        before=before,
        after=snapshot(document, DOCUMENT_FIELDS),
        department=document.department,
        note=notes,
    )
    return review


ACKNOWLEDGEMENT_FIELDS = ("document", "person", "version")


@transaction.atomic
def process_acknowledge(
    *, document: Document, person: Person
) -> tuple[ProcessAcknowledgement, bool]:
    """`person` confirms they know the current version of a cross-department process.

    Returns the acknowledgement and whether this call created it. The write decides, not a
    check made before it: get_or_create inserts in a savepoint, and when a simultaneous
    call inserted first the unique constraint refuses the second row and it reads the
    first one back. Only a created acknowledgement is audited.
    """
    if document.kind != DocumentKind.CROSS_DEPARTMENT_PROCESS:
        raise DomainError("Only cross-department processes are acknowledged.")
    if document.status == DocumentStatus.ARCHIVED:
        raise Conflict("This process is archived.")
    acknowledgement, created = ProcessAcknowledgement.objects.get_or_create(
        document=document, person=person, version=document.version
    )
    if created:
        audit_entry_create(
            actor=person.user,
            verb="process.acknowledge",
            target=acknowledgement,
            after=snapshot(acknowledgement, ACKNOWLEDGEMENT_FIELDS),
            department=document.department,
        )
    return acknowledgement, created


def staleness_check_request(*, actor) -> QueuedTask:
    """HR's "Run the staleness check now": the check is queued through the outbox, so a
    broker outage delays it (until the sweep) and never loses it or fails the request."""
    if not user_is_hr(actor):
        raise Forbidden("Only HR runs the staleness check on demand.")
    with transaction.atomic():
        return task_enqueue("sops.tasks.check_staleness")
