"""Reads of documentation, and who may change it."""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet

from departments.models import Department, Person
from departments.selectors import count_subquery, user_is_hr, user_person
from techleads.selectors import can_lead_department

from .constants import DEFAULT_REVIEW_INTERVAL_DAYS, DocumentKind
from .models import Document, ProcessAcknowledgement, ReviewPolicy


def document_list() -> QuerySet[Document]:
    return Document.objects.select_related("department", "owner")


def documents_visible_to(user) -> QuerySet[Document]:
    """HR reads everything; everyone with a person reads all documents; others nothing."""
    if user_is_hr(user) or user_person(user) is not None:
        return document_list()
    return Document.objects.none()


def can_edit_documents(user, department: Department) -> bool:
    """HR, or the department's active Tech Lead."""
    return can_lead_department(user, department)


def can_review_document(user, document: Document) -> bool:
    """Those who edit the department's documents, and the document's owner."""
    if can_edit_documents(user, document.department):
        return True
    person = user_person(user)
    return person is not None and document.owner_id == person.pk


def review_interval_for(*, department: Department, kind: str) -> int:
    """The department's policy for the kind, else the kind's default."""
    policy = (
        ReviewPolicy.objects.filter(department=department, kind=kind)
        .values_list("review_interval_days", flat=True)
        .first()
    )
    return policy or DEFAULT_REVIEW_INTERVAL_DAYS[kind]


def warning_window_days() -> int:
    return settings.STALENESS_WARNING_DAYS


# Cross-department processes -----------------------------------------------------------


def live_processes() -> QuerySet[Document]:
    return Document.objects.filter(
        kind=DocumentKind.CROSS_DEPARTMENT_PROCESS, archived_at__isnull=True
    )


def process_coverage(processes: QuerySet[Document]) -> QuerySet:
    """One row per (process, involved department): its active people and how many of them
    acknowledged the current version. One query for any number of processes."""
    through = Document.involved_departments.through
    people = Person.objects.filter(department=OuterRef("department_id"), is_active=True)
    acknowledged = ProcessAcknowledgement.objects.filter(
        document=OuterRef("document_id"),
        version=OuterRef("document__version"),
        person__department=OuterRef("department_id"),
        person__is_active=True,
    )
    return (
        through.objects.filter(document__in=processes.values("pk"))
        .annotate(
            people=count_subquery(people, group_by="department"),
            acknowledged=count_subquery(acknowledged, group_by="document"),
        )
        .select_related("department", "document")
        .order_by("document__title", "document_id", "department__name")
    )


def process_unacknowledged(
    processes: QuerySet[Document], *, people: QuerySet[Person] | None = None
) -> QuerySet:
    """(process_id, person_id, full_name) of each active person of a process's involved
    departments without an acknowledgement of its current version, by process then name,
    among `people` (the viewer's scope; everyone when None).
    One query for any number of processes: the annotations reuse the filter's join."""
    people = people if people is not None else Person.objects.all()
    acknowledged = ProcessAcknowledgement.objects.filter(
        person=OuterRef("pk"),
        document=OuterRef("process_id"),
        version=OuterRef("process_version"),
    )
    return (
        people.filter(is_active=True, department__involved_in_processes__in=processes.values("pk"))
        .annotate(
            process_id=F("department__involved_in_processes"),
            process_version=F("department__involved_in_processes__version"),
        )
        .exclude(Exists(acknowledged))
        .order_by("process_id", "full_name", "pk")
        .values_list("process_id", "pk", "full_name")
    )


def processes_pending_for(person: Person | None) -> QuerySet[Document]:
    """Live processes involving the person's department whose current version they have
    not acknowledged."""
    if person is None or person.department_id is None or not person.is_active:
        return Document.objects.none()
    done = ProcessAcknowledgement.objects.filter(
        document=OuterRef("pk"), person=person, version=OuterRef("version")
    )
    return live_processes().filter(involved_departments=person.department_id).exclude(Exists(done))
