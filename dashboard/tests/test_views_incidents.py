"""Incidents: the log and who to call in the viewer's scope, logging and resolving, who may
do either, bad input, the department page's figures and links, bounded queries."""

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body, local, new, section
from techleads.models import Incident
from techleads.services import incident_record, successor_nominate

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:incidents")
CREATE = reverse("dashboard:incident_create")
LOG_FORM = "Log an incident"


def log_table(page: str) -> str:
    """The incident log (the page's last table)."""
    return page.rsplit("<tbody>", 1)[1].split("</tbody>", 1)[0]


def resolve_url(incident) -> str:
    return reverse("dashboard:incident_resolve", args=[incident.pk])


@pytest.fixture
def incidents(org):
    """An open Platform outage (Lea's), an open Data outage (HR's) and a resolved Platform
    incident with its post-mortem."""
    now = timezone.now()
    return {
        "platform": incident_record(
            actor=org.lea.user,
            department=org.platform,
            title="Platform outage",
            severity="sev2",
            started_at=now - timedelta(hours=1),
            handled_by=org.ian,
        ),
        "data": incident_record(
            actor=org.hr,
            department=org.data,
            title="Data outage",
            severity="sev1",
            started_at=now - timedelta(hours=2),
        ),
        "resolved": incident_record(
            actor=org.lea.user,
            department=org.platform,
            title="Slow builds",
            severity="sev4",
            started_at=now - timedelta(days=3),
            resolved_at=now - timedelta(days=2),
            postmortem_url="https://wiki.example.com/pm/slow-builds",
        ),
    }


def log(client, org, **fields):
    data = {
        "department": org.platform.pk,
        "title": "Queue backlog",
        "severity": "sev3",
        "started_at": local(timezone.now() - timedelta(hours=3)),
        **fields,
    }
    return client.post(CREATE, new(**data))


# Who sees what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, org, incidents):
    for response in (
        client.get(LIST),
        log(client, org),
        client.post(resolve_url(incidents["platform"])),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Incident.objects.count() == 3
    assert Incident.objects.get(pk=incidents["platform"].pk).resolved_at is None


def test_the_log_shows_the_incidents_in_the_viewer_s_scope(client, org, incidents):
    platform = ["Platform outage", "Slow builds"]
    for user, shown, hidden in (
        (org.ian.user, platform, ["Data outage"]),
        (org.maya.user, platform, ["Data outage"]),
        (org.max.user, ["Data outage"], platform),
        (org.hr, [*platform, "Data outage"], []),
        (org.nobody, [], [*platform, "Data outage"]),
    ):
        client.force_login(user)
        table = log_table(body(client.get(LIST)))
        assert all(title in table for title in shown), user
        assert not any(title in table for title in hidden), user


def test_the_log_shows_severity_handler_and_post_mortem(client, org, incidents):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    outage = page.split(">Platform outage</th>", 1)[1].split("</tr>", 1)[0]
    assert "SEV2 – major" in outage and "Ian Engineer" in outage and "Open" in outage
    slow = page.split(">Slow builds</th>", 1)[1].split("</tr>", 1)[0]
    assert 'href="https://wiki.example.com/pm/slow-builds"' in slow and "Open" not in slow


def test_who_to_call_now_follows_the_escalation_chain(client, org, incidents):
    client.force_login(org.hr)
    on_call = section(body(client.get(LIST)), "oncall-heading")
    platform = on_call.split(">Platform</a>", 1)[1].split("</tr>", 1)[0]
    assert "Lea Lead" in platform and "Tech Lead" in platform and "No Tech Lead" not in platform
    data = on_call.split(">Data</a>", 1)[1].split("</tr>", 1)[0]
    assert "Max Manager" in data and "Manager" in data and "No Tech Lead" in data
    # A ready successor comes before the manager.
    successor_nominate(department=org.data, person=org.dana, actor=org.hr, readiness="ready_now")
    on_call = section(body(client.get(LIST)), "oncall-heading")
    data = on_call.split(">Data</a>", 1)[1].split("</tr>", 1)[0]
    assert "Dana Data" in data and "Ready successor" in data


def test_a_manager_is_told_whom_to_call_in_their_departments_only(client, org, incidents):
    client.force_login(org.maya.user)
    on_call = section(body(client.get(LIST)), "oncall-heading")
    assert ">Platform</a>" in on_call and "Lea Lead" in on_call
    assert ">Data</a>" not in on_call and "Max Manager" not in on_call


# Who may act ---------------------------------------------------------------------------


def test_the_log_form_is_offered_to_hr_managers_and_the_tech_lead(client, org, incidents):
    for user, offered in (
        (org.hr, True),
        (org.lea.user, True),
        (org.maya.user, True),
        (org.max.user, True),
        (org.ian.user, False),
        (org.nobody, False),
    ):
        client.force_login(user)
        assert (LOG_FORM in body(client.get(LIST))) is offered, user


def test_the_resolve_button_is_offered_to_those_who_may_resolve(client, org, incidents):
    button = f'action="{resolve_url(incidents["platform"])}"'
    for user, offered in (
        (org.hr, True),
        (org.lea.user, True),
        (org.maya.user, True),
        (org.ian.user, False),
    ):
        client.force_login(user)
        page = body(client.get(LIST))
        assert (button in page) is offered, user
        assert f'action="{resolve_url(incidents["resolved"])}"' not in page


def test_a_manager_logs_only_for_their_departments(client, org, incidents):
    client.force_login(org.maya.user)
    page = body(client.get(LIST))
    form = page[page.index(LOG_FORM) :]
    assert f'<option value="{org.platform.pk}">Platform</option>' in form
    assert f'<option value="{org.data.pk}">' not in form
    response = log(client, org, department=org.data.pk)
    assert response.status_code == 200 and "Select a valid choice" in body(response)
    assert Incident.objects.count() == 3


@pytest.mark.parametrize("who", ["ian", "nobody"])
def test_logging_without_the_role_is_a_403_and_writes_nothing(client, org, who):
    client.force_login(org.nobody if who == "nobody" else org.ian.user)
    assert log(client, org).status_code == 403
    assert not Incident.objects.exists()


def test_resolving_without_the_role_is_a_403_and_changes_nothing(client, org, incidents):
    incident = incidents["platform"]
    client.force_login(org.ian.user)  # sees Platform's log, does not run it
    assert client.post(resolve_url(incident)).status_code == 403
    client.force_login(org.max.user)  # does not see it at all
    assert client.post(resolve_url(incident)).status_code == 404
    assert client.post(reverse("dashboard:incident_resolve", args=[999999])).status_code == 404
    incident.refresh_from_db()
    assert incident.resolved_at is None


def test_posts_need_the_csrf_token(org, incidents):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.lea.user)
    incident = incidents["platform"]
    assert client.post(resolve_url(incident)).status_code == 403
    assert log(client, org).status_code == 403
    incident.refresh_from_db()
    assert incident.resolved_at is None and Incident.objects.count() == 3
    client.get(LIST)  # the page sets the cookie its forms' token matches
    token = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    assert client.post(resolve_url(incident), token).status_code == 302
    incident.refresh_from_db()
    assert incident.resolved_at is not None


