"""A realistic, deterministic demo organisation.

Same seed, same organisation: names, ladder positions, leads, documents and their ages
are drawn from random.Random(SEED), and dates are relative to the moment it runs.
Running it again on a database that already holds the demo organisation only resets
the demo logins' passwords (nothing is duplicated).
"""

import random
import secrets
import time
import unicodedata
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from departments.constants import HR_GROUP
from departments.models import Department, Person, Track
from sops.constants import DocumentKind
from sops.models import Document, DocumentReview, ProcessAcknowledgement
from sops.services import document_refresh_status
from techleads.constants import Readiness, SessionStatus, TaskStatus
from techleads.models import (
    Allocation,
    ImprovementProject,
    ImprovementTask,
    Incident,
    SuccessorCandidate,
    TechLeadAssignment,
    TechSession,
    TechSessionInvite,
)
from techleads.services import assignment_create, assignment_end

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
        if Department.objects.filter(slug="platform").exists():
            self.stdout.write("The demo organisation is already loaded; resetting the logins.")
            created = False
        else:
            with transaction.atomic():
                DemoBuilder(self.stdout, random.Random(SEED)).build()  # noqa: S311 (demo data)
            created = True
        with transaction.atomic():
            self._logins(password)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for username, what in DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<10} {what}")
        verb = "created" if created else "kept"
        self.stdout.write(
            f"seed_demo: {verb} {Department.objects.count()} departments, "
            f"{Person.objects.count()} people, "
            f"{TechLeadAssignment.objects.filter(ended_at=None).count()} active Tech Leads, "
            f"{Document.objects.count()} documents in {time.monotonic() - started:.1f}s, 0 errors"
        )

    def _logins(self, password: str) -> None:
        users = get_user_model()
        hr, _ = users.objects.get_or_create(username="hr", defaults={"email": "hr@example.com"})
        hr.is_staff = True
        hr.first_name, hr.last_name = "Helen", "Resources"
        hr.set_password(password)
        hr.save()
        hr.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
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
            user, _ = users.objects.get_or_create(
                username=username, defaults={"email": person.email}
            )
            user.set_password(password)
            user.save()
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])


