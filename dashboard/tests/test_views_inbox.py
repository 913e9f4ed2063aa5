"""The inbox: the viewer's own notifications, newest first, and marking them read."""

import pytest
from django.urls import reverse

from sops.models import Notification
from sops.services import document_create
from sops.staleness import staleness_check_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def digests(org):
    """A staleness run's notifications: Lea's digest of Platform, HR's report on Data."""
    document_create(
        actor=org.hr, title="Runbook", kind="sop", department=org.platform, last_reviewed_at=None
    )
    document_create(
        actor=org.hr, title="Orphan", kind="sop", department=org.data, last_reviewed_at=None
    )
    staleness_check_run(full=True)
    return Notification.objects.all()


def test_everyone_sees_their_own_notifications_only(client, org, digests):
    client.force_login(org.lea.user)
    page = client.get(reverse("dashboard:inbox")).content.decode()
    assert "Runbook" in page and "Orphan" not in page and ">New</span>" in page
    client.force_login(org.hr)
    page = client.get(reverse("dashboard:inbox")).content.decode()
    assert "Orphan" in page and "Runbook" not in page
    client.force_login(org.ian.user)
    assert "Your inbox is empty" in client.get(reverse("dashboard:inbox")).content.decode()


def test_mark_one_read_then_all(client, org, digests):
    mine = Notification.objects.get(recipient=org.lea)
    client.force_login(org.lea.user)
    done = client.post(reverse("dashboard:inbox_read"), {"notification": mine.pk}, follow=True)
    assert "Marked 1 notification read." in done.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None
    first_read = mine.read_at
    client.post(reverse("dashboard:inbox_read"))
    mine.refresh_from_db()
    assert mine.read_at == first_read  # the first reading time is kept


def test_someone_elses_notification_is_a_404(client, org, digests):
    report = Notification.objects.get(recipient__isnull=True)
    client.force_login(org.lea.user)
    response = client.post(reverse("dashboard:inbox_read"), {"notification": report.pk})
    assert response.status_code == 404
    assert client.post(reverse("dashboard:inbox_read"), {"notification": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.read_at is None


def test_the_inbox_runs_the_same_queries_at_any_size(client, org, grow, django_assert_num_queries):
    """session, user, the viewer's person, HR group check, count, the page of
    notifications, their documents."""
    client.force_login(org.lea.user)
    for size in (10, 20):
        grow(size)
        with django_assert_num_queries(8):
            assert client.get(reverse("dashboard:inbox")).status_code == 200


def test_an_acknowledgement_reminder_links_to_the_processes_page(client, org):
    document_create(
        actor=org.hr,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.data,
        involved_departments=[org.platform, org.data],
    )
    staleness_check_run(full=True)
    client.force_login(org.ian.user)
    page = client.get(reverse("dashboard:inbox")).content.decode()
    assert "Acknowledgement reminder" in page and "Incident hand-off" in page
    assert "version 1" in page and reverse("dashboard:processes") in page
