"""Who to call when something breaks: one table of cases, fed to the pure rule
(rules.escalation_chain) and to its SQL twin (selectors.escalation_annotated), which answer
the same first contact: the Tech Lead, then the longest-ready active successor, then the
manager, skipping anyone inactive and anyone already listed."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from departments.models import Department, Person, Track
from departments.tests.factories import DepartmentFactory, PersonFactory
from techleads.models import TechLeadAssignment
from techleads.rules import escalation_chain
from techleads.selectors import escalation_annotated
from techleads.services import assignment_create, assignment_end, successor_nominate

# lead, ready successors (in the order they were nominated), manager, who of them is
# inactive -> the whole chain as (role, who); its first entry is whom to call now.
ESCALATION_TABLE = {
    "the lead first, then a ready successor, then the manager": (
        "lea",
        ["ian"],
        "maya",
        set(),
        [("tech_lead", "lea"), ("successor", "ian"), ("manager", "maya")],
    ),
    "an inactive lead is skipped": (
        "lea",
        ["ian"],
        "maya",
        {"lea"},
        [("successor", "ian"), ("manager", "maya")],
    ),
    "no lead: a ready successor": (
        None,
        ["ian"],
        "maya",
        set(),
        [("successor", "ian"), ("manager", "maya")],
    ),
    "ready successors in the order they were nominated": (
        None,
        ["kim", "ian"],
        "maya",
        set(),
        [("successor", "kim"), ("successor", "ian"), ("manager", "maya")],
    ),
    "an inactive successor is skipped": (
        None,
        ["ian", "kim"],
        "maya",
        {"ian"},
        [("successor", "kim"), ("manager", "maya")],
    ),
    "no lead, no successor: the manager": (None, [], "maya", set(), [("manager", "maya")]),
    "an inactive lead and no successor: the manager": (
        "lea",
        [],
        "maya",
        {"lea"},
        [("manager", "maya")],
    ),
    "the manager, also a ready successor, is listed once, as a successor": (
        "lea",
        ["maya"],
        "maya",
        {"lea"},
        [("successor", "maya")],
    ),
    "the lead, also a ready successor, is listed once, as the lead": (
        "lea",
        ["lea", "ian"],
        "maya",
        set(),
        [("tech_lead", "lea"), ("successor", "ian"), ("manager", "maya")],
    ),
    "an inactive manager: nobody": (None, [], "maya", {"maya"}, []),
    "everyone inactive: nobody": (
        "lea",
        ["ian", "kim"],
        "maya",
        {"lea", "ian", "kim", "maya"},
        [],
    ),
    "no lead, no successor, no manager: nobody": (None, [], None, set(), []),
}
CASES = list(ESCALATION_TABLE.values())
IDS = list(ESCALATION_TABLE)
COLUMNS = ("lead", "successors", "manager", "inactive", "chain")


@pytest.mark.parametrize(COLUMNS, CASES, ids=IDS)
def test_pure_rule_lists_whom_to_call_in_order(lead, successors, manager, inactive, chain):
    names = sorted({lead, manager, *successors} - {None})
    people = {
        name: SimpleNamespace(id=pk, is_active=name not in inactive)
        for pk, name in enumerate(names, start=1)
    }
    contacts = escalation_chain(
        lead=people.get(lead),
        ready_successors=[people[name] for name in successors],
        manager=people.get(manager),
    )
    by_id = {person.id: name for name, person in people.items()}
    assert [(contact.role, by_id[contact.person_id]) for contact in contacts] == chain


def department_for(case: str, hr, lead, successors, manager, inactive) -> Department:
    """A department set up through the services as the case says: people named after the
    table's (the manager on the Manager track), the lead assigned, the successors
    nominated ready now in order; then the inactive ones leave."""
    department = DepartmentFactory(name=case[:100])
    people = {}
    for name in sorted({lead, manager, *successors} - {None}):
        manages = name == manager
        people[name] = PersonFactory(
            full_name=name,
            department=department,
            track=Track.MANAGER if manages else Track.IC,
            level=1 if manages else 4,
        )
    if manager:
        department.manager = people[manager]
        department.save()
    if lead:
        assignment_create(department=department, person=people[lead], assigned_by=hr, reason="x")
    for name in successors:
        if name == lead:  # the lead is no candidate of their own department (refused)
            continue
        successor_nominate(
            department=department, person=people[name], actor=hr, readiness="ready_now"
        )
    Person.objects.filter(pk__in=[people[name].pk for name in inactive]).update(is_active=False)
    return department


@pytest.mark.django_db
def test_sql_twin_gives_the_same_first_contact_in_one_query(hr_user, django_assert_num_queries):
    departments = [
        department_for(case, hr_user, *row[:4]) for case, row in ESCALATION_TABLE.items()
    ]
    with django_assert_num_queries(1):  # one SELECT, three correlated subqueries
        annotated = {
            d.pk: d for d in escalation_annotated().filter(pk__in=[d.pk for d in departments])
        }
    for department, (case, row) in zip(departments, ESCALATION_TABLE.items(), strict=True):
        lead, successors, manager, _, chain = row
        found = annotated[department.pk]
        first = (found.escalation_role, found.escalation_person_id)
        people = {p.full_name: p for p in Person.objects.filter(department=department)}
        expected = (chain[0][0], people[chain[0][1]].pk) if chain else (None, None)
        # The pure rule, fed the same rows, agrees.
        pure = escalation_chain(
            lead=people.get(lead),
            ready_successors=[people[name] for name in successors],
            manager=people.get(manager),
        )
        pure_first = (pure[0].role, pure[0].person_id) if pure else (None, None)
        assert first == expected == pure_first, case


@pytest.mark.django_db
def test_sql_twin_at_a_past_moment_names_the_lead_of_then(org):
    """Only the SQL twin knows the history: the lead of a past moment; successors and
    manager are today's."""
    before_handover = timezone.now()
    assignment_end(assignment=org.lead, ended_by=org.hr)
    org.maya.is_active = False
    org.maya.save()
    now = {d.slug: d.escalation_role for d in escalation_annotated()}
    assert now["platform"] is None  # no lead, no successor, manager inactive
    then = {d.slug: d.escalation_person_id for d in escalation_annotated(at=before_handover)}
    assert then["platform"] == org.lea.pk
    assert TechLeadAssignment.objects.filter(department=org.platform).count() == 1
