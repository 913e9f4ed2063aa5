"""The staleness check at the size of a large company: its notifications and emails cost a
fixed number of queries per batch, not per recipient, and concurrent senders email each
notification once."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from departments.tests.factories import PersonFactory
from sops.models import Notification
from sops.services import document_create
from sops.staleness import pending_emails_send, staleness_check_run

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def owners_with_stale_documents(org, count: int, start: int) -> list:
    """`count` new owners in Platform, each with two stale documents."""
    owners = PersonFactory.create_batch(count, department=org.platform)
    for n, owner in enumerate(owners, start):
        for age in (100, 120):
            document_create(
                actor=org.hr,
                title=f"Runbook {n}-{age}",
                kind="sop",
                department=org.platform,
                owner=owner,
                last_reviewed_at=timezone.now() - age * DAY,
            )
    return owners


def test_a_check_costs_the_same_queries_for_3_owners_as_for_30(org):
    owners_with_stale_documents(org, 3, 0)
    with CaptureQueriesContext(connection) as few:
        staleness_check_run(full=True)
    many = owners_with_stale_documents(org, 30, 3)
    with CaptureQueriesContext(connection) as more:
        staleness_check_run(full=True)

    assert len(more) == len(few)
    digests = Notification.objects.filter(kind="digest", recipient__in=many)
    assert digests.count() == 30
    for digest in digests:
        assert digest.documents.count() == 2 and digest.subject.startswith("2 document(s)")
    assert len(mail.outbox) == (3 + 1) + (30 + 1)  # a digest per owner, an escalation per run


def test_a_refused_email_is_kept_for_the_next_run_and_the_others_are_sent(org):
    owners = owners_with_stale_documents(org, 3, 0)
    refused = owners[1].email
    send = mail.backends.locmem.EmailBackend.send_messages

    def refuse_one(backend, messages):
        if messages[0].to == [refused]:
            raise ConnectionError("550 mailbox unavailable")
        return send(backend, messages)

    with mock.patch.object(mail.backends.locmem.EmailBackend, "send_messages", refuse_one):
        run = staleness_check_run()

    assert "550 mailbox unavailable" in run.errors
    assert refused not in [m.to[0] for m in mail.outbox] and len(mail.outbox) == 3
    unsent = Notification.objects.get(emailed_at__isnull=True)
    assert unsent.recipient == owners[1]
    assert pending_emails_send() == (1, [])
    assert mail.outbox[-1].to == [refused]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_senders_email_each_notification_once(org):
    Notification.objects.bulk_create(
        Notification(recipient=org.lea, kind="digest", subject=f"n{i}", body="", dedup_key=f"k{i}")
        for i in range(450)
    )
    barrier, results = threading.Barrier(2), []

    def send():
        try:
            barrier.wait()
            results.append(pending_emails_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(m.subject for m in mail.outbox) == sorted(f"n{i}" for i in range(450))
    assert sum(sent for sent, _ in results) == 450 and all(e == [] for _, e in results)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
