"""A realistic, deterministic demo organisation, written as its history happened.

Same seed, same organisation: names, ladder positions, leads, documents and their ages
are drawn from random.Random(SEED), and dates are relative to the moment it runs.

Every change goes through the services (departments, techleads, sops) with the demo's
`hr` login as the actor, so the audit trail, the review history and the acknowledgements
read like two years of use. The services stamp a change with "now" (no client may
backdate an assignment), so each past event runs with this process's clock set to its
moment by time-machine's `travel(moment, tick=False)`, for that block only. The one
write beside the services is the documents' derived status, brought to today at the
end as the daily staleness check would have done.

Running it again on a database that already holds the demo organisation only resets
the demo logins' passwords (nothing is duplicated).
"""

import random
import secrets
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dashboard.health import health_scores_refresh
from dashboard.models import DailySnapshot
from dashboard.services import snapshot_record, snapshots_write
from dashboard.trends import WEEKS as TREND_WEEKS
from departments.constants import HR_GROUP
from departments.models import AuditEntry, Department, Person, Track
from departments.services import (
    department_create,
    department_update,
    people_upsert,
    person_create,
    person_update,
)
from integrations.events import EVENTS
from integrations.models import Webhook
from integrations.services import webhook_secret_generate
from sops.constants import DocumentKind, DocumentStatus, ReviewOutcome
from sops.models import Document, DocumentReview, ProcessAcknowledgement
from sops.rules import document_status
from sops.selectors import warning_window_days
from sops.services import (
    document_create,
    document_refresh_status,
    document_review_record,
    process_acknowledge,
)
from sops.summary import summary_recompute
from techleads.constants import Readiness, SessionStatus, TaskStatus, VerdictChoice
from techleads.models import (
    Allocation,
    EligibilityRule,
    ImprovementTask,
    Incident,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
)
from techleads.rules import eligibility_evaluate
from techleads.services import (
    allocation_set,
    assignment_create,
    assignment_end,
    assignment_hand_over,
    improvement_project_create,
    improvement_task_create,
    improvement_task_update,
    incident_record,
    incident_update,
    successor_nominate,
    tech_session_record,
    tech_session_schedule,
)

SEED = 20261125

