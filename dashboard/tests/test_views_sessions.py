"""Tech sessions: the list and a session's page, scheduling and recording, who may do
either, bad input, the department page's and the overview's links, bounded queries."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body, local, new, section
from techleads.models import TechSession
from techleads.services import tech_session_record, tech_session_schedule

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:sessions")
SCHEDULE = reverse("dashboard:session_schedule")
SCHEDULE_FORM = "Schedule a tech session"
RECORD_FORM = "Record the session"


def record_url(session) -> str:
    return reverse("dashboard:session_record", args=[session.pk])


def session_url(session) -> str:
    return reverse("dashboard:session", args=[session.pk])


def held(time_machine, session) -> None:
    """The clock moves to an hour after the session's start, for the rest of the test: only
    a session that has started is recorded as held. Log in afterwards: sessions end idle."""
    time_machine.move_to(session.scheduled_for + timedelta(hours=1))


@pytest.fixture
def sessions(org):
    """A Platform session (Lea's, Ian invited) and a Data session (HR's, Dana invited)."""
    soon = timezone.now() + timedelta(days=2)
    return {
        "platform": tech_session_schedule(
            actor=org.lea.user,
            department=org.platform,
            topic="Platform deploys",
            scheduled_for=soon,
            invitees=[org.ian],
            mandatory=[org.jo],
        ),
        "data": tech_session_schedule(
            actor=org.hr,
            department=org.data,
            topic="Data pipelines",
            scheduled_for=soon,
            invitees=[org.dana],
        ),
    }


# Who sees what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, sessions):
    for url in (LIST, session_url(sessions["platform"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(SCHEDULE, new(topic="Anonymous"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert TechSession.objects.count() == 2


def test_the_list_shows_the_sessions_in_the_viewer_s_scope(client, org, sessions):
    for user, shown, hidden in (
        (org.ian.user, ["Platform deploys"], ["Data pipelines"]),
        (org.maya.user, ["Platform deploys"], ["Data pipelines"]),
        (org.max.user, ["Data pipelines"], ["Platform deploys"]),
        (org.hr, ["Platform deploys", "Data pipelines"], []),
        (org.nobody, [], ["Platform deploys", "Data pipelines"]),
    ):
        client.force_login(user)
        page = body(client.get(LIST))
        assert all(topic in page for topic in shown), user
        assert not any(topic in page for topic in hidden), user


def test_a_session_out_of_scope_is_a_404(client, org, sessions):
    client.force_login(org.ian.user)
    assert client.get(session_url(sessions["platform"])).status_code == 200
    assert client.get(session_url(sessions["data"])).status_code == 404
    assert client.get(reverse("dashboard:session", args=[999999])).status_code == 404
    client.force_login(org.hr)
    assert client.get(session_url(sessions["data"])).status_code == 200


def test_an_invitee_from_another_department_sees_that_session(client, org, sessions):
    guest = tech_session_schedule(
        actor=org.hr,
        department=org.data,
        topic="Data for platform people",
        scheduled_for=timezone.now() + timedelta(days=3),
        invitees=[org.ian],
    )
    client.force_login(org.ian.user)
    page = body(client.get(LIST))
    assert "Data for platform people" in page and "Data pipelines" not in page
    assert client.get(session_url(guest)).status_code == 200


def test_the_session_page_lists_invitees_with_the_mandatory_flag(client, org, sessions):
    client.force_login(org.ian.user)
    page = body(client.get(session_url(sessions["platform"])))
    assert re.search(
        (
            r'Ian Engineer(?:</a>)?</th><td data-label="Mandatory">Optional</td>'
            r'<td data-label="Attendance">Invited</td>'
        ),
        page,
    )
    assert re.search(
        (
            r'Jo Junior(?:</a>)?</th><td data-label="Mandatory">Mandatory</td>'
            r'<td data-label="Attendance">Invited</td>'
        ),
        page,
    )


# Who may act ---------------------------------------------------------------------------


def test_the_schedule_form_is_offered_to_hr_and_the_tech_lead_only(client, org):
    for user, offered in (
        (org.hr, True),
        (org.lea.user, True),
        (org.maya.user, False),  # a manager does not run the lead's sessions
        (org.ian.user, False),
        (org.nobody, False),
    ):
        client.force_login(user)
        assert (SCHEDULE_FORM in body(client.get(LIST))) is offered, user


def test_the_lead_schedules_only_in_their_department(client, org):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    form = page[page.index(SCHEDULE_FORM) :]
    assert f'<option value="{org.platform.pk}">Platform</option>' in form
    assert f'<option value="{org.data.pk}">' not in form
    response = client.post(
        SCHEDULE,
        new(
            department=org.data.pk,
            topic="Not mine",
            scheduled_for=local(timezone.now() + timedelta(days=1)),
        ),
    )
    assert response.status_code == 200 and "Select a valid choice" in body(response)
    assert not TechSession.objects.exists()


def test_the_record_form_is_offered_to_hr_and_the_tech_lead_only(client, org, sessions):
    url = session_url(sessions["platform"])
    for user, offered in (
        (org.hr, True),
        (org.lea.user, True),
        (org.maya.user, False),
        (org.ian.user, False),
    ):
        client.force_login(user)
        assert (RECORD_FORM in body(client.get(url))) is offered, user


@pytest.mark.parametrize("who", ["ian", "maya", "nobody"])
def test_scheduling_without_the_role_is_a_403_and_writes_nothing(client, org, who):
    user = org.nobody if who == "nobody" else getattr(org, who).user
    client.force_login(user)
    response = client.post(
        SCHEDULE,
        new(
            department=org.platform.pk,
            topic="Sneaky",
            scheduled_for=local(timezone.now() + timedelta(days=1)),
        ),
    )
    assert response.status_code == 403
    assert not TechSession.objects.exists()


@pytest.mark.parametrize("who", ["ian", "maya"])
def test_recording_without_the_role_is_a_403_and_changes_nothing(client, org, sessions, who):
    client.force_login(getattr(org, who).user)
    session = sessions["platform"]
    response = client.post(record_url(session), {"status": "cancelled"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_recording_a_session_out_of_scope_is_a_404(client, org, sessions):
    client.force_login(org.lea.user)
    session = sessions["data"]
    assert client.post(record_url(session), {"status": "cancelled"}).status_code == 404
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_posts_need_the_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.lea.user)
    data = new(
        department=org.platform.pk,
        topic="With a token",
        scheduled_for=local(timezone.now() + timedelta(days=1)),
    )
    assert client.post(SCHEDULE, data).status_code == 403
    assert not TechSession.objects.exists()
    client.get(LIST)  # the page sets the cookie its form's token matches
    token = client.cookies["csrftoken"].value
    assert client.post(SCHEDULE, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert TechSession.objects.filter(topic="With a token").exists()


# Scheduling and recording --------------------------------------------------------------


def test_the_lead_schedules_a_session_with_invites(client, org):
    client.force_login(org.lea.user)
    when = timezone.now() + timedelta(days=1)
    response = client.post(
        SCHEDULE,
        new(
            department=org.platform.pk,
            topic="Reading the dashboards",
            scheduled_for=local(when),
            presenter=org.lea.pk,
            link="https://confluence.example.com/slides",
            invitees=[org.ian.pk, org.jo.pk],
            mandatory=[org.jo.pk],
        ),
    )
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST))
    assert "Scheduled “Reading the dashboards”." in page
    session = TechSession.objects.get(topic="Reading the dashboards")
    assert (session.department, session.presenter, session.status) == (
        org.platform,
        org.lea,
        "scheduled",
    )
    assert dict(session.invites.values_list("person_id", "mandatory")) == {
        org.ian.pk: False,
        org.jo.pk: True,
    }
    assert local(session.scheduled_for) == local(when)


def test_hr_schedules_for_any_department(client, org):
    client.force_login(org.hr)
    client.post(
        SCHEDULE,
        new(
            department=org.data.pk,
            topic="Warehouse tour",
            scheduled_for=local(timezone.now() + timedelta(days=1)),
            mandatory=[org.dana.pk],
        ),
    )
    session = TechSession.objects.get(topic="Warehouse tour")
    assert session.department == org.data
    assert list(session.invites.values_list("person_id", "mandatory")) == [(org.dana.pk, True)]


def test_recording_a_held_session_marks_present_and_absent(client, org, sessions, time_machine):
    session = sessions["platform"]
    held(time_machine, session)
    client.force_login(org.lea.user)  # after the wait: an idle login has ended by then
    response = client.post(
        record_url(session),
        {"status": "completed", "present": [org.ian.pk], "link": "https://example.com/rec"},
    )
    assert response.status_code == 302 and response["Location"] == session_url(session)
    page = body(client.get(session_url(session)))
    assert "Recorded as completed." in page and RECORD_FORM not in page
    assert re.search(
        (
            r'Ian Engineer(?:</a>)?</th><td data-label="Mandatory">Optional</td>'
            r'<td data-label="Attendance">Present</td>'
        ),
        page,
    )
    assert re.search(
        (
            r'Jo Junior(?:</a>)?</th><td data-label="Mandatory">Mandatory</td>'
            r'<td data-label="Attendance">Absent</td>'
        ),
        page,
    )
    session.refresh_from_db()
    assert (session.status, session.link) == ("completed", "https://example.com/rec")
    # The list counts the invited and the present.
    row = body(client.get(LIST)).split("Platform deploys", 1)[1].split("</tr>", 1)[0]
    assert '<td data-label="Invited">2</td><td data-label="Present">1</td>' in row


def test_cancelling_a_session_records_no_attendance(client, org, sessions):
    client.force_login(org.hr)
    session = sessions["platform"]
    client.post(record_url(session), {"status": "cancelled", "confirm_cancel": "on"})
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert set(session.invites.values_list("attendance", flat=True)) == {"invited"}


def test_recording_twice_shows_the_refusal_on_the_page(client, org, sessions, time_machine):
    session = sessions["platform"]
    held(time_machine, session)
    client.force_login(org.lea.user)  # after the wait: an idle login has ended by then
    client.post(record_url(session), {"status": "completed", "present": [org.ian.pk]})
    response = client.post(
        record_url(session), {"status": "cancelled", "present": [], "confirm_cancel": "on"}
    )
    assert response.status_code == 200
    assert "This session is already completed." in body(response)
    session.refresh_from_db()
    assert session.status == "completed"
    assert dict(session.invites.values_list("person_id", "attendance")) == {
        org.ian.pk: "present",
        org.jo.pk: "absent",
    }


def test_a_session_that_has_not_started_is_offered_only_for_cancelling(client, org, sessions):
    client.force_login(org.lea.user)
    session = sessions["platform"]  # in two days
    record = section(body(client.get(session_url(session))), "record-heading")
    assert "has not started yet" in record
    assert timezone.localtime(session.scheduled_for).strftime("%Y-%m-%d %H:%M") in record
    assert 'name="status" value="cancelled"' in record and "Cancel the session" in record
    assert "Held" not in record and 'name="present"' not in record


def test_a_session_is_offered_for_recording_as_held_once_it_has_started(
    client, org, sessions, time_machine
):
    session = sessions["platform"]
    held(time_machine, session)
    client.force_login(org.lea.user)  # after the wait: an idle login has ended by then
    record = section(body(client.get(session_url(session))), "record-heading")
    assert '<option value="completed">Held</option>' in record and 'name="present"' in record
    assert "has not started yet" not in record


def test_recording_a_future_session_as_held_is_refused_on_the_page(client, org, sessions):
    """A form from before (or a hand-made post) is refused with the reason, on the status."""
    client.force_login(org.lea.user)
    session = sessions["platform"]
    response = client.post(record_url(session), {"status": "completed", "present": [org.ian.pk]})
    assert response.status_code == 200
    record = section(body(response), "record-heading")
    assert re.search(r'<p class="error" role="alert">This session has not started yet', record)
    session.refresh_from_db()
    assert session.status == "scheduled"
    assert set(session.invites.values_list("attendance", flat=True)) == {"invited"}


def test_cancelling_asks_to_be_confirmed_and_changes_nothing_until_then(client, org, sessions):
    client.force_login(org.lea.user)
    session = sessions["platform"]
    page = section(body(client.get(session_url(session))), "record-heading")
    assert 'name="confirm_cancel"' in page and "cannot be undone" in page
    response = client.post(record_url(session), {"status": "cancelled"})
    assert response.status_code == 200
    assert "Tick the box to confirm. Nothing was cancelled" in body(response)
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_a_future_session_is_cancelled_from_its_page(client, org, sessions):
    client.force_login(org.lea.user)
    session = sessions["platform"]
    response = client.post(record_url(session), {"status": "cancelled", "confirm_cancel": "on"})
    assert response.status_code == 302 and response["Location"] == session_url(session)
    assert "Recorded as cancelled." in body(client.get(session_url(session)))
    session.refresh_from_db()
    assert session.status == "cancelled"


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"topic": ""}, "This field is required."),
        ({"topic": "   "}, "This field is required."),
        ({"link": "not a url"}, "Enter a valid URL."),
        ({"scheduled_for": "soon"}, "Enter a valid date/time."),
        ({"presenter": 999999}, "Select a valid choice."),
    ],
)
def test_a_bad_session_is_shown_with_its_error_and_nothing_is_scheduled(client, org, fields, error):
    client.force_login(org.lea.user)
    data = {
        "department": org.platform.pk,
        "topic": "Fine topic",
        "scheduled_for": local(timezone.now() + timedelta(days=1)),
        "invitees": [org.ian.pk],
        **fields,
    }
    response = client.post(SCHEDULE, new(**data))
    assert response.status_code == 200
    page = body(response)
    assert error in page and SCHEDULE_FORM in page
    assert not TechSession.objects.exists()


def test_several_bad_fields_are_shown_together_and_nothing_is_scheduled(client, org):
    """Every field's error at once, each announced to a screen reader."""
    client.force_login(org.lea.user)
    data = new(department=org.platform.pk, topic="", scheduled_for="soon", link="nope")
    response = client.post(SCHEDULE, data)
    assert response.status_code == 200
    page = body(response)
    for error in ("This field is required.", "Enter a valid date/time.", "Enter a valid URL."):
        assert error in page, error
    assert page.count('role="alert"') >= 3
    assert not TechSession.objects.exists()


