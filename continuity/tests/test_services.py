"""Transfer of holdings: all or nothing, clocks kept, one audit entry per item, dry runs
that write nothing; and the guard on deactivating or moving a person."""

import pytest

from continuity.errors import HoldingsBlock
from continuity.selectors import person_holdings
from continuity.services import holdings_transfer, person_change, person_deactivate
from departments.errors import DomainError, Forbidden
from departments.models import AuditEntry, Person
from departments.tests.factories import PersonFactory
from sops.models import Document
from techleads.models import SuccessorCandidate, TechLeadAssignment


def _state():
    """Everything a transfer could change: holders, clocks, audit entries."""
    return (
        list(Document.objects.values_list("pk", "owner", "last_reviewed_at", "next_review_at",
                                          "status", "updated_at").order_by("pk")),
        list(TechLeadAssignment.objects.values_list("pk", "person", "ended_at").order_by("pk")),
        list(SuccessorCandidate.objects.values_list("pk").order_by("pk")),
        list(Person.objects.values_list("pk", "is_active", "department").order_by("pk")),
        AuditEntry.objects.count(),
    )  # fmt: skip


def test_transfer_moves_everything_to_one_receiver(org, holdings):
    document = Document.objects.get(pk=holdings.document.pk)
    audits = AuditEntry.objects.count()

    result = holdings_transfer(actor=org.hr, person=org.lea, to=org.ian, reason="Lea leaves")

    assert result["count"] == 8 and result["dry_run"] is False
    assert {(m["type"], m["to"]) for m in result["moved"]} == {
        ("tech_lead", org.ian.pk),
        ("manager", org.ian.pk),
        ("document", org.ian.pk),
        ("improvement_project", org.ian.pk),
        ("improvement_task", org.ian.pk),
        ("successor", None),
        ("tech_session", org.ian.pk),
    }
    assert person_holdings(org.lea) == []
    assert [h.type for h in person_holdings(org.ian)] == [
        "tech_lead", "manager", "document", "document", "improvement_project",
        "improvement_task", "tech_session",
    ]  # fmt: skip
    moved = Document.objects.get(pk=document.pk)
    # A change of owner is not a review: the clocks and the status are kept.
    assert (moved.last_reviewed_at, moved.next_review_at, moved.status) == (
        document.last_reviewed_at,
        document.next_review_at,
        document.status,
    )
    assert not SuccessorCandidate.objects.filter(pk=holdings.successor.pk).exists()
    # One audit entry per item: the hand-over's, and one per other item.
    verbs = list(AuditEntry.objects.filter(pk__gt=0).order_by("id").values_list("verb", flat=True))
    assert AuditEntry.objects.count() - audits == 8
    assert sorted(verbs[-8:]) == sorted([
        "techlead.hand_over", "manager.transfer", "document.transfer", "document.transfer",
        "improvement_project.transfer", "improvement_task.transfer", "successor.withdraw",
        "tech_session.transfer",
    ])  # fmt: skip


def test_a_refused_item_moves_nothing(org, holdings):
    before = _state()

    # Jo (IC Level 2) is ineligible: the hand-over refuses, so nothing else moves either.
    with pytest.raises(DomainError) as refused:
        holdings_transfer(actor=org.hr, person=org.lea, to=org.jo, reason="Lea leaves")

    assert refused.value.field == "to"
    assert "Jo Junior" in refused.value.message
    assert _state() == before


def test_per_item_receivers(org, holdings):
    result = holdings_transfer(
        actor=org.hr,
        person=org.lea,
        to=org.ian,
        reason="Split",
        items=[
            {"type": "document", "id": holdings.document.pk, "to": org.dana},
            {"type": "tech_session", "id": holdings.session.pk},
        ],
    )

    assert [(m["type"], m["to"]) for m in result["moved"]] == [
        ("document", org.dana.pk),
        ("tech_session", org.ian.pk),
    ]
    assert Document.objects.get(pk=holdings.document.pk).owner == org.dana
    assert Document.objects.get(pk=holdings.tool.pk).owner == org.lea


