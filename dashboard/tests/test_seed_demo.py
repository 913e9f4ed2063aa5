"""seed_demo builds the same realistic organisation every time, with every case the
dashboard and the admin need to show."""

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Exists, Max, Min, OuterRef
from django.utils import timezone

from departments.models import AuditEntry, Department, Person
from sops.models import Document, DocumentReview, Notification, StalenessRun
from sops.selectors import process_coverage
from techleads.models import (
    ImprovementTask,
    Incident,
    TechLeadAssignment,
    TechSession,
    TechSessionInvite,
)
from techleads.selectors import month_bounds, overdue, people_with_capacity, succession_risks

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = (
    "import json; from departments.models import Person; from sops.models import Document; "
    "print(json.dumps([list(Person.objects.order_by('employee_id').values_list("
    "'employee_id', 'full_name', 'track', 'level', 'step', 'department__slug')), "
    "list(Document.objects.order_by('title').values_list('title', 'status'))]))"
)


def snapshot() -> list:
    people = Person.objects.order_by("employee_id").values_list(
        "employee_id", "full_name", "track", "level", "step", "department__slug"
    )
    documents = Document.objects.order_by("title").values_list("title", "status")
    return json.loads(json.dumps([list(people), list(documents)]))


@pytest.fixture
def demo(db, capsys):
    call_command("seed_demo", password="demo-password-1")
    return capsys.readouterr().out


def test_demo_has_every_case_the_product_shows(demo):
    assert Department.objects.count() == 12
    assert 250 <= Person.objects.count() <= 400
    assert set(Document.objects.values_list("status", flat=True)) == {
        "current",
        "due_soon",
        "stale",
        "archived",
    }
    assert set(Document.objects.values_list("kind", flat=True)) >= {
        "sop",
        "best_practice",
        "playbook",
        "knowledge_hub",
        "cross_department_process",
        "tool",
    }
    active = TechLeadAssignment.objects.filter(department=OuterRef("pk"), ended_at=None)
    assert Department.objects.exclude(Exists(active)).count() == 3  # no Tech Lead
    assert succession_risks().count() == 2
    assert TechLeadAssignment.objects.exclude(override_reason="").exists()
    assert TechLeadAssignment.objects.filter(ended_at__isnull=False).exists()  # history


def test_demo_has_the_role_s_work_in_every_state(demo):
    """Sessions held and upcoming with attendance; overdue and done tasks;
    over-allocated and partly allocated people; open and resolved incidents; processes
    acknowledged by some of their people."""
    today = timezone.localdate()
    assert set(TechSession.objects.values_list("status", flat=True)) >= {"completed", "scheduled"}
    assert set(TechSessionInvite.objects.values_list("attendance", flat=True)) >= {
        "present",
        "absent",
    }
    assert overdue(ImprovementTask.objects.all(), today=today).exists()
    assert ImprovementTask.objects.filter(status="done", completed_at__isnull=False).exists()
    start, end = month_bounds(today)
    people = people_with_capacity(Person.objects.all(), period_start=start, period_end=end)
    assert people.filter(over_allocated=True).exists()
    assert people.filter(allocated_percent__gt=0, under_allocated=True).exists()
    assert Incident.objects.filter(resolved_at__isnull=True).exists()
    assert Incident.objects.filter(resolved_at__isnull=False).exclude(postmortem_url="").exists()
    coverage = list(process_coverage(Document.objects.all()))
    assert coverage and any(0 < row.acknowledged < row.people for row in coverage)


def test_demo_history_is_in_the_audit_trail(demo):
    """HR did everything through the services, each change on its own day: every
    assignment's entry is dated when it started, every ended one has an entry when it
    ended, the departments were created before anyone led them, and every document's
    last review is in its review history."""
    hr = get_user_model().objects.get(username="hr")
    now = timezone.now()
    entries = AuditEntry.objects.all()
    by_hr = entries.exclude(verb__startswith="process.")  # people acknowledge themselves
    assert set(by_hr.values_list("actor", flat=True)) == {hr.pk}
    assert not entries.filter(created_at__gt=now).exists()
    role = entries.filter(target_type="techleads.techleadassignment")
    for lead in TechLeadAssignment.objects.filter(ended_at=None):
        started = role.get(
            target_id=str(lead.pk), verb__in=["techlead.assign", "techlead.hand_over"]
        )
        assert started.created_at == lead.started_at < now - timedelta(days=29)
        assert lead.assigned_by == hr
    for past in TechLeadAssignment.objects.exclude(ended_at=None):
        ends = role.filter(
            department=past.department, verb__in=["techlead.end", "techlead.hand_over"]
        )
        assert ends.filter(created_at=past.ended_at).exists()
        assert past.started_at < past.ended_at < now - timedelta(days=29)
    founded = entries.filter(verb="department.create").aggregate(at=Max("created_at"))["at"]
    assert founded < TechLeadAssignment.objects.aggregate(at=Min("started_at"))["at"]
    assert entries.filter(verb="person.import_create").count() > 250
    for document in Document.objects.exclude(status="archived"):
        last = document.reviews.latest("reviewed_at")
        assert last.reviewed_at == document.last_reviewed_at < now and last.reviewed_by == hr
    assert (
        DocumentReview.objects.count() == entries.filter(verb__startswith="document.review").count()
    )


