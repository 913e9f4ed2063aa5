"""Succession readiness: each flag from the pure rule and from its SQL twin (they agree),
the confirmation's expiry at its boundary, the emergency mark, ranks, the withdrawal of a
new lead and who may confirm."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError

from departments.errors import DomainError, Forbidden
from departments.models import AuditEntry, Person, Track
from departments.tests.factories import PersonFactory
from techleads.constants import EscalationRole
from techleads.models import SuccessorCandidate
from techleads.rules import successor_flags
from techleads.selectors import (
    annotated_flags,
    escalation_annotated,
    person_eligibility,
    succession_risks,
    successors_with_flags,
)
from techleads.services import (
    assignment_create,
    assignment_end,
    assignment_hand_over,
    successor_confirm,
    successor_nominate,
)

pytestmark = pytest.mark.django_db

NOMINATED = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
DAYS = settings.SUCCESSION_CONFIRMATION_DAYS


def nominate(org, person, department=None, **fields):
    fields.setdefault("readiness", "ready_now")
    return successor_nominate(
        department=department or org.platform, person=person, actor=org.hr, **fields
    )


def flags_sql(candidate, now=None) -> list[str]:
    found = successors_with_flags(SuccessorCandidate.objects.filter(pk=candidate.pk), now=now)
    return annotated_flags(found.get())


def flags_pure(candidate, now) -> list[str]:
    candidate.refresh_from_db()
    person = Person.objects.get(pk=candidate.person_id)
    return successor_flags(
        confirmed_at=candidate.confirmed_at,
        now=now,
        confirmation_days=DAYS,
        is_active=person.is_active,
        verdict=person_eligibility(person=person).verdict,
        leads_elsewhere=person.tech_lead_assignments.filter(ended_at__isnull=True)
        .exclude(department=candidate.department_id)
        .exists(),
    )


# -- the pure rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "expired"),
    [
        (timedelta(days=DAYS) - timedelta(seconds=1), False),
        (timedelta(days=DAYS), False),  # exactly SUCCESSION_CONFIRMATION_DAYS old: valid
        (timedelta(days=DAYS) + timedelta(microseconds=1), True),
    ],
    ids=["a second before", "exactly at expiry", "just after"],
)
def test_the_confirmation_expires_after_the_days_not_at_them(age, expired):
    flags = successor_flags(
        confirmed_at=NOMINATED,
        now=NOMINATED + age,
        confirmation_days=DAYS,
        is_active=True,
        verdict="eligible",
        leads_elsewhere=False,
    )
    assert flags == (["expired"] if expired else [])


def test_the_pure_rule_lists_every_flag_in_the_contract_order():
    flags = successor_flags(
        confirmed_at=NOMINATED,
        now=NOMINATED + timedelta(days=DAYS + 1),
        confirmation_days=DAYS,
        is_active=False,
        verdict="transition",
        leads_elsewhere=True,
    )
    assert flags == ["expired", "inactive", "transition", "leads_elsewhere"]
    ineligible = successor_flags(
        confirmed_at=NOMINATED,
        now=NOMINATED + timedelta(days=DAYS + 1),
        confirmation_days=DAYS,
        is_active=False,
        verdict="ineligible",
        leads_elsewhere=True,
    )
    assert ineligible == ["expired", "inactive", "ineligible", "leads_elsewhere"]


# -- each flag, pure and SQL alike ------------------------------------------------------


def _expired(org):
    with time_machine.travel(NOMINATED, tick=False):
        candidate = nominate(org, org.ian)
    return candidate, NOMINATED + timedelta(days=DAYS, seconds=1)


def _inactive(org):
    candidate = nominate(org, org.ian)
    Person.objects.filter(pk=org.ian.pk).update(is_active=False)
    return candidate, None


def _ineligible(org):
    return nominate(org, org.jo), None  # IC Level 2: allowed, and flagged


def _transition(org):
    senior = PersonFactory(department=org.platform, track=Track.MANAGER, level=2, step=3)
    return nominate(org, senior), None


def _leads_elsewhere(org):
    candidate = nominate(org, org.dana)  # from another department: allowed
    assignment_create(department=org.data, person=org.dana, assigned_by=org.hr, reason="x")
    return candidate, None


def _none(org):
    return nominate(org, org.ian), None


FLAG_CASES = {
    "expired": (_expired, ["expired"]),
    "inactive": (_inactive, ["inactive"]),
    "ineligible": (_ineligible, ["ineligible"]),
    "transition": (_transition, ["transition"]),
    "leads_elsewhere": (_leads_elsewhere, ["leads_elsewhere"]),
    "none": (_none, []),
}


@pytest.mark.parametrize(("make", "expected"), FLAG_CASES.values(), ids=FLAG_CASES.keys())
def test_each_flag_from_the_rule_and_from_sql_agree(org, make, expected):
    candidate, now = make(org)
    at = now or datetime.now(tz=UTC)
    assert flags_sql(candidate, now=at) == flags_pure(candidate, at) == expected


def test_sql_expiry_boundary_agrees_with_the_rule(org):
    with time_machine.travel(NOMINATED, tick=False):
        candidate = nominate(org, org.ian)
    exactly = NOMINATED + timedelta(days=DAYS)
    assert flags_sql(candidate, now=exactly) == flags_pure(candidate, exactly) == []
    later = exactly + timedelta(microseconds=1)
    assert flags_sql(candidate, now=later) == flags_pure(candidate, later) == ["expired"]


def test_confirming_clears_expired(org):
    with time_machine.travel(NOMINATED, tick=False):
        candidate = nominate(org, org.ian)
    later = NOMINATED + timedelta(days=DAYS + 30)
    with time_machine.travel(later, tick=False):
        assert flags_sql(candidate) == ["expired"]
        confirmed = successor_confirm(candidate=candidate, actor=org.maya.user)
        assert confirmed.confirmed_at == later
        assert confirmed.expires_at == later + timedelta(days=DAYS)
        assert flags_sql(candidate) == []
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.verb, entry.actor, entry.target_id) == (
        "successor.confirm",
        org.maya.user,
        str(candidate.pk),
    )


@pytest.mark.parametrize("role", ["max", "lea", "ian"])
def test_only_the_manager_or_hr_confirm(org, role):
    candidate = nominate(org, org.ian)
    user = {"max": org.max.user, "lea": org.lea.user, "ian": org.ian.user}[role]
    with pytest.raises(Forbidden):
        successor_confirm(candidate=candidate, actor=user)


# -- nomination -------------------------------------------------------------------------


def test_a_new_nomination_is_confirmed_now_ranked_first_and_not_emergency(org):
    with time_machine.travel(NOMINATED, tick=False):
        candidate = nominate(org, org.ian)
    assert (candidate.confirmed_at, candidate.rank, candidate.emergency) == (NOMINATED, 1, False)


def test_an_update_keeps_the_confirmation_rank_and_mark_it_does_not_name(org):
    with time_machine.travel(NOMINATED, tick=False):
        nominate(org, org.ian, rank=2, emergency=True)
    updated = nominate(org, org.ian, readiness="ready_soon")
    assert (updated.confirmed_at, updated.rank, updated.emergency) == (NOMINATED, 2, True)


def test_marking_another_emergency_successor_moves_the_mark(org):
    first = nominate(org, org.ian, emergency=True)
    second = nominate(org, org.dana, emergency=True)
    first.refresh_from_db()
    assert (first.emergency, second.emergency) == (False, True)
    moved = AuditEntry.objects.filter(verb="successor.update", target_id=str(first.pk)).get()
    assert (moved.before["emergency"], moved.after["emergency"]) == (True, False)


def test_the_database_keeps_one_emergency_successor_per_department(org):
    nominate(org, org.ian, emergency=True)
    with pytest.raises(IntegrityError):
        SuccessorCandidate.objects.create(department=org.platform, person=org.jo, emergency=True)


def test_rank_below_one_is_refused(org):
    with pytest.raises(DomainError) as refused:
        nominate(org, org.ian, rank=0)
    assert refused.value.field == "rank"
    assert not SuccessorCandidate.objects.exists()


@pytest.mark.parametrize("who", ["lea", "inactive"])
def test_the_lead_or_an_inactive_person_is_not_nominated(org, who):
    person = org.lea if who == "lea" else PersonFactory(department=org.platform, is_active=False)
    with pytest.raises(DomainError) as refused:
        nominate(org, person)
    assert refused.value.field == "person"


# -- the new lead is withdrawn ----------------------------------------------------------


def test_assigning_a_candidate_withdraws_them_from_that_department(org):
    nominate(org, org.dana, department=org.data)
    assignment_create(department=org.data, person=org.dana, assigned_by=org.hr, reason="x")
    assert not SuccessorCandidate.objects.filter(department=org.data).exists()
    entry = AuditEntry.objects.filter(verb="successor.remove").get()
    assert entry.note == f"{org.dana} is now its Tech Lead."
    assert entry.department == org.data


def test_handing_over_withdraws_the_successor_and_keeps_other_candidates(org):
    nominate(org, org.ian)
    other = nominate(org, org.jo, readiness="developing")
    assignment_hand_over(department=org.platform, successor=org.ian, actor=org.hr, reason="x")
    assert list(SuccessorCandidate.objects.filter(department=org.platform)) == [other]
    assert AuditEntry.objects.filter(verb="successor.remove").count() == 1


def test_a_candidate_leading_elsewhere_stays_listed_and_flagged(org):
    candidate = nominate(org, org.dana)
    assignment_create(department=org.data, person=org.dana, assigned_by=org.hr, reason="x")
    assert flags_sql(candidate) == ["leads_elsewhere"]


# -- a flagged candidate is not ready anywhere ------------------------------------------


def test_escalation_skips_flagged_candidates(org):
    assignment_end(assignment=org.lead, ended_by=org.hr)
    nominate(org, org.jo, rank=1)  # ready now, but ineligible
    ian = nominate(org, org.ian, rank=2)
    found = escalation_annotated().get(pk=org.platform.pk)
    assert (found.escalation_role, found.escalation_person_id) == (
        EscalationRole.SUCCESSOR,
        org.ian.pk,
    )
    Person.objects.filter(pk=org.ian.pk).update(is_active=False)
    assert escalation_annotated().get(pk=org.platform.pk).escalation_role == "manager"
    assert ian.pk  # still listed, just not called


def test_escalation_calls_the_emergency_successor_first_then_by_rank(org):
    assignment_end(assignment=org.lead, ended_by=org.hr)
    nominate(org, org.ian, rank=1)
    senior = PersonFactory(department=org.platform, level=5)
    nominate(org, senior, rank=2)
    assert escalation_annotated().get(pk=org.platform.pk).escalation_person_id == org.ian.pk
    nominate(org, senior, emergency=True, readiness="ready_soon")
    assert escalation_annotated().get(pk=org.platform.pk).escalation_person_id == senior.pk


def test_a_transition_lead_whose_only_ready_candidate_is_flagged_is_a_risk(org):
    Person.objects.filter(pk=org.lea.pk).update(track=Track.MANAGER, level=2, step=3)
    nominate(org, org.jo)  # ready now, ineligible
    assert list(succession_risks()) == [org.lead]
    nominate(org, org.ian)
    assert list(succession_risks()) == []
