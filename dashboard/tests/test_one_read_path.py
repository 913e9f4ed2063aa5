"""One question, one answer: the API, the dashboard and the admin ask the same selector.

Each test asks one question through every face that shows it and compares the answers,
so a face that starts answering on its own fails here.
"""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from techleads.services import improvement_project_create, improvement_task_create

from .pages import body, section


def option_labels(page: str, select_name: str) -> list[str]:
    """The visible labels of a <select>'s options."""
    select = page.split(f'name="{select_name}"', 1)[1].split("</select>", 1)[0]
    return [unescape(label) for label in re.findall(r"<option[^>]*>([^<]+)</option>", select)]


def names_in_table(page: str, table_caption: str, names: list[str]) -> set[str]:
    table = page.split(table_caption, 1)[1].split("</table>", 1)[0]
    return {name for name in names if f">{name}<" in table}


def test_has_a_tech_lead_is_one_answer(api, client, hr_client, org):
    """Platform has a lead, Data has none: the same split in every face."""
    names = ["Platform", "Data"]
    for flag, expected in (("true", {"Platform"}), ("false", {"Data"})):
        listed = api("hr").get("/api/v1/departments/", {"has_tech_lead": flag}).json()
        assert {d["name"] for d in listed["results"]} == expected
        page = body(hr_client.get(reverse("dashboard:departments"), {"has_tech_lead": flag}))
        assert names_in_table(page, "Departments</caption>", names) == expected
        admin = body(
            hr_client.get(
                reverse("admin:departments_department_changelist"),
                {"has_lead": "yes" if flag == "true" else "no"},
            )
        )
        assert names_in_table(admin, 'id="result_list"', names) == expected


def test_who_may_lead_is_one_answer(api, hr_client, org):
    """The API's candidates are the members the admin and the dashboard label eligible."""
    url = f"/api/v1/departments/{org.platform.pk}/candidates/"
    api_names = {p["full_name"] for p in api("hr").get(url).json()["results"]}
    assert api_names == {"Maya Manager", "Lea Lead", "Ian Engineer"}

    page = body(hr_client.get(reverse("dashboard:department", args=[org.platform.pk])))
    handover = reverse("admin:techleads_techleadassignment_handover", args=[org.lead.pk])
    admin = body(hr_client.get(handover))
    for face in (page, admin):
        labels = [label for label in option_labels(face, "person") if "·" in label]
        eligible = {label.split(" (")[0] for label in labels if label.endswith("· eligible")}
        assert eligible == api_names
        # Every active member is offered (HR may override), each with its verdict.
        assert {label.split(" (")[0] for label in labels} == api_names | {"Jo Junior"}


def test_who_to_call_is_one_answer_for_an_employee(api, client, org):
    """Ian, an employee of Platform, is told to call Lea everywhere: the API, the department
    page and the incidents page (which used to say "outside your scope")."""
    escalation = api("ian").get(f"/api/v1/departments/{org.platform.pk}/escalation/").json()
    assert (escalation["role"], escalation["person"]["full_name"]) == ("tech_lead", "Lea Lead")
    client.force_login(org.ian.user)
    department = body(client.get(reverse("dashboard:department", args=[org.platform.pk])))
    assert "Who to call now:</strong> Lea Lead (Tech Lead)" in department
    incidents = body(client.get(reverse("dashboard:incidents")))
    on_call = incidents.split("Escalation point per department", 1)[1].split("</table>")[0]
    assert "Lea Lead" in on_call and "outside your scope" not in on_call


@pytest.mark.parametrize("time_zone", ["UTC", "Pacific/Auckland"])
def test_overdue_is_one_answer_whatever_the_time_zone(api, client, org, settings, time_zone):
    """At 13:00 UTC on 10 May it is already 11 May in Auckland: a task due on 10 May is
    overdue there. The health score used UTC's date and the lists the local one."""
    settings.TIME_ZONE = time_zone
    with time_machine.travel(datetime(2030, 5, 10, 13, 0, tzinfo=UTC), tick=False):
        project = improvement_project_create(actor=org.hr, department=org.platform, name="CI")
        improvement_task_create(
            actor=org.hr, project=project, title="Cache", due_date=date(2030, 5, 10)
        )
        expected = 1 if time_zone == "Pacific/Auckland" else 0
        listed = api("hr").get(
            "/api/v1/improvement-tasks/", {"department": org.platform.pk, "overdue": "true"}
        )
        assert listed.json()["count"] == expected
        client.force_login(org.hr)
        page = body(client.get(reverse("dashboard:improvement"), {"overdue": "true"}))
        assert (">Cache" in section(page, "tasks-heading")) == bool(expected)
        department = body(client.get(reverse("dashboard:department", args=[org.platform.pk])))
        assert f"{expected} overdue</a> of 1 open improvement task" in department