def test_dry_run_writes_nothing(org, holdings):
    before = _state()

    result = holdings_transfer(
        actor=org.hr, person=org.lea, to=org.ian, reason="Preview", dry_run=True
    )

    assert result["dry_run"] is True and result["count"] == 8
    assert _state() == before


def test_dry_run_validates_like_the_real_thing(org, holdings):
    with pytest.raises(DomainError) as refused:
        holdings_transfer(actor=org.hr, person=org.lea, to=org.jo, reason="x", dry_run=True)
    assert refused.value.field == "to"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"items": [{"type": "document", "id": 0}]}, "items"),
    ],
)
def test_bad_input_is_a_field_error(org, holdings, kwargs, field):
    with pytest.raises(DomainError) as refused:
        holdings_transfer(actor=org.hr, person=org.lea, to=org.ian, **{"reason": "r", **kwargs})
    assert refused.value.field == field


def test_an_inactive_or_identical_receiver_is_refused(org, holdings):
    gone = PersonFactory(department=org.platform, is_active=False)
    for receiver in (gone, org.lea):
        with pytest.raises(DomainError) as refused:
            holdings_transfer(actor=org.hr, person=org.lea, to=receiver, reason="r")
        assert refused.value.field == "to"


def test_only_hr_transfers(org, holdings):
    with pytest.raises(Forbidden):
        holdings_transfer(actor=org.maya.user, person=org.lea, to=org.ian, reason="r")


def test_deactivating_a_holder_is_refused_with_the_holdings(org, holdings):
    before = _state()

    with pytest.raises(HoldingsBlock) as refused:
        person_deactivate(actor=org.hr, person=org.lea)

    assert refused.value.status_code == 409
    assert len(refused.value.holdings) == 8
    assert _state() == before


def test_deactivating_with_a_receiver_transfers_first(org, holdings):
    person_deactivate(actor=org.hr, person=org.lea, transfer_to=org.ian)

    org.lea.refresh_from_db()
    assert org.lea.is_active is False
    assert person_holdings(org.lea) == []
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian


def test_deactivating_someone_who_holds_nothing_needs_no_receiver(org):
    person_deactivate(actor=org.hr, person=org.jo)
    org.jo.refresh_from_db()
    assert org.jo.is_active is False


def test_moving_the_lead_is_refused_and_allowed_with_a_receiver(org, holdings):
    with pytest.raises(HoldingsBlock) as refused:
        person_change(actor=org.hr, person=org.lea, department=org.data)
    assert [h.type for h in refused.value.holdings] == ["tech_lead"]

    person_change(actor=org.hr, person=org.lea, department=org.data, transfer_to=org.ian)

    org.lea.refresh_from_db()
    assert org.lea.department == org.data
    assert TechLeadAssignment.objects.get(department=org.platform, ended_at=None).person == org.ian
    # What she held in Platform went with the role; Data's nomination and management stay.
    assert [h.type for h in person_holdings(org.lea)] == ["manager", "successor"]


def test_moving_someone_who_does_not_lead_is_allowed(org, holdings):
    person_change(actor=org.hr, person=org.ian, department=org.data)
    org.ian.refresh_from_db()
    assert org.ian.department == org.data


def test_a_refused_receiver_of_a_change_is_an_error_on_transfer_to(org, holdings):
    before = _state()
    with pytest.raises(DomainError) as refused:
        person_deactivate(actor=org.hr, person=org.lea, transfer_to=org.jo)
    assert refused.value.field == "transfer_to"
    assert _state() == before


def test_a_transfer_costs_the_same_queries_whatever_the_number_of_documents(org, holdings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sops.services import document_create

    def cost(receiver, back):
        with CaptureQueriesContext(connection) as ctx:
            holdings_transfer(actor=org.hr, person=org.lea, to=receiver, reason="r",
                              items=[{"type": "document", "id": pk} for pk in back])  # fmt: skip
        return len(ctx)

    few = cost(org.ian, [holdings.document.pk, holdings.tool.pk])
    more = [
        document_create(actor=org.hr, title=f"Doc {n}", kind="sop", department=org.platform,
                        owner=org.lea).pk
        for n in range(20)
    ]  # fmt: skip
    assert cost(org.dana, more) == few