# name, slug, Confluence space, lead plan
#   "eligible": an eligible lead; "transition": a Manager L2 S3+ lead (with/without a
#   ready successor); "override": an ineligible lead kept by HR override; None: no lead.
DEPARTMENTS = [
    ("Platform", "platform", "PLAT", "eligible"),
    ("Payments", "payments", "PAY", "transition-ready"),
    ("Data Engineering", "data-engineering", "DATA", "eligible"),
    ("Mobile", "mobile", "MOB", "transition-risk"),
    ("Web", "web", "WEB", "eligible"),
    ("Security", "security", "SEC", "eligible"),
    ("Site Reliability", "site-reliability", "SRE", "transition-risk"),
    ("Quality Assurance", "quality-assurance", "QA", "override"),
    ("Support Engineering", "support-engineering", "SUP", "eligible"),
    ("IT Operations", "it-operations", "IT", None),
    ("Analytics", "analytics", "ANA", None),
    ("Design Systems", "design-systems", "DS", None),
]
FIRST = (
    "Ada Alan Amara Ana Arjun Beatriz Bilal Camille Carlos Chen Chiara Dana Daniel Dmitri "
    "Elena Emeka Emma Fatima Felix Freya Gabriel Hana Hiro Ines Isaac Ivana Jamal Jana Jonas "
    "Julia Kai Karin Keanu Lars Layla Leo Lina Lucas Maya Mateo Mei Nadia Nico Noor Olga Omar "
    "Paula Priya Rafael Rina Sami Sara Sofia Tariq Tomás Uma Viktor Wen Yara Yusuf Zoe"
).split()
LAST = (
    "Abara Andersen Bauer Becker Costa Dubois Eriksen Fischer García Haddad Hansen Ito "
    "Jensen Kim Kowalski Larsen Lee Lindqvist Martin Moreau Müller Nakamura Novak Okafor "
    "Olsen Park Patel Pereira Petrov Rossi Santos Schmidt Silva Singh Tanaka Wagner Weber "
    "Wong Yilmaz Zhang"
).split()
DOC_TITLES = {
    DocumentKind.SOP: ["Release procedure", "On-call handbook", "Access requests", "Backups"],
    DocumentKind.BEST_PRACTICE: ["Code review guidelines", "Logging standards", "API design"],
    DocumentKind.PLAYBOOK: ["Incident response playbook", "Capacity spike playbook"],
    DocumentKind.KNOWLEDGE_HUB: ["Team onboarding", "Architecture overview", "Glossary"],
    DocumentKind.TOOL: ["CI pipelines", "Feature flag service", "Observability stack"],
}
PROCESSES = [
    ("Incident escalation across teams", ["platform", "site-reliability", "support-engineering"]),
    ("Security review of new services", ["security", "platform", "web", "mobile"]),
    ("Data access requests", ["data-engineering", "analytics", "security"]),
    ("Release train coordination", ["web", "mobile", "quality-assurance"]),
]
# Days since last review, chosen so every status appears: current, due soon, stale.
REVIEW_AGES = [5, 20, 40, 60, 80, 85, 100, 150, 200]
HELD_SESSIONS = ((2, "How our deploys work"), (9, "Reading the dashboards"))
TASKS = (
    ("Automate release notes", TaskStatus.DONE),
    ("Remove flaky tests", TaskStatus.IN_PROGRESS),
    ("Document runbooks", TaskStatus.TODO),
    ("Consolidate dashboards", TaskStatus.TODO),
)
# How a task got to its status: (days ago, status) moves after it was delegated.
TASK_MOVES = {
    TaskStatus.DONE: ((20, TaskStatus.IN_PROGRESS), (3, TaskStatus.DONE)),
    TaskStatus.IN_PROGRESS: ((10, TaskStatus.IN_PROGRESS),),
    TaskStatus.TODO: (),
}
# The timeline, in days before the moment the command runs.
FOUNDED = 800  # departments, the first HRIS import; managers are named the next day
CATALOGUED = 790  # the documentation catalogue is written, before any Tech Lead
FIRST_LEADS = 720  # the founding Tech Leads
FOUNDERS_LEFT = 400  # founding leads of the departments that have had none since
PROJECTS_STARTED = 45  # each department's improvement project
NOMINATED = 60  # successor candidates
PROMOTED = 20  # leads promoted into transition (Manager Level 2 Step 4)
RETIRED = 10  # one tool of each department is retired
DEMO_LOGINS = {
    "hr": "HR (sees and changes everything)",
    "manager": "Manager of Platform",
    "techlead": "Tech Lead of Platform",
    "employee": "Engineer in Platform",
}


class Command(BaseCommand):
    help = "Load a realistic, deterministic demo organisation and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo login (default: a new random one, printed).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        password = options["password"] or secrets.token_urlsafe(9)
        created = not Department.objects.filter(slug="platform").exists()
        if created:
            with transaction.atomic():
                DemoBuilder(self.stdout, random.Random(SEED)).build()  # noqa: S311 (demo data)
        else:
            self.stdout.write("The demo organisation is already loaded; resetting the logins.")
        with transaction.atomic():
            logins_reset(password)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for username, what in DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<10} {what}")
        verb = "created" if created else "kept"
        self.stdout.write(
            f"seed_demo: {verb} {Department.objects.count()} departments, "
            f"{Person.objects.count()} people, "
            f"{TechLeadAssignment.objects.filter(ended_at=None).count()} active Tech Leads, "
            f"{Document.objects.count()} documents, {AuditEntry.objects.count()} audit entries "
            f"in {time.monotonic() - started:.1f}s, 0 errors"
        )


def hr_login():
    """The demo's HR login, the actor of everything the demo organisation went through."""
    hr, _ = get_user_model().objects.get_or_create(
        username="hr",
        defaults={
            "email": "hr@example.com",
            "first_name": "Helen",
            "last_name": "Resources",
            "is_staff": True,
        },
    )
    hr.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return hr


