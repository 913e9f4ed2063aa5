"""Reads of documentation, and who may change it."""

from django.conf import settings
from django.db.models import QuerySet

from departments.models import Department
from departments.selectors import user_is_hr, user_person
from techleads.selectors import can_lead_department

from .constants import DEFAULT_REVIEW_INTERVAL_DAYS
from .models import Document, ReviewPolicy


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
