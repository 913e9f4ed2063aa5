"""Two transfers of the same holdings at once, on a real PostgreSQL: one moves them, the
other is a conflict that moves nothing."""

import threading

import pytest
from django.db import connection

from continuity.selectors import person_holdings
from continuity.services import holdings_transfer
from departments.errors import Conflict
from departments.models import AuditEntry
from departments.tests.factories import PersonFactory
from sops.services import document_create


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transfers_exactly_one_moves(org):
    for n in range(3):
        document_create(
            actor=org.hr, title=f"Runbook {n}", kind="sop", department=org.platform, owner=org.lea
        )
    receivers = [PersonFactory(department=org.platform, level=4) for _ in range(4)]
    barrier = threading.Barrier(len(receivers))
    outcomes: list[str] = []
    audits = AuditEntry.objects.count()

    def transfer(receiver):
        try:
            barrier.wait()
            holdings_transfer(actor=org.hr, person=org.lea, to=receiver, reason="race")
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=transfer, args=(r,)) for r in receivers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 3 + ["won"]
    assert person_holdings(org.lea) == []
    winner = next(r for r in receivers if person_holdings(r))
    assert [h.type for h in person_holdings(winner)] == ["tech_lead"] + ["document"] * 3
    # The role's hand-over and one entry per document: nothing from the losers.
    assert AuditEntry.objects.count() == audits + 4
