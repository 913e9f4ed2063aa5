"""The defaults and details of the responsibilities pages: a new incident's severity is a
deliberate choice, SEV1 and SEV2 badges differ (and stay readable), Jira keys link and
never wrap, the capacity period's fields show the period shown, removing an allocation
asks first, and the processes page names who has not acknowledged yet."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body, local, new, section
from departments.tests.factories import PersonFactory
from sops.services import document_create, process_acknowledge
from techleads.models import Allocation, ImprovementTask
from techleads.selectors import month_bounds
from techleads.services import (
    allocation_set,
    improvement_project_create,
    improvement_task_create,
)

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"


# 1. A new incident's severity ----------------------------------------------------------


def test_a_new_incident_has_no_severity_until_one_is_chosen(client, org):
    client.force_login(org.lea.user)
    page = body(client.get(reverse("dashboard:incidents")))
    form = page[page.index("Log an incident") :]
    select = form.split('name="new-severity"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>Choose a severity…</option>' in select
    assert re.search(r'value="sev\d" selected', select) is None

    data = new(department=org.platform.pk, title="Pager storm", started_at=local(timezone.now()))
    response = client.post(reverse("dashboard:incident_create"), data)
    assert response.status_code == 200  # refused: the form again, nothing logged
    assert "This field is required." in body(response)
    assert not org.platform.incidents.exists()


# 2. SEV1 and SEV2 badges ---------------------------------------------------------------


def _rule(css: str, selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert block, selector
    return dict(
        (name.strip(), value.strip())
        for name, value in (d.split(":", 1) for d in block.group(1).split(";") if d.strip())
    )


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_sev1_and_sev2_badges_differ_and_keep_aa_contrast():
    css = CSS.read_text()
    sev1 = _rule(css, ".badge.severity-sev1")
    sev2 = _rule(css, ".badge.severity-sev2")
    assert sev1["background"] != sev2["background"]
    for rule in (sev1, sev2):
        assert contrast(rule["color"], rule["background"]) >= 4.5, rule


# 3. Jira keys --------------------------------------------------------------------------


def test_a_synced_task_s_jira_key_links_to_jira_and_never_wraps(client, org):
    project = improvement_project_create(
        actor=org.lea.user, department=org.platform, name="Toil", jira_key="TOIL"
    )
    task = improvement_task_create(actor=org.lea.user, project=project, title="Kill cron")
    url = "https://jira.example.com/browse/TOIL-1234"
    ImprovementTask.objects.filter(pk=task.pk).update(jira_issue_key="TOIL-1234", jira_url=url)
    client.force_login(org.lea.user)
    page = body(client.get(reverse("dashboard:improvement")))
    assert f'<a href="{url}" class="jira-key">TOIL-1234' in page
    assert '<span class="jira-key">TOIL</span>' in page  # the project's key
    assert ".jira-key { white-space: nowrap; }" in CSS.read_text()


# 4. The capacity period ----------------------------------------------------------------


def test_the_capacity_period_fields_show_the_period_the_page_shows(client, org):
    start, end = month_bounds(timezone.localdate())
    client.force_login(org.lea.user)
    page = body(client.get(reverse("dashboard:capacity")))
    assert f'name="period_start" value="{start.isoformat()}"' in page
    assert f'name="period_end" value="{end.isoformat()}"' in page
    assert f"{start.isoformat()} – {end.isoformat()}" in page
    # A filter without dates (the department only) shows the same default period.
    page = body(client.get(reverse("dashboard:capacity"), {"department": org.platform.pk}))
    assert f'name="period_start" value="{start.isoformat()}"' in page
    assert f'name="period_end" value="{end.isoformat()}"' in page


# 5. Removing an allocation -------------------------------------------------------------


def test_remove_asks_first_and_deletes_only_when_confirmed(client, org):
    today = timezone.localdate()
    allocation = allocation_set(
        actor=org.lea.user,
        person=org.ian,
        percent=70,
        period_start=today,
        period_end=today,
        duty="Platform on-call",
    )
    url = reverse("dashboard:allocation_delete", args=[allocation.pk])
    client.force_login(org.lea.user)
    response = client.post(url)
    assert response.status_code == 200
    assert Allocation.objects.filter(pk=allocation.pk).exists()
    question = section(body(response), "confirm-heading")
    assert "Remove this allocation?" in question
    assert "70% Platform on-call of Ian Engineer" in question
    assert f'action="{url}"' in question and 'name="confirm" value="yes"' in question

    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not Allocation.objects.filter(pk=allocation.pk).exists()


# 6. Who has not acknowledged -----------------------------------------------------------


def test_the_processes_page_names_who_has_not_acknowledged_the_current_version(client, org):
    release = document_create(
        actor=org.hr,
        title="Release train",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    process_acknowledge(document=release, person=org.ian)
    client.force_login(org.hr)
    card = section(body(client.get(reverse("dashboard:processes"))), f"process-{release.pk}")
    waiting = card.split("Not acknowledged version 1 yet:", 1)[1].split("</p>", 1)[0]
    assert "Ian Engineer" not in waiting
    assert "Lea" in waiting and "Dana Data" in waiting
    assert "more" not in waiting


def test_an_employee_is_named_only_themselves(client, org):
    """Names follow the viewer's scope: an employee sees no one else's name there."""
    release = document_create(
        actor=org.hr,
        title="Release train",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    client.force_login(org.ian.user)
    card = section(body(client.get(reverse("dashboard:processes"))), f"process-{release.pk}")
    waiting = card.split("Not acknowledged version 1 yet:", 1)[1].split("</p>", 1)[0]
    assert "Ian Engineer" in waiting
    assert "Jo Junior" not in waiting and "Dana Data" not in waiting


def test_the_names_are_capped_with_the_rest_counted(client, org):
    release = document_create(
        actor=org.hr,
        title="Release train",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
    pending = org.platform.people.filter(is_active=True).count()
    pending += org.data.people.filter(is_active=True).count()
    PersonFactory.create_batch(25, department=org.platform)
    client.force_login(org.hr)
    card = section(body(client.get(reverse("dashboard:processes"))), f"process-{release.pk}")
    waiting = card.split("yet:</strong>", 1)[1].split("</p>", 1)[0]
    assert waiting.count(",") == 19  # 20 names
    assert f"and {pending + 25 - 20} more" in waiting