def logins_reset(password: str) -> None:
    """Set every demo login's password; link the Platform logins to their people."""
    users = get_user_model()
    hr = hr_login()
    hr.is_staff = True
    hr.set_password(password)
    hr.save()
    platform = Department.objects.get(slug="platform")
    lead = TechLeadAssignment.objects.get(department=platform, ended_at=None).person
    employee = (
        Person.objects.filter(department=platform, track=Track.IC, is_active=True)
        .exclude(pk__in=[lead.pk, platform.manager_id])
        .order_by("employee_id")
        .first()
    )
    for username, person in (
        ("manager", platform.manager),
        ("techlead", lead),
        ("employee", employee),
    ):
        user, _ = users.objects.get_or_create(username=username, defaults={"email": person.email})
        user.set_password(password)
        user.save()
        login_link(actor=hr, user=user, person=person)


def login_link(*, actor, user, person: Person) -> None:
    """Give `person` the login `user` (taking it from anyone else), as HR does in the admin."""
    for other in Person.objects.filter(user=user).exclude(pk=person.pk):
        person_update(actor=actor, person=other, user=None)
    if person.user_id != user.pk:
        person_update(actor=actor, person=person, user=user)


def ascii_name(name: str) -> str:
    """García -> garcia: email local parts are ASCII."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


@dataclass
class LeadPlan:
    """Who leads a department and since when, drawn before anything of it is written."""

    department: Department
    kind: str | None
    founder: Person | None  # the founding lead, who hands over or leaves
    lead: Person | None = None
    reason: str = ""
    override: str = ""
    started: datetime | None = None
    candidates: list[Person] = field(default_factory=list)


class DemoBuilder:
    """Writes the demo organisation's history, stage by stage, one progress line each."""

    def __init__(self, out, rng: random.Random):
        self.out = out
        self.rng = rng
        self.now = timezone.now()
        self.serial = 0
        self.members: dict[int, list[Person]] = {}
        self.departments: list[tuple[Department, str | None]] = []
        with self.at(self.day(FOUNDED)):
            self.hr = hr_login()

    def build(self) -> None:
        """1. the organisation, 2. who will lead (drawn; the leads it hires), 3. the
        documentation, written before any lead and reviewed since, 4. the leads' history,
        5. the role's work, 6. the documents' statuses as of today, 7. twelve weeks of trends."""
        self.stage("organisation", self.organisation)
        plans = [self.lead_plan(department, kind) for department, kind in self.departments]
        self.stage("documentation", lambda: self.documentation(plans))
        self.stage("Tech Leads", lambda: self.leads(plans))
        self.stage("the role's work", lambda: self.work(plans))
        self.stage("statuses as of today", self.statuses_today)
        self.stage("trends", self.trends)
        # The ranking the overview picks its risks and lowest scores by (beat refreshes it).
        self.stage("health ranking", self.ranking)
        self.webhook()  # one row: no progress line of its own

    def stage(self, name: str, run) -> None:
        started = time.monotonic()
        summary = run()
        self.out.write(f"  … {name}: {summary} ({time.monotonic() - started:.1f}s)")

    def day(self, days_ago: int, hour: int = 10) -> datetime:
        """`days_ago` days before today (negative: after), at `hour` o'clock local time."""
        moment = timezone.localtime(self.now) - timedelta(days=days_ago)
        return moment.replace(hour=hour, minute=0, second=0, microsecond=0)

    def ago(self, *, days: int = 0, hours: int = 0) -> datetime:
        return self.now - timedelta(days=days, hours=hours)

    def at(self, moment: datetime):
        """Run the block with the clock stopped at `moment`, never later than today."""
        return time_machine.travel(min(moment, self.now), tick=False)

    def webhook(self) -> None:
        """One subscription to every event, inactive: the demo never calls out. Written
        directly, not through webhook_create, which looks the host up (the demo loads
        offline)."""
        Webhook.objects.create(
            url="https://hooks.example.com/techleads",
            events=list(EVENTS),
            secret=webhook_secret_generate(),
            is_active=False,
        )

    # 1. The organisation ---------------------------------------------------------------

    def organisation(self) -> str:
        with self.at(self.day(FOUNDED)):
            departments = [
                department_create(
                    actor=self.hr,
                    name=name,
                    slug=slug,
                    confluence_space=space,
                    knowledge_hub_url=f"https://hub.example.com/{slug}",
                )
                for name, slug, space, _ in DEPARTMENTS
            ]
            rows, leavers = self.people_rows(departments)
            people_upsert(actor=self.hr, rows=rows)
        for person in Person.objects.select_related("department").order_by("employee_id"):
            self.members.setdefault(person.department_id, []).append(person)
        with self.at(self.day(FOUNDED - 1)):
            departments = [
                department_update(actor=self.hr, department=d, manager=self.members[d.pk][0])
                for d in departments
            ]
        self.departments = [(d, row[3]) for d, row in zip(departments, DEPARTMENTS, strict=True)]
        self.leave(leavers)
        return f"{len(departments)} departments, {len(rows)} people, {len(leavers)} have left"

    def people_rows(self, departments: list[Department]) -> tuple[list[dict], set[str]]:
        """The first HRIS import's rows (everyone active then), and who has left since."""
        rows, leavers = [], set()
        for department, (*_, kind) in zip(departments, DEPARTMENTS, strict=True):
            manager_level = 3 if kind == "transition-risk" else self.rng.choice([2, 3])
            rows.append(self.person_row(department, Track.MANAGER, manager_level, 2))
            for _ in range(self.rng.randint(20, 30)):
                if self.rng.random() < 0.12:
                    step = self.rng.randint(1, 3)
                    rows.append(self.person_row(department, Track.MANAGER, 1, step))
                    continue
                level = self.rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 4, 2, 1])[0]
                step = self.rng.randint(1, 4)
                stays = self.rng.random() > 0.04
                rows.append(self.person_row(department, Track.IC, level, step))
                if not stays:
                    leavers.add(rows[-1]["employee_id"])
        return rows, leavers

    def person_row(self, department: Department, track: str, level: int, step: int) -> dict:
        self.serial += 1
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        return {
            "employee_id": f"DEMO-{self.serial:04d}",
            "full_name": f"{first} {last}",
            "email": f"{ascii_name(first)}.{ascii_name(last)}.{self.serial}@example.com",
            "department": department.slug,
            "track": track,
            "level": level,
            "step": step,
        }

    def leave(self, leavers: set[str]) -> None:
        """Deactivate the leavers, each on their own day of the last twenty months."""
        people = [p for team in self.members.values() for p in team if p.employee_id in leavers]
        for index, person in enumerate(sorted(people, key=lambda p: p.employee_id)):
            with self.at(self.day(30 + (index * 97) % 570)):
                person_update(actor=self.hr, person=person, is_active=False)
            person.is_active = False

    def active_ics(self, department, min_level=1, max_level=9) -> list[Person]:
        return [
            p
            for p in self.members[department.pk][1:]
            if p.is_active and p.track == Track.IC and min_level <= p.level <= max_level
        ]

    # 2. Who will lead ------------------------------------------------------------------

    def lead_plan(self, department: Department, kind: str | None) -> LeadPlan:
        seniors = self.active_ics(department, min_level=3)
        plan = LeadPlan(department, kind, founder=seniors[1] if len(seniors) >= 2 else None)
        if kind is None:
            return plan
        if kind.startswith("transition"):
            plan.lead = self.hire_manager(department)
            plan.reason = "Built the department's processes"
        elif kind == "override":
            plan.lead = self.active_ics(department, max_level=2)[0]
            plan.reason = "Only person who knows the test infrastructure"
            plan.override = "No eligible candidate yet; HR review in six months"
        else:
            plan.lead = seniors[0]
            plan.reason = "Subject matter expert on the department's tools"
        plan.started = self.day(self.rng.randint(30, 380))
        plan.candidates = [p for p in seniors if p.pk != plan.lead.pk][:2]
        return plan

    def hire_manager(self, department: Department) -> Person:
        """A Manager Level 2 Step 2 (eligible when assigned; promoted into transition)."""
        row = self.person_row(department, Track.MANAGER, 2, 2)
        with self.at(self.day(FOUNDED - 2)):
            person = person_create(actor=self.hr, **{**row, "department": department})
        self.members[department.pk].append(person)
        return person

    # 3. Documentation ------------------------------------------------------------------

    def documentation(self, plans: list[LeadPlan]) -> str:
        for plan in plans:
            self.documents(plan.department, plan.lead)
        self.processes({plan.department.slug: plan.lead for plan in plans})
        self.orphaned_document()
        return (
            f"{Document.objects.count()} documents, {DocumentReview.objects.count()} reviews, "
            f"{ProcessAcknowledgement.objects.count()} acknowledgements"
        )

    def documents(self, department: Department, owner: Person | None) -> None:
        """Catalogued before the department had a Tech Lead (so `owner=None` stays None),
        reviewed on their own days since; the last one (a tool) is retired."""
        drafts = []
        for kind, titles in DOC_TITLES.items():
            for title in titles:
                age = self.rng.choice(REVIEW_AGES)
                drafts.append((kind, title, age, owner if self.rng.random() > 0.1 else None))
        with self.at(self.day(CATALOGUED)):
            documents = [
                document_create(
                    actor=self.hr,
                    title=f"{department.name}: {title}",
                    kind=kind,
                    department=department,
                    owner=holder,
                    url=f"https://confluence.example.com/{department.confluence_space}/"
                    f"{title.lower().replace(' ', '-')}",
                    description="Maintained by the Tech Lead" if kind == DocumentKind.TOOL else "",
                    review_interval_days=180 if kind == DocumentKind.BEST_PRACTICE else 90,
                )
                for kind, title, _, holder in drafts
            ]
        for index, (document, (*_, age, _)) in enumerate(zip(documents, drafts, strict=True)):
            if document is documents[-1] and age <= RETIRED:
                continue  # retired before that day, so no later review
            outcome = ReviewOutcome.UPDATED if index % 3 == 0 else ReviewOutcome.CONFIRMED
            self.review(document, self.day(age, hour=9 + index % 7), outcome)
        self.review(documents[-1], self.day(RETIRED), ReviewOutcome.RETIRED)

    def orphaned_document(self) -> None:
        """A page still owned by someone who has left (data from before the no-orphans
        guard): what the orphans report and the transfer page are for."""
        leaver = (
            Person.objects.filter(is_active=False, department__isnull=False)
            .select_related("department")
            .order_by("employee_id")
            .first()
        )
        if leaver is None:
            return
        with self.at(self.day(CATALOGUED)):
            notes = document_create(
                actor=self.hr,
                title=f"{leaver.department.name}: {leaver.full_name}'s on-call notes",
                kind=DocumentKind.KNOWLEDGE_HUB,
                department=leaver.department,
                owner=leaver,
                url=f"https://confluence.example.com/{leaver.department.confluence_space}/"
                "on-call-notes",
                review_interval_days=90,
            )
        # Last reviewed long ago: nobody active looks after it, so it went stale.
        self.review(notes, self.day(200), ReviewOutcome.CONFIRMED)

    def review(self, document: Document, moment: datetime, outcome: str) -> None:
        with self.at(moment):
            document_review_record(
                document=document,
                actor=self.hr,
                outcome=outcome,
                notes="No longer used"
                if outcome == ReviewOutcome.RETIRED
                else "Checked against the current setup",
            )

    def processes(self, leads: dict[str, Person | None]) -> None:
        """Cross-department processes; about 60% of their people acknowledged them soon
        after the last review."""
        by_slug = {department.slug: department for department, _ in self.departments}
        for title, slugs in PROCESSES:
            age = self.rng.choice([30, 120, 190])
            with self.at(self.day(CATALOGUED)):
                document = document_create(
                    actor=self.hr,
                    title=title,
                    kind=DocumentKind.CROSS_DEPARTMENT_PROCESS,
                    department=by_slug[slugs[0]],
                    owner=leads[slugs[0]],
                    url=f"https://confluence.example.com/PROC/{slugs[0]}",
                    review_interval_days=180,
                    involved_departments=[by_slug[s] for s in slugs],
                )
            self.review(document, self.day(age), ReviewOutcome.CONFIRMED)
            readers = [p for s in slugs for p in self.members[by_slug[s].pk] if p.is_active]
            with self.at(self.day(age - 2)):
                for person in readers:
                    if self.rng.random() < 0.6:
                        process_acknowledge(document=document, person=person)

    # 4. The leads' history -------------------------------------------------------------

    def leads(self, plans: list[LeadPlan]) -> str:
        for plan in plans:
            self.lead_history(plan)
        self.succession_readiness({plan.department.slug: plan for plan in plans})
        active = TechLeadAssignment.objects.filter(ended_at=None)
        return (
            f"{active.count()} active ({active.exclude(override_reason='').count()} by "
            f"override), {TechLeadAssignment.objects.exclude(ended_at=None).count()} ended, "
            f"{SuccessorCandidate.objects.count()} successor candidates"
        )

    def lead_history(self, plan: LeadPlan) -> None:
        """The founding lead, then a hand-over to today's lead (or no lead since they left);
        a promotion into transition; the successor candidates."""
        department, hr = plan.department, self.hr
        if plan.founder is not None:
            with self.at(self.day(FIRST_LEADS)):
                first = assignment_create(
                    department=department,
                    person=plan.founder,
                    assigned_by=hr,
                    reason="Founding Tech Lead of the department",
                )
        if plan.lead is None:
            if plan.founder is not None:
                with self.at(self.day(FOUNDERS_LEFT)):
                    assignment_end(assignment=first, ended_by=hr, reason="Moved to another team")
            return
        # Today's lead takes over from the founder, or is the department's first.
        if plan.founder is not None:
            start, lead = assignment_hand_over, {"successor": plan.lead, "actor": hr}
        else:
            start, lead = assignment_create, {"person": plan.lead, "assigned_by": hr}
        with self.at(plan.started):
            start(department=department, reason=plan.reason, override_reason=plan.override, **lead)
        if plan.kind.startswith("transition"):
            with self.at(self.day(PROMOTED)):
                person_update(actor=hr, person=plan.lead, step=4)
        self.nominate(plan)

    def nominate(self, plan: LeadPlan) -> None:
        for index, candidate in enumerate(plan.candidates):
            readiness = Readiness.DEVELOPING if index else Readiness.READY_SOON
            if plan.kind == "transition-ready" and index == 0:
                readiness = Readiness.READY_NOW
            with self.at(self.day(NOMINATED - index)):
                successor_nominate(
                    department=plan.department,
                    person=candidate,
                    actor=self.hr,
                    readiness=readiness,
                    notes="Runs the weekly tech session" if index == 0 else "Shadowing on-call",
                )

    def succession_readiness(self, plans: dict[str, LeadPlan]) -> None:
        """Payments' ready successor is its emergency successor; Platform has a candidate
        whose confirmation expired (confirmed once, long ago: not ready until confirmed
        again); Web has a junior nominated anyway (allowed, and flagged ineligible)."""
        payments = plans["payments"]
        if payments.candidates:
            with self.at(self.day(NOMINATED - 5)):
                successor_nominate(
                    department=payments.department,
                    person=payments.candidates[0],
                    actor=self.hr,
                    readiness=Readiness.READY_NOW,
                    notes="Runs the weekly tech session",
                    emergency=True,
                )
        platform = plans["platform"]
        taken = {platform.lead.pk, *(p.pk for p in platform.candidates)}
        spare = [p for p in self.active_ics(platform.department, min_level=3) if p.pk not in taken]
        if spare:
            with self.at(self.day(settings.SUCCESSION_CONFIRMATION_DAYS + 45)):
                successor_nominate(
                    department=platform.department,
                    person=spare[0],
                    actor=self.hr,
                    readiness=Readiness.READY_NOW,
                    rank=3,
                    notes="Confirmed once, last year; to be confirmed again",
                )
        web = plans["web"]
        juniors = [p for p in self.active_ics(web.department, max_level=2) if p != web.lead]
        if juniors:
            with self.at(self.day(NOMINATED - 20)):
                successor_nominate(
                    department=web.department,
                    person=juniors[0],
                    actor=self.hr,
                    readiness=Readiness.READY_SOON,
                    rank=3,
                    notes="Keen; below Level 3, so nominated with a flag",
                )

    # 5. The role's work ----------------------------------------------------------------

    def work(self, plans: list[LeadPlan]) -> str:
        for plan in plans:
            department, lead = plan.department, plan.lead
            team = [p for p in self.members[department.pk] if p.is_active]
            self.sessions(department, lead, team)
            project = self.improvement(department, lead, team)
            self.allocations(team, project)
            self.incidents(department, lead)
        return (
            f"{TechSession.objects.count()} tech sessions, "
            f"{ImprovementTask.objects.count()} improvement tasks, "
            f"{Allocation.objects.count()} allocations, {Incident.objects.count()} incidents"
        )

    def sessions(self, department: Department, lead: Person | None, team: list[Person]) -> None:
        """Two sessions held (scheduled two weeks before, recorded the same day) and one
        upcoming; a department without a lead held only the older one."""
        for weeks_ago, topic in HELD_SESSIONS:
            if lead is None and weeks_ago == 2:
                continue
            held, invited = self.day(7 * weeks_ago, hour=14), team[:12]
            present = [p for p in invited if self.rng.random() < 0.75]
            with self.at(held - timedelta(days=14)):
                session = tech_session_schedule(
                    actor=self.hr,
                    department=department,
                    topic=topic,
                    scheduled_for=held,
                    presenter=lead or team[1],
                    link=f"https://video.example.com/{department.slug}/{weeks_ago}",
                    invitees=invited,
                    mandatory=invited[:3],
                )
            with self.at(held + timedelta(hours=1)):
                tech_session_record(
                    actor=self.hr, session=session, status=SessionStatus.COMPLETED, present=present
                )
        upcoming = self.day(-self.rng.randint(3, 20), hour=14)
        with self.at(self.day(2)):
            tech_session_schedule(
                actor=self.hr,
                department=department,
                topic="Postmortem deep dive",
                scheduled_for=upcoming,
                presenter=lead,
            )

    def improvement(self, department: Department, lead: Person | None, team: list[Person]):
        """A project with four delegated tasks, each moved to its status on its own day."""
        with self.at(self.day(PROJECTS_STARTED)):
            project = improvement_project_create(
                actor=self.hr,
                department=department,
                name=f"{department.name} toil reduction",
                owner=lead or department.manager,
                jira_key=department.confluence_space,
            )
            tasks = []
            for title, status in TASKS:
                assignee = self.rng.choice(team)
                due = timezone.localdate(self.now) + timedelta(days=self.rng.randint(-20, 40))
                task = improvement_task_create(
                    actor=self.hr, project=project, title=title, assignee=assignee, due_date=due
                )
                tasks.append((task, status))
        for task, status in tasks:
            for days, move in TASK_MOVES[status]:
                with self.at(self.day(days)):
                    task = improvement_task_update(actor=self.hr, task=task, status=move)
        return project

    def allocations(self, team: list[Person], project) -> None:
        """This month's capacity plan, made five days before it began: eight people on the
        project or on support; two also carry the incident rotation (one goes over 100%)."""
        today = timezone.localdate(self.now)
        period_start = today.replace(day=1)
        period = {"period_start": period_start, "period_end": period_start + timedelta(days=90)}
        with self.at(self.day(today.day + 4)):
            for index, person in enumerate(team[:8]):
                on_project = index % 2 == 0
                allocation_set(
                    actor=self.hr,
                    person=person,
                    percent=self.rng.choice([20, 40, 60, 80]),
                    project=project if on_project else None,
                    duty="" if on_project else "On-call and support",
                    **period,
                )
            for person in team[:2]:
                allocation_set(
                    actor=self.hr,
                    person=person,
                    percent=self.rng.choice([30, 50]),
                    duty="Incident rotation",
                    **period,
                )

    def incidents(self, department: Department, lead: Person | None) -> None:
        """Sometimes an incident still open today; often one resolved with a post-mortem."""
        handler = lead or department.manager
        if self.rng.random() < 0.3:
            severity = self.rng.choice(["sev2", "sev3", "sev4"])
            started = self.ago(hours=self.rng.randint(1, 20))
            self.incident(
                department, f"{department.name} elevated error rate", severity, started, handler
            )
        if self.rng.random() < 0.6:
            started = self.ago(days=self.rng.randint(2, 60))
            severity = self.rng.choice(["sev1", "sev2", "sev3"])
            resolved = started + timedelta(hours=self.rng.randint(1, 12))
            incident = self.incident(
                department, f"{department.name} service degradation", severity, started, handler
            )
            with self.at(resolved):
                incident_update(
                    actor=self.hr,
                    incident=incident,
                    resolved_at=resolved,
                    postmortem_url=f"https://confluence.example.com/{department.confluence_space}/pm",
                )

    def incident(self, department, title: str, severity: str, started, handler) -> Incident:
        """Logged ten minutes after it started."""
        with self.at(started + timedelta(minutes=10)):
            return incident_record(
                actor=self.hr,
                department=department,
                title=title,
                severity=severity,
                started_at=started,
                handled_by=handler,
            )

    # 6. Today --------------------------------------------------------------------------

    def statuses_today(self) -> str:
        """Each document's status as of today, from its dates (the staleness check's rule).

        A review written in the past stored the status of its moment; the daily check
        would have moved it since. Only the derived `status` column is written, with no
        audit entry, as the check itself does.
        """
        documents = list(Document.objects.all())
        moved = []
        for document in documents:
            before = document.status
            document_refresh_status(document, now=self.now)
            if document.status != before:
                moved.append(document)
        Document.objects.bulk_update(moved, ["status", "notified_status"])
        summary_recompute({document.department_id for document in moved})
        counts = Counter(document.status for document in documents)
        return ", ".join(f"{counts[s]} {s.replace('_', ' ')}" for s in sorted(counts))

    # 7. Trends -------------------------------------------------------------------------

    def trends(self) -> str:
        """The daily trends snapshot of the last twelve weeks, as the daily task would have
        recorded it each morning: each past day's figures from the dated history (reviews
        and retirements, assignments, the leads' ladder moves in the audit trail,
        nominations), today's by the task's own service. Replayed here once, so no page
        ever replays history."""
        rules = list(EligibilityRule.objects.all())
        window = warning_window_days()
        reviews: dict[int, list[tuple[datetime, str]]] = {}
        for document_id, reviewed_at, outcome in DocumentReview.objects.order_by(
            "reviewed_at"
        ).values_list("document_id", "reviewed_at", "outcome"):
            reviews.setdefault(document_id, []).append((reviewed_at, outcome))
        documents = list(
            Document.objects.exclude(kind=DocumentKind.CROSS_DEPARTMENT_PROCESS).values(
                "pk", "department_id", "kind", "created_at", "review_interval_days"
            )
        )
        assignments = list(TechLeadAssignment.objects.select_related("person"))
        moves: dict[str, list] = {}  # person id -> ladder changes, newest first
        for entry in AuditEntry.objects.filter(
            verb="person.update", target_id__in=[str(a.person_id) for a in assignments]
        ).order_by("-created_at"):
            moves.setdefault(entry.target_id, []).append(entry)
        ready = list(
            SuccessorCandidate.objects.filter(
                readiness=Readiness.READY_NOW, person__is_active=True
            ).values_list("department_id", "created_at")
        )
        departments = [department for department, _ in self.departments]
        for days_ago in range(7 * TREND_WEEKS - 1, 0, -1):
            moment = self.day(days_ago, hour=7)  # the morning run, after the staleness check
            rows = {
                d.pk: DailySnapshot(day=moment.date(), department_id=d.pk, departments=1)
                for d in departments
            }
            for document in documents:
                if document["created_at"] > moment:
                    continue
                past = [r for r in reviews.get(document["pk"], []) if r[0] <= moment]
                status = document_status(
                    last_reviewed_at=past[-1][0] if past else None,
                    interval_days=document["review_interval_days"],
                    now=moment,
                    window_days=window,
                    archived=bool(past) and past[-1][1] == ReviewOutcome.RETIRED,
                )
                if status != DocumentStatus.ARCHIVED:
                    prefix = "tools" if document["kind"] == DocumentKind.TOOL else "documents"
                    row = rows[document["department_id"]]
                    name = f"{prefix}_{status}"
                    setattr(row, name, getattr(row, name) + 1)
            for assignment in assignments:
                if assignment.started_at > moment or (
                    assignment.ended_at is not None and assignment.ended_at <= moment
                ):
                    continue
                row = rows[assignment.department_id]
                row.with_lead = 1
                ladder = {f: getattr(assignment.person, f) for f in ("track", "level", "step")}
                for entry in moves.get(str(assignment.person_id), []):
                    if entry.created_at <= moment:
                        break
                    ladder.update({f: v for f, v in (entry.before or {}).items() if f in ladder})
                verdict = eligibility_evaluate(**ladder, rules=rules).verdict
                has_ready = any(d == row.department_id and at <= moment for d, at in ready)
                row.succession_risks = int(verdict == VerdictChoice.TRANSITION and not has_ready)
            with self.at(moment):
                snapshots_write(day=moment.date(), rows=list(rows.values()))
        snapshot_record(now=self.now)
        return f"{DailySnapshot.objects.count()} daily snapshot rows over {TREND_WEEKS} weeks"

    def ranking(self) -> str:
        return f"{health_scores_refresh(now=self.now)} departments scored"