def test_a_bad_record_is_shown_with_its_error_and_changes_nothing(client, org, sessions):
    client.force_login(org.lea.user)
    session = sessions["platform"]
    for data, error in (
        ({"status": "completed", "link": "nope"}, "Enter a valid URL."),
        ({"status": "scheduled"}, "Select a valid choice."),
        ({"status": "completed", "present": [org.dana.pk]}, "Select a valid choice."),
    ):
        response = client.post(record_url(session), data)
        assert response.status_code == 200 and error in body(response), data
    session.refresh_from_db()
    assert session.status == "scheduled"
    assert set(session.invites.values_list("attendance", flat=True)) == {"invited"}


def test_the_list_filters_by_department_and_status(client, org, sessions, time_machine):
    held(time_machine, sessions["data"])
    tech_session_record(actor=org.hr, session=sessions["data"], status="completed")
    client.force_login(org.hr)
    page = body(client.get(LIST, {"status": "completed"}))
    assert "Data pipelines" in page and "Platform deploys" not in page
    page = body(client.get(LIST, {"department": org.platform.pk}))
    assert "Platform deploys" in page and "Data pipelines" not in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"department": "abc"}, 'id="id_department"'),
        ({"status": "nonsense"}, "Select a valid choice. nonsense is not one of"),
    ],
)
def test_a_malformed_filter_is_a_field_error_not_a_500(client, org, sessions, query, error):
    client.force_login(org.hr)
    response = client.get(LIST, query)
    assert response.status_code == 200
    page = body(response)
    assert error in page and 'role="alert"' in page
    assert "Platform deploys" in page and "Data pipelines" in page  # filters nothing


