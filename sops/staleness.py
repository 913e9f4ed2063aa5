"""The documentation-staleness check: recompute statuses in SQL, report, escalate, remind
people of processes to acknowledge, record.

`staleness_check_run` is what the Celery task and `manage.py check_staleness` call.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import chain, groupby, islice
from operator import attrgetter, itemgetter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from departments.constants import HR_GROUP
from integrations.bulk import batched, rows_insert
from integrations.events import DOCUMENT_ESCALATED, DOCUMENT_STALE
from integrations.services import events_publish

from .constants import DocumentKind, DocumentStatus
from .models import Document, Notification, StalenessRun
from .summary import summary_recompute

logger = logging.getLogger(__name__)

# Long digests list this many documents and count the rest (memory stays flat).
DIGEST_LIMIT = 100
# What a notification's lines show of a document, read as plain rows (a first run over a
# large organisation lists hundreds of thousands: no model instances).
LINE_FIELDS = ("id", "title", "status", "version", "next_review_at", "url", "department__name")
# Notifications are emailed this many at a time (one claim, one mail connection).
EMAIL_BATCH = 200
# Notifications are stored this many recipients at a time (three queries per batch).
NOTIFICATION_BATCH = 500
REMINDER_INTRO = (
    "These cross-department processes involve your department, and you have "
    "not acknowledged their current version. Read them, then acknowledge."
)
LIVE = Q(archived_at__isnull=True)


# NEW_STATUS is the SQL twin of rules.document_status (same boundaries: stale from the
# due moment, due soon from the warning window before it). The full pass is one
# statement: the new status and, in the same row write, the claims: a document now due
# or stale and not reported at that status, and one stale for longer than the escalation
# threshold and not escalated yet. SET expressions see the row's old
# values, in PostgreSQL and SQLite alike.
NEW_STATUS = """CASE
    WHEN archived_at IS NOT NULL THEN 'archived'
    WHEN next_review_at IS NULL OR next_review_at <= %(now)s THEN 'stale'
    WHEN next_review_at <= %(soon)s THEN 'due_soon'
    ELSE 'current' END"""
REPORTED = f"CASE WHEN ({NEW_STATUS}) IN ('due_soon', 'stale') THEN ({NEW_STATUS}) ELSE '' END"
ESCALATE = (
    "(archived_at IS NULL AND escalated_at IS NULL AND next_review_at <= %(escalate_before)s)"
)
# Constant SQL built from constants; every value is a bound parameter (hence the noqa
# S608 and nosec B608 of these two statements).
FULL_PASS = f"""
UPDATE sops_document SET
    status = {NEW_STATUS},
    notified_run_id = CASE WHEN ({REPORTED}) <> '' AND notified_status <> ({REPORTED})
        THEN %(run)s ELSE notified_run_id END,
    notified_status = {REPORTED},
    escalated_run_id = CASE WHEN {ESCALATE} THEN %(run)s ELSE escalated_run_id END,
    escalated_at = CASE WHEN {ESCALATE} THEN %(now)s ELSE escalated_at END
WHERE status <> ({NEW_STATUS}) OR notified_status <> ({REPORTED}) OR {ESCALATE}
"""  # noqa: S608  # nosec B608
COUNT_CHANGES = f"""
SELECT department_id, COUNT(*) FROM sops_document WHERE status <> ({NEW_STATUS})
GROUP BY department_id
"""  # noqa: S608  # nosec B608
# Each active person of an involved department, with each live process whose current
# version they have not acknowledged; ordered so one streamed pass groups them by person.
PENDING_ACKNOWLEDGEMENTS = """
SELECT p.id, d.id, d.version
FROM sops_document_involved_departments i
JOIN sops_document d ON d.id = i.document_id
JOIN departments_person p ON p.department_id = i.department_id
WHERE d.kind = %(kind)s AND d.archived_at IS NULL AND p.is_active
  AND NOT EXISTS (
    SELECT 1 FROM sops_processacknowledgement a
    WHERE a.document_id = d.id AND a.person_id = p.id AND a.version = d.version)