def ascii_name(name: str) -> str:
    """García -> garcia: email local parts are ASCII."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


class DemoBuilder:
    def __init__(self, out, rng: random.Random):
        self.out = out
        self.rng = rng
        self.now = timezone.now()
        self.serial = 0

    def build(self) -> None:
        """1. departments and people, 2. leads and history, 3. successors,
        4. documents and processes, 5. the Tech Lead's other work."""
        self.step("departments and people")
        departments = self.departments()
        self.step("Tech Leads and their history")
        for department, plan in departments:
            self.leads(department, plan)
        self.step("documents, tools and cross-department processes")
        for department, _ in departments:
            self.documents(department)
        self.processes()
        self.step("tech sessions, improvement projects, allocations and incidents")
        for department, _ in departments:
            self.responsibilities(department)

    def step(self, what: str) -> None:
        self.out.write(f"  … {what}")

    def person(self, department, track, level, step=1, **extra) -> Person:
        self.serial += 1
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        return Person(
            employee_id=f"DEMO-{self.serial:04d}",
            full_name=f"{first} {last}",
            email=f"{ascii_name(first)}.{ascii_name(last)}.{self.serial}@example.com",
            department=department,
            track=track,
            level=level,
            step=step,
            **extra,
        )

    def departments(self) -> list[tuple[Department, str | None]]:
        departments = Department.objects.bulk_create(
            Department(
                name=name,
                slug=slug,
                confluence_space=space,
                knowledge_hub_url=f"https://hub.example.com/{slug}",
            )
            for name, slug, space, _ in DEPARTMENTS
        )
        people = []
        for department, (_, _, _, plan) in zip(departments, DEPARTMENTS, strict=True):
            manager_level = 3 if plan == "transition-risk" else self.rng.choice([2, 3])
            people.append(self.person(department, Track.MANAGER, manager_level, 2))
            for _ in range(self.rng.randint(20, 30)):
                if self.rng.random() < 0.12:
                    people.append(self.person(department, Track.MANAGER, 1, self.rng.randint(1, 3)))
                else:
                    level = self.rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 4, 2, 1])[0]
                    people.append(
                        self.person(
                            department,
                            Track.IC,
                            level,
                            self.rng.randint(1, 4),
                            is_active=self.rng.random() > 0.04,
                        )
                    )
        Person.objects.bulk_create(people)
        by_department: dict[int, list[Person]] = {}
        for person in Person.objects.order_by("employee_id"):
            by_department.setdefault(person.department_id, []).append(person)
        for department in departments:
            department.manager = by_department[department.pk][0]
        Department.objects.bulk_update(departments, ["manager"])
        self.members = by_department
        return [(d, plan) for d, (*_, plan) in zip(departments, DEPARTMENTS, strict=True)]

    def active_ics(self, department, min_level=1, max_level=9) -> list[Person]:
        return [
            p
            for p in self.members[department.pk][1:]
            if p.is_active and p.track == Track.IC and min_level <= p.level <= max_level
        ]

    def leads(self, department: Department, plan: str | None) -> None:
        seniors = self.active_ics(department, min_level=3)
        if len(seniors) >= 2:
            # A past lead, so every department with a lead has some history.
            past = assignment_create(
                department=department,
                person=seniors[1],
                assigned_by=None,
                reason="Founding Tech Lead of the department",
            )
            TechLeadAssignment.objects.filter(pk=past.pk).update(
                started_at=self.now - timedelta(days=720)
            )
            past.refresh_from_db()
            assignment_end(assignment=past, ended_by=None, reason="Moved to another team")
            TechLeadAssignment.objects.filter(pk=past.pk).update(
                ended_at=self.now - timedelta(days=400)
            )
        if plan is None:
            return
        if plan.startswith("transition"):
            lead = self.person(department, Track.MANAGER, 2, 4)
            lead.save()
            self.members[department.pk].append(lead)
            reason = "Built the department's processes; transition planned"
            override = "Kept while a successor is developed"
        elif plan == "override":
            lead = self.active_ics(department, max_level=2)[0]
            reason = "Only person who knows the test infrastructure"
            override = "No eligible candidate yet; HR review in six months"
        else:
            lead = seniors[0]
            reason = "Subject matter expert on the department's tools"
            override = ""
        assignment = assignment_create(
            department=department,
            person=lead,
            assigned_by=None,
            reason=reason,
            override_reason=override,
        )
        TechLeadAssignment.objects.filter(pk=assignment.pk).update(
            started_at=self.now - timedelta(days=self.rng.randint(30, 380))
        )
        candidates = [p for p in seniors if p.pk != lead.pk][:2]
        for index, candidate in enumerate(candidates):
            readiness = Readiness.DEVELOPING if index else Readiness.READY_SOON
            if plan == "transition-ready" and index == 0:
                readiness = Readiness.READY_NOW
            SuccessorCandidate.objects.create(
                department=department,
                person=candidate,
                readiness=readiness,
                notes="Runs the weekly tech session" if index == 0 else "Shadowing on-call",
            )

    def documents(self, department: Department) -> None:
        lead = TechLeadAssignment.objects.filter(department=department, ended_at=None).first()
        owner = lead.person if lead else None
        documents = []
        for kind, titles in DOC_TITLES.items():
            for title in titles:
                age = self.rng.choice(REVIEW_AGES)
                documents.append(
                    Document(
                        title=f"{department.name}: {title}",
                        kind=kind,
                        department=department,
                        owner=owner if self.rng.random() > 0.1 else None,
                        url=f"https://confluence.example.com/{department.confluence_space}/"
                        f"{title.lower().replace(' ', '-')}",
                        description="Maintained by the Tech Lead" if kind == "tool" else "",
                        review_interval_days=90 if kind != DocumentKind.BEST_PRACTICE else 180,
                        last_reviewed_at=self.now - timedelta(days=age),
                    )
                )
        documents[-1].archived_at = self.now - timedelta(days=10)
        for document in documents:
            document_refresh_status(document, now=self.now)
        Document.objects.bulk_create(documents)
        reviewer = owner or department.manager
        DocumentReview.objects.bulk_create(
            DocumentReview(
                document=document,
                reviewer=reviewer,
                outcome="confirmed" if i % 3 else "updated",
                notes="Checked against the current setup",
                reviewed_at=document.last_reviewed_at,
            )
            for i, document in enumerate(documents)
        )

    def processes(self) -> None:
        by_slug = {d.slug: d for d in Department.objects.all()}
        for title, slugs in PROCESSES:
            owner_department = by_slug[slugs[0]]
            lead = TechLeadAssignment.objects.filter(
                department=owner_department, ended_at=None
            ).first()
            document = Document(
                title=title,
                kind=DocumentKind.CROSS_DEPARTMENT_PROCESS,
                department=owner_department,
                owner=lead.person if lead else None,
                url=f"https://confluence.example.com/PROC/{slugs[0]}",
                review_interval_days=180,
                last_reviewed_at=self.now - timedelta(days=self.rng.choice([30, 120, 190])),
            )
            document_refresh_status(document, now=self.now)
            document.save()
            document.involved_departments.set([by_slug[s] for s in slugs])
            readers = [p for s in slugs for p in self.members[by_slug[s].pk] if p.is_active]
            ProcessAcknowledgement.objects.bulk_create(
                ProcessAcknowledgement(document=document, person=p, version=1)
                for p in readers
                if self.rng.random() < 0.6
            )

    def responsibilities(self, department: Department) -> None:
        lead = TechLeadAssignment.objects.filter(department=department, ended_at=None).first()
        team = [p for p in self.members[department.pk] if p.is_active]
        for weeks_ago, topic in ((2, "How our deploys work"), (9, "Reading the dashboards")):
            if lead is None and weeks_ago == 2:
                continue
            session = TechSession.objects.create(
                department=department,
                topic=topic,
                presenter=lead.person if lead else team[1],
                status=SessionStatus.COMPLETED,
                scheduled_for=self.now - timedelta(weeks=weeks_ago),
                link=f"https://video.example.com/{department.slug}/{weeks_ago}",
            )
            TechSessionInvite.objects.bulk_create(
                TechSessionInvite(
                    session=session,
                    person=p,
                    mandatory=i < 3,
                    attendance="present" if self.rng.random() < 0.75 else "absent",
                )
                for i, p in enumerate(team[:12])
            )
        TechSession.objects.create(
            department=department,
            topic="Postmortem deep dive",
            presenter=lead.person if lead else None,
            scheduled_for=self.now + timedelta(days=self.rng.randint(3, 20)),
        )
        project = ImprovementProject.objects.create(
            department=department,
            name=f"{department.name} toil reduction",
            owner=lead.person if lead else department.manager,
            jira_key=department.confluence_space,
        )
        statuses = [TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.TODO, TaskStatus.TODO]
        for number, status in enumerate(statuses, start=1):
            ImprovementTask.objects.create(
                project=project,
                title=[
                    "Automate release notes",
                    "Remove flaky tests",
                    "Document runbooks",
                    "Consolidate dashboards",
                ][number - 1],
                owner=project.owner,
                assignee=self.rng.choice(team),
                status=status,
                due_date=(self.now + timedelta(days=self.rng.randint(-20, 40))).date(),
                jira_issue_key=f"{project.jira_key}-{number}",
                completed_at=self.now - timedelta(days=3) if status == TaskStatus.DONE else None,
            )
        quarter_start = self.now.date().replace(day=1)
        quarter_end = quarter_start + timedelta(days=90)
        Allocation.objects.bulk_create(
            Allocation(
                person=p,
                project=project if i % 2 == 0 else None,
                duty="" if i % 2 == 0 else "On-call and support",
                percent=self.rng.choice([20, 40, 60, 80]),
                period_start=quarter_start,
                period_end=quarter_end,
            )
            for i, p in enumerate(team[:8])
        )
        # Two people also carry the incident rotation: one of them ends up over 100%.
        Allocation.objects.bulk_create(
            Allocation(
                person=p,
                duty="Incident rotation",
                percent=self.rng.choice([30, 50]),
                period_start=quarter_start,
                period_end=quarter_end,
            )
            for p in team[:2]
        )
        if self.rng.random() < 0.3:
            Incident.objects.create(
                department=department,
                title=f"{department.name} elevated error rate",
                severity=self.rng.choice(["sev2", "sev3", "sev4"]),
                started_at=self.now - timedelta(hours=self.rng.randint(1, 20)),
                handled_by=lead.person if lead else department.manager,
            )
        if self.rng.random() < 0.6:
            started = self.now - timedelta(days=self.rng.randint(2, 60))
            Incident.objects.create(
                department=department,
                title=f"{department.name} service degradation",
                severity=self.rng.choice(["sev1", "sev2", "sev3"]),
                started_at=started,
                resolved_at=started + timedelta(hours=self.rng.randint(1, 12)),
                handled_by=lead.person if lead else department.manager,
                postmortem_url=f"https://confluence.example.com/{department.confluence_space}/pm",
            )
