"""Role changes read as sentences: one pure function words an audit entry (who did what to
whom, when), fed one table of cases; the overview's panel and the role changes page both
show its sentences, with the department linked, and no query per row."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dashboard.sentences import audit_sentence
from departments.models import AuditEntry, Department
from techleads.services import assignment_end, assignment_hand_over, successor_nominate

NOW = datetime(2030, 5, 15, 9, 30, tzinfo=UTC)
User = get_user_model()
HR = User(username="hr", first_name="HR")
HELEN = User(username="helen", first_name="Helen", last_name="Resources")
ANALYTICS = Department(pk=7, name="Analytics")
PLATFORM = Department(pk=8, name="Platform")
PAYMENTS = Department(pk=9, name="Payments")


def entry(verb, target_repr, *, actor=HR, department=None, ago=timedelta(days=3), **fields):
    return AuditEntry(
        actor=actor,
        verb=verb,
        target_repr=target_repr,
        department=department,
        created_at=NOW - ago,
        **fields,
    )


CASES = {
    "an end": (
        entry("techlead.end", "Daniel Ito → Analytics", department=ANALYTICS),
        "HR (hr) ended Daniel Ito's role as Tech Lead of Analytics — 3 days ago",
    ),
    "an assignment": (
        entry(
            "techlead.assign",
            "Ana Lee → Platform",
            department=PLATFORM,
            actor=HELEN,
            ago=timedelta(hours=2),
            after={"override_reason": ""},
        ),
        "Helen Resources (helen) assigned Ana Lee as Tech Lead of Platform — 2 hours ago",
    ),
    "an assignment by override": (
        entry(
            "techlead.assign",
            "Ana Lee → Platform",
            department=PLATFORM,
            after={"override_reason": "Interim while we hire"},
        ),
        "HR (hr) assigned Ana Lee as Tech Lead of Platform, overriding the eligibility "
        "rules — 3 days ago",
    ),
    "a hand-over": (
        entry(
            "techlead.hand_over",
            "Sam Roy → Platform",
            department=PLATFORM,
            note="From Ana Lee to Sam Roy. Verdict: eligible. IC Level 3 and above.",
        ),
        "HR (hr) handed Platform over from Ana Lee to Sam Roy — 3 days ago",
    ),
    "a hand-over whose note names nobody": (
        entry("techlead.hand_over", "Sam Roy → Platform", department=PLATFORM, note=""),
        "HR (hr) handed Platform over to Sam Roy — 3 days ago",
    ),
    "a nomination": (
        entry(
            "successor.nominate",
            "Zoe Park (Ready now) for Payments",
            department=PAYMENTS,
            after={"readiness": "ready_now"},
            ago=timedelta(minutes=5),
        ),
        "HR (hr) nominated Zoe Park as successor for Payments (ready now) — 5 minutes ago",
    ),
    "a readiness change": (
        entry(
            "successor.update",
            "Zoe Park (Ready within a year) for Payments",
            department=PAYMENTS,
            before={"readiness": "developing", "notes": ""},
            after={"readiness": "ready_soon", "notes": ""},
        ),
        "HR (hr) changed Zoe Park's readiness as successor for Payments to ready within a "
        "year — 3 days ago",
    ),
    "a note change": (
        entry(
            "successor.update",
            "Zoe Park (Developing) for Payments",
            department=PAYMENTS,
            before={"readiness": "developing", "notes": ""},
            after={"readiness": "developing", "notes": "Shadowing the lead"},
        ),
        "HR (hr) updated the notes on Zoe Park as successor for Payments — 3 days ago",
    ),
    "a withdrawn candidate": (
        entry("successor.remove", "Zoe Park (Developing) for Payments", department=PAYMENTS),
        "HR (hr) withdrew Zoe Park as successor for Payments — 3 days ago",
    ),
    "a changed rule": (
        entry(
            "eligibility_rule.update",
            "Individual Contributor Level 3+ → Eligible",
            ago=timedelta(days=40),
        ),
        "HR (hr) changed the eligibility rule “Individual Contributor Level 3+ → Eligible” "
        "— 1 month ago",
    ),
    "a new rule": (
        entry("eligibility_rule.create", "Manager Level 1 → Eligible"),
        "HR (hr) added the eligibility rule “Manager Level 1 → Eligible” — 3 days ago",
    ),
    "a removed rule": (
        entry("eligibility_rule.delete", "Manager Level 1 → Eligible"),
        "HR (hr) removed the eligibility rule “Manager Level 1 → Eligible” — 3 days ago",
    ),
    "the system, just now": (
        entry(
            "techlead.end",
            "Daniel Ito → Analytics",
            actor=None,
            department=ANALYTICS,
            ago=timedelta(seconds=20),
        ),
        "The system ended Daniel Ito's role as Tech Lead of Analytics — just now",
    ),
    "a department renamed since": (
        entry("techlead.end", "Daniel Ito → Data Science", department=ANALYTICS),
        "HR (hr) ended Daniel Ito's role as Tech Lead of Analytics — 3 days ago",
    ),
    "any other change": (
        entry("document.review.confirmed", "Runbook", department=PLATFORM),
        "HR (hr) recorded document review confirmed: Runbook — 3 days ago",
    ),
}


@pytest.mark.parametrize(("audit", "sentence"), CASES.values(), ids=CASES.keys())
def test_an_audit_entry_reads_as_a_sentence(audit, sentence):
    assert str(audit_sentence(audit, now=NOW)) == sentence


def test_the_department_is_the_part_a_page_links():
    words = audit_sentence(CASES["a hand-over"][0], now=NOW)
    assert (words.before, words.department, words.after) == (
        "HR (hr) handed ",
        "Platform",
        " over from Ana Lee to Sam Roy — 3 days ago",
    )
    assert audit_sentence(CASES["a changed rule"][0], now=NOW).department == ""


# The pages --------------------------------------------------------------------------


@pytest.fixture
def changes(org):
    """Lea is succeeded by Ian as Platform's Tech Lead, Jo is nominated; then Ian's role
    ends."""
    successor_nominate(department=org.platform, person=org.jo, actor=org.hr, readiness="ready_now")
    new = assignment_hand_over(
        department=org.platform, successor=org.ian, actor=org.hr, reason="Rotation"
    )
    assignment_end(assignment=new, ended_by=org.hr, reason="Left")
    return org


SENTENCES = [
    "hr ended Ian Engineer's role as Tech Lead of ",
    "hr handed ",
    " over from Lea Lead to Ian Engineer",
    "hr assigned Lea Lead as Tech Lead of ",
]


@pytest.mark.django_db
def test_the_role_changes_page_lists_sentences_newest_first(client, changes):
    client.force_login(changes.hr)
    page = unescape(client.get(reverse("dashboard:role_changes")).content.decode())
    positions = [page.find(s) for s in SENTENCES]
    assert -1 not in positions and positions == sorted(positions), positions
    link = f'<a href="{reverse("dashboard:department", args=[changes.platform.pk])}">Platform</a>'
    assert f"hr handed {link} over from Lea Lead to Ian Engineer — " in page
    assert "techlead." not in page and "→" not in page


@pytest.mark.django_db
def test_the_overview_panel_shows_the_same_sentences(client, changes):
    client.force_login(changes.hr)
    page = unescape(client.get("/").content.decode())
    panel = page[page.index('id="changes-heading"') :]
    assert all(s in panel for s in SENTENCES)
    assert "techlead." not in panel