def test_first_look_after_seeding_and_one_staleness_check(demo, client):
    """What `make run` shows a newcomer: the overview's last run, digests in the Platform
    lead's inbox, escalations to managers."""
    call_command("check_staleness", stdout=io.StringIO())
    run = StalenessRun.objects.get()
    client.force_login(get_user_model().objects.get(username="hr"))
    overview = client.get("/").content.decode()
    assert "has not run yet" not in overview
    assert f"{run.notifications_sent} notifications" in overview
    lead = get_user_model().objects.get(username="techlead").person
    assert Notification.objects.filter(recipient=lead, kind="digest").exists()
    assert Notification.objects.filter(kind="escalation").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_checks_staleness_between_seeding_and_serving():
    """`make -n` prints the commands without running them."""
    commands = subprocess.run(  # noqa: S603
        [shutil.which("make"), "-n", "run"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    steps = ["manage.py seed_demo", "manage.py check_staleness", "manage.py runserver"]
    order = [step for line in commands.splitlines() for step in steps if step in line]
    assert order == steps


def test_demo_prints_progress_logins_and_a_summary(demo):
    """One line per stage with its counts, the logins, then the one-line summary."""
    stages = [line for line in demo.splitlines() if line.startswith("  … ")]
    assert len(stages) == 7 and all(any(c.isdigit() for c in line) for line in stages)
    assert "hr " in demo and "password for all: demo-password-1" in demo
    assert demo.strip().splitlines()[-1].startswith("seed_demo: created 12 departments")
    hr = authenticate(username="hr", password="demo-password-1")
    assert hr is not None and hr.is_staff and hr.groups.filter(name="HR").exists()
    manager = authenticate(username="manager", password="demo-password-1")
    assert manager.person.managed_departments.get().slug == "platform"
    lead = authenticate(username="techlead", password="demo-password-1")
    assert lead.person.tech_lead_assignments.get(ended_at=None).department.slug == "platform"


def test_running_twice_adds_nothing(demo):
    before = snapshot()
    call_command("seed_demo", password="another-password")
    assert snapshot() == before
    assert authenticate(username="hr", password="another-password") is not None


def test_same_organisation_on_every_machine(demo, tmp_path):
    """A fresh database seeded in another process gives the same people and documents."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",  # as `make run` does, not the suite's
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    for args in (["migrate", "-v0"], ["seed_demo", "--password", "x-demo-password"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", SNAPSHOT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == snapshot()


def test_demo_has_twelve_weeks_of_trends_that_end_where_today_is(demo, client):
    """A snapshot a day for twelve weeks; the day before today, replayed from the dated
    history, has today's figures (nothing changed since), as the daily task records them;
    the two leads promoted into transition three weeks ago show as risks from then on."""
    from dashboard.models import DailySnapshot
    from dashboard.services import SNAPSHOT_FIGURES

    organisation = DailySnapshot.objects.filter(department=None).order_by("day")
    assert organisation.count() == 84
    figures = list(organisation.values(*SNAPSHOT_FIGURES))
    assert figures[-2] == figures[-1]
    assert figures[-1]["departments"] == 12 and figures[-1]["succession_risks"] == 2
    assert figures[0]["succession_risks"] == 0
    assert DailySnapshot.objects.exclude(department=None).count() == 84 * 12
    client.force_login(get_user_model().objects.get(username="hr"))
    assert client.get("/trends/").content.decode().count("Not recorded") == 0


def test_demo_has_one_inactive_webhook_that_never_calls_out(demo):
    from integrations.events import EVENTS
    from integrations.models import Webhook, WebhookDelivery

    webhook = Webhook.objects.get()
    assert webhook.url == "https://hooks.example.com/techleads" and not webhook.is_active
    assert webhook.events == list(EVENTS)
    assert not WebhookDelivery.objects.exists()  # inactive: nothing was queued for it


def test_the_overview_counts_the_demo_s_succession_risks_as_the_succession_page_does(demo, client):
    """The ranking the overview picks its risks by is stored (beat refreshes it): the demo
    stores it, so a first look shows the same risks as the live Succession page."""
    client.force_login(get_user_model().objects.get(username="hr"))
    overview = client.get("/").content.decode()
    risks = overview.split('id="risks-heading"', 1)[1].split("</section>", 1)[0]
    live = client.get("/succession/?risk=transition_without_successor").content.decode()
    assert "No succession risks." not in risks
    assert risks.count('class="person"') == 2
    assert live.count("<tr") - 1 == 2  # the header row, then one row per department