ORDER BY p.id, d.id
"""


def statuses_recompute(*, run: StalenessRun, now: datetime, window_days: int, full: bool) -> int:
    """Set every status that the clock has changed; return how many statuses changed. The
    summary of each department with a changed status is recomputed (sops.summary).

    A full pass rewrites, in one statement over the table, each status that differs from
    the rule (and claims the rows it makes due or stale). An incremental pass relies on
    writes having set statuses already, so only the clock can have moved them: current
    documents past their warning moment, due-soon ones past their due moment; both are
    index range scans.
    """
    soon = now + timedelta(days=window_days)
    if full:
        params = {
            "now": now,
            "soon": soon,
            "run": run.pk,
            "escalate_before": now - timedelta(days=settings.STALENESS_ESCALATION_DAYS),
        }
        with connection.cursor() as cursor:
            cursor.execute(COUNT_CHANGES, params)
            changed = dict(cursor.fetchall())
            cursor.execute(FULL_PASS, params)
        summary_recompute(changed)
        return sum(changed.values())
    to_stale = Document.objects.filter(
        LIVE, status__in=[DocumentStatus.CURRENT, DocumentStatus.DUE_SOON], next_review_at__lte=now
    )
    to_due = Document.objects.filter(
        LIVE, status=DocumentStatus.CURRENT, next_review_at__lte=soon, next_review_at__gt=now
    )
    # Locked first, so the departments read are those of the rows the UPDATEs change (a
    # concurrent move to another department waits).
    departments = set(to_stale.select_for_update().values_list("department_id", flat=True))
    departments |= set(to_due.select_for_update().values_list("department_id", flat=True))
    changes = to_stale.update(status=DocumentStatus.STALE)
    changes += to_due.update(status=DocumentStatus.DUE_SOON)
    if changes:
        summary_recompute(departments)
    return changes


def _claim_reports(run: StalenessRun) -> int:
    """Mark due/stale documents not yet reported at their status as reported by this run.

    The WHERE makes the claim: a concurrent run waits on the row locks, then finds the
    rows already claimed and reports nothing.
    """
    return (
        Document.objects.filter(LIVE, status__in=[DocumentStatus.DUE_SOON, DocumentStatus.STALE])
        .exclude(notified_status=F("status"))
        .update(notified_status=F("status"), notified_run=run)
    )


def _claim_escalations(run: StalenessRun, now: datetime, threshold_days: int) -> int:
    return Document.objects.filter(
        LIVE,
        status=DocumentStatus.STALE,
        escalated_at__isnull=True,
        next_review_at__lte=now - timedelta(days=threshold_days),
    ).update(escalated_at=now, escalated_run=run)


def _grouped(queryset: QuerySet[Document], key: str | None):
    """(key value, its first DIGEST_LIMIT documents, its total) per group of `queryset` by
    `key` (None: one group of them all).

    One streamed query ordered by the key: memory holds a chunk of rows and one group's
    listed documents, however many documents and recipients the run has.
    """
    order = [key] if key else []
    documents = (
        queryset.order_by(*order, F("next_review_at").asc(nulls_first=True), "id")
        .values_list(*LINE_FIELDS, *order, named=True)
        .iterator(chunk_size=2000)
    )
    for value, group in groupby(documents, key=attrgetter(key) if key else lambda d: None):
        yield value, *_head_and_count(group, DIGEST_LIMIT)


def _head_and_count(items: Iterator, size: int) -> tuple[list, int]:
    """The first `size` items, and how many there are in all (the rest is only counted)."""
    head = list(islice(items, size))
    return head, len(head) + sum(1 for _ in items)


def _notifications_store(*, run: StalenessRun, kind: str, batch: list) -> int:
    """Store a batch of (dedup key, recipient id, subject, body, listed documents, total)
    in three queries, whatever its size; return how many this run stored (a key already
    stored, by an earlier or a concurrent run, is skipped by the insert)."""
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                subject=subject,
                body=body,
                run=run,
                dedup_key=key,
                more_documents=total - len(documents),
            )
            for key, recipient_id, subject, body, documents, total in batch
        ],
        ignore_conflicts=True,
    )
    listed = {key: documents for key, _, _, _, documents, _ in batch}
    stored = dict(
        Notification.objects.filter(run=run, dedup_key__in=list(listed)).values_list(
            "dedup_key", "id"
        )
    )
    rows_insert(
        Notification.documents.through,
        ("notification_id", "document_id"),
        ((pk, d.id) for key, pk in stored.items() for d in listed[key]),
    )
    return len(stored)


def _batched_store(*, run: StalenessRun, kind: str, notifications: Iterator[tuple]) -> int:
    """Store `notifications` (as _notifications_store takes them) NOTIFICATION_BATCH at a
    time: a fixed number of queries per batch, memory bounded by one batch."""
    stored = 0
    for batch in batched(notifications, NOTIFICATION_BATCH):
        stored += _notifications_store(run=run, kind=kind, batch=list(batch))
    return stored


def _review_line(d) -> str:
    due = f"due {d.next_review_at:%Y-%m-%d}" if d.next_review_at else "never reviewed"
    status = DocumentStatus(d.status).label
    return f"- [{status}] {d.title} ({d.department__name}, {due}) {d.url}"


def _process_line(d) -> str:
    return f"- {d.title}, version {d.version} ({d.department__name}) {d.url}"


def digest_body(documents: list, total: int, intro: str, line: Callable = _review_line) -> str:
    """A notification's text: `intro`, a line per listed document (a LINE_FIELDS row),
    and how many more there are."""
    lines = [intro, ""]
    lines.extend(line(d) for d in documents)
    if total > len(documents):
        lines.append(f"… and {total - len(documents)} more.")
    return "\n".join(lines)


# Per kind of notification of claimed documents: its dedup key, subject and intro, formatted
# with the recipient's id, the run's id, the total and the escalation delay in days.
CLAIM_MESSAGES = {
    Notification.Kind.DIGEST: (
        "digest:{recipient}:{run}",
        "{total} document(s) you own need a review",
        "These documents became due soon or stale. Review them, or retire them.",
    ),
    Notification.Kind.ESCALATION: (
        "escalation:{recipient}:{run}",
        "{total} document(s) in your departments are long overdue",
        "These documents have been stale for more than {days} days.",
    ),
    Notification.Kind.HR_REPORT: (
        "hr:{run}",
        "{total} due or stale document(s) have nobody to act on them",
        "These documents have no active owner, or no active manager to escalate to.",
    ),
}


def _notify(*, run, kind, claimed: QuerySet[Document], recipient: str | None) -> int:
    """One notification of `kind` per recipient (`recipient`, a field of the `claimed`
    documents), or one to HR of them all (`recipient` None), listing the first documents
    and counting the rest; return how many this run stored."""
    key, subject, intro = CLAIM_MESSAGES[kind]
    intro = intro.format(days=settings.STALENESS_ESCALATION_DAYS)
    notifications = (
        (
            key.format(recipient=value, run=run.pk),
            value,
            subject.format(total=total),
            digest_body(documents, total, intro),
            documents,
            total,
        )
        for value, documents, total in _grouped(claimed, recipient)
    )
    return _batched_store(run=run, kind=kind, notifications=notifications)


def notifications_create(*, run: StalenessRun) -> int:
    """1. owners' digests of what this run claimed, 2. escalations to the managers of
    documents claimed for escalation, 3. one HR report of claimed documents whose owner
    is missing or inactive, or whose department has no active manager to escalate to."""
    claimed = Document.objects.filter(notified_run=run).select_related("department", "owner")
    owned = claimed.filter(owner__isnull=False, owner__is_active=True)
    sent = _notify(run=run, kind=Notification.Kind.DIGEST, claimed=owned, recipient="owner_id")
    escalated = Document.objects.filter(escalated_run=run).select_related("department", "owner")
    managed = escalated.filter(department__manager__is_active=True).annotate(
        manager_id=F("department__manager_id")
    )
    sent += _notify(
        run=run, kind=Notification.Kind.ESCALATION, claimed=managed, recipient="manager_id"
    )
    orphans = claimed.filter(Q(owner__isnull=True) | Q(owner__is_active=False)) | escalated.exclude(
        department__manager__is_active=True
    )
    sent += _notify(run=run, kind=Notification.Kind.HR_REPORT, claimed=orphans, recipient=None)
    return sent


# A document as the document.* webhook events show it, read as plain values (no model
# instances: a run may publish many).
EVENT_VALUES = (
    "id",
    "title",
    "kind",
    "status",
    "url",
    "last_reviewed_at",
    "next_review_at",
    "department_id",
    "department__name",
    "department__slug",
    "owner_id",
    "owner__employee_id",
    "owner__full_name",
    "owner__email",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _document_events(documents: QuerySet[Document]) -> Iterator[dict]:
    for row in documents.order_by("id").values(*EVENT_VALUES).iterator(chunk_size=2000):
        owner = None
        if row["owner_id"] is not None:
            owner = {
                "id": row["owner_id"],
                "employee_id": row["owner__employee_id"],
                "full_name": row["owner__full_name"],
                "email": row["owner__email"],
            }
        yield {
            "document": {
                "id": row["id"],
                "title": row["title"],
                "kind": row["kind"],
                "status": row["status"],
                "url": row["url"],
                "last_reviewed_at": _iso(row["last_reviewed_at"]),
                "next_review_at": _iso(row["next_review_at"]),
            },
            "department": {
                "id": row["department_id"],
                "name": row["department__name"],
                "slug": row["department__slug"],
            },
            "owner": owner,
        }


def document_events_publish(*, run: StalenessRun, now: datetime) -> tuple[int, int]:
    """The webhook events of what this run claimed: `document.stale` for each document it
    reported stale, `document.escalated` for each it escalated, so once per document per
    status change (the claims are made once). Set-based: one query per event when no
    webhook subscribes; otherwise the documents are streamed and the deliveries inserted in
    batches. Returns (stale, escalated) deliveries written."""
    stale = Document.objects.filter(notified_run=run, notified_status=DocumentStatus.STALE)
    escalated = Document.objects.filter(escalated_run=run)
    return (
        events_publish(DOCUMENT_STALE, _document_events(stale), occurred_at=now),
        events_publish(DOCUMENT_ESCALATED, _document_events(escalated), occurred_at=now),
    )


def _reminder_period(now: datetime) -> int:
    days = getattr(settings, "ACKNOWLEDGEMENT_REMINDER_DAYS", 7)
    return int(now.timestamp() // 86400) // days


def _pending_acknowledgements() -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """(person id, its pending (process id, version) pairs by process id), one person at a
    time from one streamed query: memory holds a chunk of rows, not every pair."""
    with connection.cursor() as cursor:
        cursor.execute(PENDING_ACKNOWLEDGEMENTS, {"kind": DocumentKind.CROSS_DEPARTMENT_PROCESS})
        rows = chain.from_iterable(iter(lambda: cursor.fetchmany(2000), []))
        for person_id, pairs in groupby(rows, key=itemgetter(0)):
            yield person_id, [(document_id, version) for _, document_id, version in pairs]


def _reminders(
    run: StalenessRun, pending: Iterator[tuple[int, list[tuple[int, int]]]], period: int
) -> Iterator[tuple]:
    """The reminders of `pending` (person id, (process id, version) pairs), as
    _notifications_store takes them; the listed processes are read a batch of people at a
    time (one query each)."""
    for batch in batched(pending, NOTIFICATION_BATCH):
        listed_ids = {d for _, pairs in batch for d, _ in pairs[:DIGEST_LIMIT]}
        processes = {
            d.id: d
            for d in Document.objects.filter(id__in=listed_ids).values_list(
                *LINE_FIELDS, named=True
            )
        }
        for person_id, pairs in batch:
            text = ",".join(f"{d}:{v}" for d, v in pairs).encode()
            digest = hashlib.sha1(text, usedforsecurity=False).hexdigest()[:16]
            # A process deleted since the pending query is counted, not listed.
            listed = [processes[d] for d, _ in pairs[:DIGEST_LIMIT] if d in processes]
            yield (
                f"ack:{person_id}:{period}:{digest}",
                person_id,
                f"{len(pairs)} process(es) to acknowledge",
                digest_body(listed, len(pairs), REMINDER_INTRO, line=_process_line),
                listed,
                len(pairs),
            )


def acknowledgement_reminders_create(*, run: StalenessRun, now: datetime) -> int:
    """One reminder to each active person with processes to acknowledge, listing them.

    The key is the person, the reminder period and a hash of the pending (process,
    version) pairs: a re-run or a concurrent run stores nothing new; a new process or a
    material version is a new set, reminded at once; the same set is reminded once per
    period. Work in Python is per batch of people, a fixed number of queries each.
    """
    reminders = _reminders(run, _pending_acknowledgements(), _reminder_period(now))
    return _batched_store(run=run, kind=Notification.Kind.ACKNOWLEDGEMENT, notifications=reminders)


def _reminders_due(*, full: bool, now: datetime) -> bool:
    """Whether this run looks for pending acknowledgements: a full run does; another only
    when a reminder period has begun, or a process changed (new, new version, archived,
    other departments), since the last run that looked. Acknowledging only shrinks what
    is pending, so it asks for no look. Processes are few and filtered on the kind index.
    """
    if full:
        return True
    looked = (
        StalenessRun.objects.filter(reminders_checked=True)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    if looked is None or _reminder_period(looked) != _reminder_period(now):
        return True
    return Document.objects.filter(
        kind=DocumentKind.CROSS_DEPARTMENT_PROCESS, updated_at__gt=looked
    ).exists()


def hr_emails() -> list[str]:
    users = get_user_model().objects.filter(Q(groups__name=HR_GROUP) | Q(is_superuser=True))
    return sorted({e for e in users.filter(is_active=True).values_list("email", flat=True) if e})


def _emails_claim(after: int) -> list[Notification]:
    """Claim up to EMAIL_BATCH notifications not emailed yet, with ids above `after`
    (marked emailed before the send): locked and skipped by a concurrent sender on
    PostgreSQL, so no two senders claim the same one."""
    with transaction.atomic():
        batch = list(
            Notification.objects.filter(emailed_at__isnull=True, pk__gt=after)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .order_by("pk")[:EMAIL_BATCH]
        )
        Notification.objects.filter(pk__in=[n.pk for n in batch]).update(emailed_at=timezone.now())
    return batch


def pending_emails_send() -> tuple[int, list[str]]:
    """Email every stored notification not emailed yet (this run's, and any a crashed run
    left behind), a claimed batch at a time over one mail connection. A failed send is
    released for the next run; a batch that fails whole (the mail server is down) ends
    the sending, the rest waits for the next run too."""
    sent, errors, after = 0, [], 0
    hr = None
    # Opened by the first send: a mail server that is down fails each send, not the run.
    mailer = get_connection()
    try:
        # Claimed in id order, each batch after the last: a released one waits for the
        # next run instead of being claimed again by this one.
        while batch := _emails_claim(after):
            after = batch[-1].pk
            released = []
            for notification in batch:
                if notification.recipient_id:
                    to = [notification.recipient.email] if notification.recipient.email else []
                else:
                    to = hr = hr if hr is not None else hr_emails()
                try:
                    if to:
                        EmailMessage(
                            notification.subject, notification.body, None, to, connection=mailer
                        ).send()
                    sent += 1
                except Exception as exc:  # noqa: BLE001 - any transport error: retry next run
                    released.append(notification.pk)
                    errors.append(f"email {notification.pk}: {exc}")
                    logger.warning("Could not email notification %s: %s", notification.pk, exc)
            Notification.objects.filter(pk__in=released).update(emailed_at=None)
            if len(released) == len(batch):
                break
    finally:
        mailer.close()
    return sent, errors


def staleness_check_run(
    *, now: datetime | None = None, full: bool | None = None, progress: Callable | None = None
) -> StalenessRun:
    """Run the check once.

    1. Record the run (so a crash leaves a trace with its error).
    2. In one transaction: recompute statuses, claim what to report and escalate, store
       the notifications and the acknowledgement reminders. A worker killed here leaves
       nothing: the next run redoes it.
    3. After commit, email the pending notifications; record counts and duration.
    """
    say = progress or (lambda message: None)
    now = now or timezone.now()
    window = settings.STALENESS_WARNING_DAYS
    last = StalenessRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    if full is None:
        full = last is None or last.window_days != window
    started = time.monotonic()
    run = StalenessRun.objects.create(started_at=now, full_scan=full, window_days=window)
    try:
        with transaction.atomic():
            say(f"recomputing statuses ({'full' if full else 'incremental'})")
            changes = statuses_recompute(run=run, now=now, window_days=window, full=full)
            say("claiming documents to report and escalate")
            claimed = _claim_reports(run)
            claimed += _claim_escalations(run, now, settings.STALENESS_ESCALATION_DAYS)
            say("storing notifications")
            # A full pass claims inside its UPDATE; an incremental one that claimed
            # nothing has nothing to report (and skips scanning for it).
            stored = notifications_create(run=run) if full or claimed else 0
            if claimed or full:
                say("publishing webhook events")
                document_events_publish(run=run, now=now)
            run.reminders_checked = _reminders_due(full=full, now=now)
            if run.reminders_checked:
                say("reminding people of processes to acknowledge")
                run.acknowledgement_reminders = acknowledgement_reminders_create(run=run, now=now)
        say("sending emails")
        emailed, errors = pending_emails_send()
    except Exception as exc:
        StalenessRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            duration_ms=int((time.monotonic() - started) * 1000),
            errors=f"{type(exc).__name__}: {exc}",
        )
        raise
    run.finished_at = timezone.now()
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.documents_checked = Document.objects.count() if full else changes + claimed
    run.status_changes = changes
    run.notifications_sent = stored + run.acknowledgement_reminders
    run.errors = "\n".join(errors)
    run.save()
    logger.info(
        "Staleness check: %s changes, %s notifications (%s emailed)",
        changes,
        run.notifications_sent,
        emailed,
    )
    return run