# Logging and resolving -----------------------------------------------------------------


def test_the_manager_logs_an_incident_then_resolves_it(client, org, incidents):
    client.force_login(org.maya.user)
    started = timezone.now() - timedelta(hours=3)
    response = log(client, org, started_at=local(started), handled_by=org.lea.pk, severity="sev1")
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST, {"open": "true"}))
    assert "Logged “Queue backlog”." in page
    assert "Queue backlog" in log_table(page)
    incident = Incident.objects.get(title="Queue backlog")
    assert (incident.department, incident.severity, incident.handled_by) == (
        org.platform,
        "sev1",
        org.lea,
    )
    assert incident.resolved_at is None and local(incident.started_at) == local(started)

    response = client.post(resolve_url(incident))
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST, {"open": "true"}))
    assert "Resolved “Queue backlog”." in page
    assert "Queue backlog" not in log_table(page)
    incident.refresh_from_db()
    assert incident.started_at < incident.resolved_at <= timezone.now()


def test_resolving_records_the_post_mortem(client, org, incidents):
    client.force_login(org.lea.user)
    incident = incidents["platform"]
    client.post(resolve_url(incident), {"postmortem_url": "https://wiki.example.com/pm/1"})
    incident.refresh_from_db()
    assert incident.resolved_at is not None
    assert incident.postmortem_url == "https://wiki.example.com/pm/1"


def test_resolving_twice_keeps_the_first_resolution(client, org, incidents):
    """A second click, or a stale page, does not move the time the incident ended."""
    client.force_login(org.lea.user)
    incident = incidents["resolved"]
    resolved_at = incident.resolved_at
    response = client.post(resolve_url(incident), follow=True)
    assert response.status_code == 200
    assert "“Slow builds” is already resolved." in body(response)
    incident.refresh_from_db()
    assert incident.resolved_at == resolved_at


