import pytest
import time_machine
from django.utils import timezone

from departments.errors import Conflict, Forbidden
from sops.models import Document, ReviewPolicy
from sops.services import (
    document_create,
    document_review_record,
    document_update,
    process_acknowledge,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sop(org):
    return document_create(
        actor=org.lea.user, title="Deploy runbook", kind="sop", department=org.platform
    )


def test_owner_defaults_to_the_current_tech_lead(sop, org):
    assert sop.owner == org.lea
    assert sop.review_interval_days == 90
    assert sop.status == "current"


def test_department_policy_overrides_the_kind_default(org):
    ReviewPolicy.objects.create(department=org.platform, kind="sop", review_interval_days=30)
    doc = document_create(actor=org.hr, title="On-call", kind="sop", department=org.platform)
    assert doc.review_interval_days == 30


def test_only_hr_or_the_departments_lead_creates(org):
    with pytest.raises(Forbidden):
        document_create(actor=org.ian.user, title="x", kind="sop", department=org.platform)
    with pytest.raises(Forbidden):
        document_create(actor=org.lea.user, title="x", kind="sop", department=org.data)


def test_imported_review_date_sets_status(org):
    long_ago = timezone.now() - timezone.timedelta(days=200)
    doc = document_create(
        actor=org.hr, title="Old", kind="sop", department=org.platform, last_reviewed_at=long_ago
    )
    assert doc.status == "stale"
    assert doc.next_review_at == long_ago + timezone.timedelta(days=90)


def test_review_resets_the_clock(sop, org):
    with time_machine.travel(timezone.now() + timezone.timedelta(days=100)):
        document_update(actor=org.hr, document=sop, title="Deploy runbook v2")
        assert Document.objects.get(pk=sop.pk).status == "stale"
        review = document_review_record(document=sop, actor=org.lea.user, outcome="confirmed")
        sop.refresh_from_db()
        assert sop.status == "current"
        assert sop.last_reviewed_at == review.reviewed_at
        assert review.reviewer == org.lea


def test_retired_archives_and_archived_cannot_be_reviewed(sop, org):
    document_review_record(document=sop, actor=org.hr, outcome="retired", notes="Replaced")
    sop.refresh_from_db()
    assert sop.status == "archived"
    with pytest.raises(Conflict):
        document_review_record(document=sop, actor=org.hr, outcome="confirmed")


def test_employee_who_is_not_the_owner_cannot_review(sop, org):
    with pytest.raises(Forbidden):
        document_review_record(document=sop, actor=org.ian.user, outcome="confirmed")
    document_update(actor=org.hr, document=sop, owner=org.ian)
    assert document_review_record(document=sop, actor=org.ian.user, outcome="updated")


def test_only_a_material_update_asks_for_acknowledgement_again(org):
    process = document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    process_acknowledge(document=process, person=org.dana)
    document_review_record(document=process, actor=org.hr, outcome="updated", notes="Typos")
    process.refresh_from_db()
    assert process.version == 1
    assert process.acknowledgements.filter(version=process.version).count() == 1
    review = document_review_record(
        document=process, actor=org.hr, outcome="updated", material=True, notes="New pager"
    )
    process.refresh_from_db()
    assert (process.version, review.material) == (2, True)
    assert not process.acknowledgements.filter(version=process.version).exists()
    again, created = process_acknowledge(document=process, person=org.dana)
    assert (again.version, created) == (2, True)
    assert process_acknowledge(document=process, person=org.dana) == (again, False)  # idempotent