# Where the list is reached from --------------------------------------------------------


def test_the_department_page_counts_sessions_held_and_links_the_next(client, org, sessions):
    held = tech_session_schedule(
        actor=org.lea.user,
        department=org.platform,
        topic="Incident review",
        scheduled_for=timezone.now() - timedelta(days=10),
        invitees=[org.ian],
    )
    tech_session_record(actor=org.lea.user, session=held, status="completed", present=[org.ian])
    tech_session_schedule(  # held long ago: not last quarter
        actor=org.lea.user,
        department=org.platform,
        topic="Ancient history",
        scheduled_for=timezone.now() - timedelta(days=200),
    )
    client.force_login(org.maya.user)
    page = body(client.get(reverse("dashboard:department", args=[org.platform.pk])))
    work = section(page, "work-heading")
    held_link = f"/sessions/?department={org.platform.pk}&amp;status=completed"
    assert f'<a href="{held_link}">1 tech session</a> held in the last quarter' in work
    next_link = session_url(sessions["platform"])
    assert f'next: <a href="{next_link}">Platform deploys</a>' in work
    listed = client.get(unescape(held_link))
    assert listed.status_code == 200
    assert "Incident review" in body(listed) and "Platform deploys" not in body(listed)
    assert client.get(next_link).status_code == 200