def test_hr_logs_for_any_department(client, org):
    client.force_login(org.hr)
    log(client, org, department=org.data.pk, title="Warehouse down")
    assert Incident.objects.get(title="Warehouse down").department == org.data


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"severity": "sev9"}, "Select a valid choice. sev9 is not one of"),
        ({"started_at": "this morning"}, "Enter a valid date/time."),
        ({"postmortem_url": "not a url"}, "Enter a valid URL."),
        ({"handled_by": "dana"}, "Select a valid choice."),  # out of Maya's scope
    ],
)
def test_a_bad_incident_is_shown_with_its_error_and_nothing_is_written(client, org, fields, error):
    if fields.get("handled_by") == "dana":
        fields["handled_by"] = org.dana.pk
    client.force_login(org.maya.user)
    response = log(client, org, **fields)
    assert response.status_code == 200
    page = body(response)
    assert error in page and LOG_FORM in page
    assert not Incident.objects.exists()


def test_resolving_before_the_start_shows_the_refusal(client, org):
    """An incident logged as starting later (a planned maintenance) cannot end now."""
    incident = incident_record(
        actor=org.lea.user,
        department=org.platform,
        title="Planned failover",
        severity="sev4",
        started_at=timezone.now() + timedelta(hours=2),
    )
    client.force_login(org.lea.user)
    response = client.post(resolve_url(incident), follow=True)
    assert response.status_code == 200
    assert "An incident cannot be resolved before it starts." in body(response)
    incident.refresh_from_db()
    assert incident.resolved_at is None


def test_a_bad_post_mortem_link_is_refused_and_the_incident_stays_open(client, org, incidents):
    client.force_login(org.lea.user)
    incident = incidents["platform"]
    response = client.post(resolve_url(incident), {"postmortem_url": "wiki"}, follow=True)
    assert response.status_code == 200 and "Enter a valid URL." in body(response)
    incident.refresh_from_db()
    assert incident.resolved_at is None and incident.postmortem_url == ""


def test_the_log_filters_by_department_severity_and_open(client, org, incidents):
    client.force_login(org.hr)
    table = log_table(body(client.get(LIST, {"open": "true"})))
    assert "Platform outage" in table and "Data outage" in table and "Slow builds" not in table
    table = log_table(body(client.get(LIST, {"severity": "sev1"})))
    assert "Data outage" in table and "Platform outage" not in table
    table = log_table(body(client.get(LIST, {"department": org.platform.pk})))
    assert "Platform outage" in table and "Data outage" not in table


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"department": "abc"}, "No department with id or slug"),
        ({"severity": "nonsense"}, "Select a valid choice. nonsense is not one of"),
    ],
)
def test_a_malformed_filter_is_a_field_error_not_a_500(client, org, incidents, query, error):
    client.force_login(org.hr)
    response = client.get(LIST, query)
    assert response.status_code == 200
    page = body(response)
    assert error in page and 'role="alert"' in page
    assert "Platform outage" in page and "Data outage" in page  # filters nothing


# Where the log is reached from ---------------------------------------------------------


def test_the_department_page_says_who_to_call_and_links_open_incidents(client, org, incidents):
    client.force_login(org.hr)
    page = body(client.get(reverse("dashboard:department", args=[org.platform.pk])))
    work = section(page, "work-heading")
    assert '<strong>Who to call now:</strong> <a class="person"' in work
    assert ">Lea Lead</a> (Tech Lead)" in work  # linked to her person page
    link = f"/incidents/?department={org.platform.pk}&amp;open=true"
    assert f'<a href="{link}">1 open incident</a>' in work
    table = log_table(body(client.get(unescape(link))))
    assert "Platform outage" in table
    assert "Slow builds" not in table and "Data outage" not in table

    page = body(client.get(reverse("dashboard:department", args=[org.data.pk])))
    work = section(page, "work-heading")
    assert ">Max Manager</a> (Manager)" in work


# Cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "queries"), [("hr", 13), ("lea", 19)])  # + who-to-call, names
def test_the_log_runs_the_same_queries_at_any_size(
    client, org, incidents, grow, django_assert_num_queries, who, queries
):
    """session, user, HR group check, (Lea: her person), the filter's departments,
    (Lea: the departments she leads), the departments the viewer may resolve in, who to
    call in each department (one query), those people, (Lea: the departments whose page
    opens for her, read once to link their names; and those whose people she sees, for
    the person links), count, whether the viewer may log
    any, the page's incidents with department and handler, then the log form's choices:
    departments, handlers."""
    client.force_login(org.hr if who == "hr" else org.lea.user)
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200
    grow(10)  # 10 more departments to call someone in
    now = timezone.now()
    for i in range(30):  # more than a page
        incident_record(
            actor=org.hr,
            department=org.data if i % 2 else org.platform,
            title=f"Incident {i}",
            severity="sev3",
            started_at=now - timedelta(hours=i + 1),
            resolved_at=now if i % 3 else None,
            handled_by=org.dana if i % 2 else org.ian,
        )
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200
