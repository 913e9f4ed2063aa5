"""The person page: scope (the API's people scope, out of scope is a 404), what it shows,
names linked to it wherever the viewer may open it, and bounded queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body, section
from departments.tests.factories import DepartmentFactory, PersonFactory
from sops.services import document_create
from techleads.constants import Attendance
from techleads.models import TechSessionInvite
from techleads.services import (
    assignment_end,
    improvement_project_create,
    improvement_task_create,
    successor_nominate,
    tech_session_schedule,
)

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("dashboard:person", args=[person.pk])


def as_(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("viewer", "visible", "hidden"),
    [
        ("hr", ["lea", "ian", "jo", "dana", "max"], []),
        ("maya", ["lea", "ian", "jo", "maya"], ["dana", "max"]),  # manager of Platform
        ("max", ["dana", "max"], ["lea", "ian"]),  # manager of Data
        ("lea", ["lea", "ian", "jo", "maya"], ["dana"]),  # Tech Lead of Platform
        ("ian", ["ian"], ["lea", "jo", "dana"]),  # employee: themself only
    ],
)
def test_the_page_opens_in_the_api_people_scope_only(client, org, viewer, visible, hidden):
    user = org.hr if viewer == "hr" else getattr(org, viewer).user
    as_(client, user)
    for name in visible:
        assert client.get(url(getattr(org, name))).status_code == 200, name
    for name in hidden:
        assert client.get(url(getattr(org, name))).status_code == 404, name
    assert client.get(reverse("dashboard:person", args=[999999])).status_code == 404


def test_a_login_without_a_person_sees_nobody_and_anonymous_logs_in(client, org):
    assert client.get(url(org.ian)).status_code == 302
    as_(client, org.nobody)
    assert client.get(url(org.ian)).status_code == 404


def test_the_page_shows_ladder_verdict_roles_history_and_nominations(client, org):
    successor_nominate(department=org.platform, person=org.ian, actor=org.hr, readiness="ready_now")
    page = body(as_(client, org.hr).get(url(org.lea)))
    assert "<title>Lea Lead · Tech Lead management</title>" in page
    position = section(page, "position-heading")
    assert "Individual Contributor" in position and "<strong>Level:</strong> 4" in position
    assert "verdict-eligible" in position
    roles = section(page, "roles-heading")
    assert "Tech Lead of:</strong> <a href" in roles and ">Platform</a> since" in roles
    assert "Knows the platform" not in roles  # the reason is the department page's

    page = body(client.get(url(org.ian)))
    assert "Successor for" in section(page, "succession-heading")
    assert "Ready now" in section(page, "succession-heading")
    assert "nominated Ian Engineer as successor for" in section(page, "audit-heading")

    page = body(client.get(url(org.jo)))
    assert "verdict-ineligible" in page and "cannot be assigned without an HR override" in page
    assert "below Level 3" in section(page, "position-heading")  # the verdict's sentence


def test_an_ended_role_is_history_with_its_audit_sentences(client, org):
    assignment_end(assignment=org.lead, ended_by=org.hr, reason="Moved on")
    page = body(as_(client, org.hr).get(url(org.lea)))
    roles = section(page, "roles-heading")
    assert "Tech Lead of:</strong> no department" in roles
    assert " · Moved on" in roles
    audit = section(page, "audit-heading")
    assert "assigned Lea Lead as Tech Lead of" in audit
    assert "ended Lea Lead&#x27;s role as Tech Lead of" in audit


def test_the_page_lists_what_they_own_attend_and_must_acknowledge(client, org):
    now = timezone.now()
    document_create(actor=org.hr, title="Deploy runbook", kind="sop", department=org.platform)
    document_create(
        actor=org.hr,
        title="Incident process",
        kind="cross_department_process",
        department=org.data,
        owner=org.dana,
        involved_departments=[org.platform, org.data],
    )
    project = improvement_project_create(
        actor=org.hr, department=org.platform, name="Less toil", owner=org.lea
    )
    improvement_task_create(actor=org.hr, project=project, title="Script it", assignee=org.lea)
    tech_session_schedule(
        actor=org.hr,
        department=org.platform,
        topic="Kubernetes 101",
        scheduled_for=now + timedelta(days=3),
        presenter=org.lea,
    )
    past = tech_session_schedule(
        actor=org.hr,
        department=org.platform,
        topic="Postgres tuning",
        scheduled_for=now - timedelta(days=3),
        invitees=[org.lea],
    )
    TechSessionInvite.objects.filter(session=past).update(attendance=Attendance.PRESENT)

    page = body(as_(client, org.lea.user).get(url(org.lea)))
    owns = section(page, "owns-heading")
    assert "Deploy runbook</a>" in owns and "Less toil" in owns
    assert "Script it" in owns and "Kubernetes 101</a>" in owns
    assert "Postgres tuning</a>" in section(page, "attended-heading")
    assert "Incident process</a>" in section(page, "pending-heading")


def test_the_transfer_link_is_hr_only(client, org):
    from dashboard import people

    if not people.HAS_CONTINUITY:
        pytest.skip("the continuity app is not installed yet")
    page = body(as_(client, org.hr).get(url(org.lea)))
    assert "What they hold" in page and f"/people/{org.lea.pk}/transfer/" in page
    page = body(as_(client, org.maya.user).get(url(org.lea)))
    assert f"/people/{org.lea.pk}/transfer/" not in page


def test_names_link_to_the_person_page_only_within_scope(client, org):
    department = reverse("dashboard:department", args=[org.platform.pk])
    page = body(as_(client, org.maya.user).get(department))
    assert f'href="{url(org.ian)}">Ian Engineer</a>' in page
    assert f'href="{url(org.lea)}">Lea Lead</a>' in page
    # An employee sees their colleagues' names on the sessions' invitee lists unlinked.
    session = tech_session_schedule(
        actor=org.hr,
        department=org.platform,
        topic="Demo day",
        scheduled_for=timezone.now() + timedelta(days=1),
        presenter=org.lea,
        invitees=[org.ian, org.jo],
    )
    page = body(as_(client, org.ian.user).get(reverse("dashboard:session", args=[session.pk])))
    assert f'href="{url(org.ian)}">Ian Engineer</a>' in page
    assert "Jo Junior" in page and f'href="{url(org.jo)}"' not in page
    assert f'href="{url(org.lea)}"' not in page


def grow_person(org, n: int) -> None:
    """n more of everything the page lists, held by Lea: documents, projects, tasks,
    sessions presented and attended, processes to acknowledge, and audit entries."""
    now = timezone.now()
    for i in range(n):
        other = DepartmentFactory()
        PersonFactory(department=other)
        document_create(actor=org.hr, title=f"Lea's doc {i}", kind="sop", department=org.platform)
        document_create(
            actor=org.hr,
            title=f"Process {i}",
            kind="cross_department_process",
            department=other,
            involved_departments=[org.platform, other],
        )
        project = improvement_project_create(
            actor=org.hr, department=org.platform, name=f"Project {i}", owner=org.lea
        )
        improvement_task_create(actor=org.hr, project=project, title=f"T{i}", assignee=org.lea)
        session = tech_session_schedule(
            actor=org.hr,
            department=org.platform,
            topic=f"Session {i}",
            scheduled_for=now + timedelta(days=i + 1),
            presenter=org.lea,
            invitees=[org.lea],
        )
        TechSessionInvite.objects.filter(session=session).update(attendance=Attendance.PRESENT)
        successor_nominate(
            department=org.platform,
            person=org.ian,
            actor=org.hr,
            readiness="developing",
            notes=f"Round {i}",
        )


@pytest.mark.parametrize(("viewer", "queries"), [("hr", 16), ("maya", 19)])
def test_the_page_runs_the_same_queries_at_any_size(
    client, org, viewer, queries, django_assert_num_queries
):
    """session, user, HR group check, (a manager: their person), the person, assignments,
    the verdict's rule, departments managed, nominations, documents, projects with task
    counts, open tasks, sessions presented, sessions attended, pending processes, audit
    entries, holdings (one UNION), (a manager: the navigation's succession link, the
    departments they see, for the links)."""
    user = org.hr if viewer == "hr" else org.maya.user
    as_(client, user)
    for size in (3, 12):
        grow_person(org, size)
        with django_assert_num_queries(queries):
            page = body(client.get(url(org.lea)))
        assert page.count("<li>") >= 10


# Refusals that say what to do next -----------------------------------------------------


def test_an_ineligible_choice_is_refused_with_the_way_to_override(hr_client, org):
    junior = PersonFactory(full_name="June Junior", department=org.data, level=2)
    assign = reverse("dashboard:assign", args=[org.data.pk])
    page = body(hr_client.post(assign, {"person": junior.pk, "reason": "Keen"}))
    assert "below Level 3 cannot be Tech Leads yet" in page  # the verdict's reason
    assert "To assign June Junior anyway, say here why the rules should not apply" in page
    assert 'name="override_reason"' in page and "autofocus" in page
    page = body(
        hr_client.post(
            assign,
            {"person": junior.pk, "reason": "Keen", "override_reason": "Only one who knows it"},
            follow=True,
        )
    )
    assert "June Junior is now the Tech Lead of Data." in page


def test_an_eligible_choice_refused_for_another_reason_has_no_override_hint(hr_client, org):
    assign = reverse("dashboard:assign", args=[org.platform.pk])  # Platform has a lead
    page = body(hr_client.post(assign, {"person": org.ian.pk, "reason": "Keen"}))
    assert "already has an active Tech Lead" in page and "anyway" not in page


def test_ending_an_assignment_asks_to_be_confirmed(hr_client, org):
    end = reverse("dashboard:end", args=[org.platform.pk])
    page = body(hr_client.post(end, {"reason": "Reorg"}))
    assert "Tick the box to confirm. Nothing was ended" in page
    org.lead.refresh_from_db()
    assert org.lead.ended_at is None
    hr_client.post(end, {"reason": "Reorg", "confirm": "on"})
    org.lead.refresh_from_db()
    assert org.lead.ended_at is not None


def test_a_refused_role_is_told_whom_to_ask(client, org):
    client.force_login(org.maya.user)  # a manager cannot assign
    response = client.post(
        reverse("dashboard:assign", args=[org.platform.pk]), {"person": org.ian.pk}
    )
    page = body(response)
    assert response.status_code == 403
    assert "Your role cannot do this." in page and "What to do next" in page
    assert "HR assigns, ends and hands over Tech Leads" in page


def test_the_assign_form_is_a_picker_with_eligible_people_first(hr_client, org):
    page = body(hr_client.get(reverse("dashboard:department", args=[org.platform.pk])))
    lead_form = page.split("Hand over to a successor", 1)[1].split("</form>", 1)[0]
    assert 'data-picker="one"' in lead_form
    assert lead_form.index("Ian Engineer") < lead_form.index("Jo Junior")  # eligible first
    assert 'data-verdict="ineligible"' in lead_form and 'data-verdict="eligible"' in lead_form