def test_every_link_of_the_overview_s_health_table_opens(client, org, sessions):
    """Each component of each department's score links to the list behind it."""
    client.force_login(org.hr)
    page = body(client.get("/"))
    table = section(page, "health-components")
    links = [unescape(href) for href in re.findall(r'<a href="([^"]+)"', table)]
    components = 7  # lead, succession, documentation, tooling, acknowledgements, tasks, sessions
    # Per department: its name, each component, and its sessions held last quarter.
    assert len(links) == 2 * (1 + components + 1)
    for department in (org.platform, org.data):
        assert f"/sessions/?department={department.pk}&status=completed" in links
        assert f"/improvement/?department={department.pk}&overdue=true" in links
        assert f"/processes/?involved_department={department.pk}" in links
    for link in set(links):
        assert client.get(link).status_code == 200, link


# Cost ----------------------------------------------------------------------------------


def _more_sessions(org, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        session = tech_session_schedule(
            actor=org.hr,
            department=org.data if i % 2 else org.platform,
            topic=f"Session {i}",
            scheduled_for=now - timedelta(days=i),
            presenter=org.lea,
            invitees=[org.ian, org.dana],
            mandatory=[org.jo],
        )
        if i % 3 == 0:
            tech_session_record(
                actor=org.hr, session=session, status="completed", present=[org.ian]
            )


@pytest.mark.parametrize(("who", "queries"), [("hr", 11), ("lea", 16)])
def test_the_list_runs_the_same_queries_at_any_size(
    client, org, sessions, grow, django_assert_max_num_queries, who, queries
):
    """At most: session, user, HR group check, (Lea: her person), the filter's departments, count,
    (Lea: the departments she leads), whether the viewer leads any, the page's sessions with
    department, presenter and counts in one query, (Lea: the departments whose page opens
    for her, read once to link their names; and those whose people she sees, to link
    names to person pages, once a page shows a presenter), then the schedule form's
    choices: departments, presenter, invitees, mandatory."""
    client.force_login(org.hr if who == "hr" else org.lea.user)
    with django_assert_max_num_queries(queries):
        assert client.get(LIST).status_code == 200
    grow(10)
    _more_sessions(org, 30)  # more than a page
    with django_assert_max_num_queries(queries):
        assert client.get(LIST).status_code == 200


def test_a_session_page_runs_the_same_queries_at_any_size(
    client, org, sessions, grow, django_assert_num_queries, time_machine
):
    """session, user, HR group check, Lea's person, the session with its department and
    presenter, the departments whose page opens for her (to link its name), the Tech Lead
    check, whether she manages a department (the succession link), the invites with their people,
    the departments whose people she sees (to link
    names to person pages), the record form's
    choices (the invitees: offered once the session has started)."""
    held(time_machine, sessions["platform"])
    client.force_login(org.lea.user)
    with django_assert_num_queries(11):
        assert client.get(session_url(sessions["platform"])).status_code == 200  # 2 invited
    grow(10)
    everyone = tech_session_schedule(  # 14 invited
        actor=org.hr,
        department=org.platform,
        topic="Everyone",
        scheduled_for=timezone.now(),
        invitees=list(org.platform.people.all()),
    )
    with django_assert_num_queries(11):
        assert client.get(session_url(everyone)).status_code == 200
