"""Capacity: each person's allocations for a period, over- and under-allocation, who may
allocate and remove, bad input, the department page's link, bounded queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.tests.pages import body, new
from techleads.models import Allocation
from techleads.selectors import month_bounds
from techleads.services import allocation_set, improvement_project_create

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:capacity")
CREATE = reverse("dashboard:allocation_create")
ALLOCATE_FORM = "Allocate capacity"
PEAK = '<td data-label="Peak allocated">{}%</td>'  # a person's peak, labelled for a phone


def row_of(page: str, name: str) -> str:
    """A person's row of the capacity table."""
    return page.split(f">{name}</a></th>", 1)[1].split("</tr>", 1)[0]


def delete_url(allocation) -> str:
    return reverse("dashboard:allocation_delete", args=[allocation.pk])


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def allocations(org, today):
    """Ian is 70% on Platform's on-call this month; Dana 50% on Data's warehouse."""
    return {
        "ian": allocation_set(
            actor=org.lea.user,
            person=org.ian,
            percent=70,
            period_start=today,
            period_end=today,
            duty="Platform on-call",
        ),
        "dana": allocation_set(
            actor=org.hr,
            person=org.dana,
            percent=50,
            period_start=today,
            period_end=today,
            duty="Warehouse",
        ),
    }


def allocate(client, org, today, **fields):
    data = {
        "person": org.ian.pk,
        "duty": "Release captain",
        "percent": 50,
        "period_start": today.isoformat(),
        "period_end": today.isoformat(),
        **fields,
    }
    return client.post(CREATE, new(**data))


# Who sees what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, org, allocations, today):
    for response in (
        client.get(LIST),
        allocate(client, org, today),
        client.post(delete_url(allocations["ian"])),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Allocation.objects.count() == 2


def test_the_page_shows_the_people_in_the_viewer_s_scope(client, org, allocations):
    platform = ["Maya Manager", "Lea Lead", "Ian Engineer", "Jo Junior"]
    data = ["Max Manager", "Dana Data"]
    for user, shown, hidden in (
        (org.lea.user, platform, data),
        (org.maya.user, platform, data),
        (org.max.user, data, platform),
        (org.ian.user, ["Ian Engineer"], ["Lea Lead", *data]),  # an employee: themselves
        (org.hr, platform + data, []),
    ):
        client.force_login(user)
        table = body(client.get(LIST)).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert all(f">{name}</a></th>" in table for name in shown), user
        assert not any(f">{name}</" in table for name in hidden), user
    client.force_login(org.nobody)
    assert "Nobody matches." in body(client.get(LIST))


def test_each_person_shows_what_is_allocated_and_what_is_left(client, org, allocations):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    ian = row_of(page, "Ian Engineer")
    assert PEAK.format(70) in ian and "30% unallocated" in ian and "Platform on-call" in ian
    jo = row_of(page, "Jo Junior")
    assert PEAK.format(0) in jo and "100% unallocated" in jo and "Nothing allocated." in jo


# Who may act ---------------------------------------------------------------------------


def test_the_allocation_form_is_offered_to_hr_and_the_tech_lead_only(client, org, allocations):
    for user, offered in (
        (org.hr, True),
        (org.lea.user, True),
        (org.maya.user, False),
        (org.ian.user, False),
        (org.nobody, False),
    ):
        client.force_login(user)
        page = body(client.get(LIST))
        assert (ALLOCATE_FORM in page) is offered, user
        assert (f'action="{delete_url(allocations["ian"])}"' in page) is offered, user


def test_the_lead_allocates_only_their_department_s_people(client, org, allocations):
    client.force_login(org.lea.user)
    page = body(client.get(LIST))
    form = page[page.index(ALLOCATE_FORM) :]
    assert "Ian Engineer" in form and "Dana Data" not in form


@pytest.mark.parametrize("who", ["ian", "maya", "nobody"])
def test_allocating_without_the_role_is_a_403_and_writes_nothing(client, org, today, who):
    client.force_login(org.nobody if who == "nobody" else getattr(org, who).user)
    assert allocate(client, org, today).status_code == 403
    assert not Allocation.objects.exists()


def test_removing_without_the_role_is_a_403_and_keeps_the_allocation(client, org, allocations):
    client.force_login(org.maya.user)  # sees Ian's allocation, does not distribute capacity
    assert client.post(delete_url(allocations["ian"])).status_code == 403
    client.force_login(org.max.user)  # does not see it at all
    assert client.post(delete_url(allocations["ian"])).status_code == 404
    client.force_login(org.lea.user)  # another department's
    assert client.post(delete_url(allocations["dana"])).status_code == 404
    for confirm in ({}, {"confirm": "yes"}):  # neither the question nor the removal
        client.force_login(org.maya.user)
        assert client.post(delete_url(allocations["ian"]), confirm).status_code == 403
    assert Allocation.objects.count() == 2


# Allocating and removing ---------------------------------------------------------------


def test_an_allocation_over_100_percent_is_flagged_and_removing_it_clears_the_flag(
    client, org, allocations, today
):
    client.force_login(org.lea.user)
    response = allocate(client, org, today, percent=50)
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST))
    assert "Allocated 50% of Ian Engineer." in page
    ian = row_of(page, "Ian Engineer")
    assert PEAK.format(120) in ian and "Over-allocated" in ian
    assert "Over-allocated" not in row_of(page, "Jo Junior")
    # Over-allocated people come first.
    assert page.index(">Ian Engineer</a></th>") < page.index(">Jo Junior</a></th>")

    extra = Allocation.objects.get(duty="Release captain")
    response = client.post(delete_url(extra), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST))
    assert "Allocation removed." in page
    assert not Allocation.objects.filter(pk=extra.pk).exists()
    ian = row_of(page, "Ian Engineer")
    assert "Over-allocated" not in ian and "30% unallocated" in ian


def test_the_over_allocated_come_first_and_a_total_over_100_on_no_one_day_is_not_over(
    client, org, today
):
    """Dana (60% and 50% on the first day) and Ian (70% all month, 50% on its last day) are
    over-allocated and listed first, by department; Jo's 60% and 50% follow each other,
    so Jo is not, and keeps his place among the others, by department and name."""
    first, last = month_bounds(today)
    for person, percent, start, end in (
        (org.dana, 60, first, first),
        (org.dana, 50, first, first),
        (org.ian, 70, first, last),
        (org.ian, 50, last, last),
        (org.jo, 60, first, first),
        (org.jo, 50, first + timedelta(days=1), last),
    ):
        allocation_set(
            actor=org.hr,
            person=person,
            percent=percent,
            period_start=start,
            period_end=end,
            duty=f"Duty {percent}",
        )
    client.force_login(org.hr)
    page = body(client.get(LIST))
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r">([^<>]+)</a></th>", table) == [
        "Dana Data",
        "Ian Engineer",
        "Max Manager",
        "Jo Junior",
        "Lea Lead",
        "Maya Manager",
    ]
    assert "Over-allocated" in row_of(page, "Dana Data")
    assert "Over-allocated" in row_of(page, "Ian Engineer")
    jo = row_of(page, "Jo Junior")
    assert PEAK.format(60) in jo and "Over-allocated" not in jo and "40% unallocated" in jo


def test_exactly_100_percent_is_fully_allocated(client, org, allocations, today):
    client.force_login(org.lea.user)
    allocate(client, org, today, percent=30)
    assert "Fully allocated" in row_of(body(client.get(LIST)), "Ian Engineer")


def test_an_allocation_to_a_project_is_listed_by_the_project_s_name(
    client, org, allocations, today
):
    project = improvement_project_create(
        actor=org.lea.user, department=org.platform, name="Build cache"
    )
    client.force_login(org.lea.user)
    allocate(client, org, today, duty="", project=project.pk, percent=20)
    assert Allocation.objects.get(project=project).percent == 20
    assert "20% Build cache" in row_of(body(client.get(LIST)), "Ian Engineer")


def test_hr_allocates_and_removes_in_any_department(client, org, allocations, today):
    client.force_login(org.hr)
    allocate(client, org, today, person=org.dana.pk, duty="Migration", percent=60)
    assert "Over-allocated" in row_of(body(client.get(LIST)), "Dana Data")
    client.post(delete_url(allocations["dana"]), {"confirm": "yes"})
    assert list(Allocation.objects.filter(person=org.dana).values_list("duty", flat=True)) == [
        "Migration"
    ]


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"percent": 0}, "Ensure this value is greater than or equal to 1."),
        ({"percent": 101}, "Ensure this value is less than or equal to 100."),
        ({"percent": ""}, "This field is required."),
        ({"period_start": "someday"}, "Enter a valid date."),
        ({"person": "dana"}, "Select a valid choice."),  # out of Lea's department
        ({"duty": ""}, "An allocation names a project or a duty."),  # the model's refusal
        ({"period_end": "yesterday"}, "The period cannot end before it starts."),  # service's
    ],
)
def test_a_bad_allocation_is_shown_with_its_error_and_nothing_is_written(
    client, org, allocations, today, fields, error
):
    if fields.get("person") == "dana":
        fields["person"] = org.dana.pk
    if fields.get("period_end") == "yesterday":
        fields["period_end"] = (today - timedelta(days=1)).isoformat()
    client.force_login(org.lea.user)
    response = allocate(client, org, today, **fields)
    assert response.status_code == 200
    page = body(response)
    assert error in page and ALLOCATE_FORM in page
    assert Allocation.objects.count() == 2


def test_the_period_filter_shows_the_allocations_overlapping_it(client, org, allocations):
    _, end_of_month = month_bounds(timezone.localdate())
    next_month = end_of_month + timedelta(days=1)
    allocation_set(
        actor=org.lea.user,
        person=org.jo,
        percent=40,
        period_start=next_month,
        period_end=next_month + timedelta(days=10),
        duty="Next month's migration",
    )
    client.force_login(org.lea.user)
    assert "Next month&#x27;s migration" not in body(client.get(LIST))  # this month by default
    page = body(client.get(LIST, {"period_start": next_month.isoformat()}))
    assert "Next month&#x27;s migration" in row_of(page, "Jo Junior")
    assert "Platform on-call" not in page


def test_the_department_filter(client, org, allocations):
    client.force_login(org.hr)
    page = body(client.get(LIST, {"department": org.data.pk}))
    assert ">Dana Data</a></th>" in page and ">Ian Engineer</a></th>" not in page


def test_a_period_ending_before_it_starts_is_a_field_error(client, org, allocations):
    client.force_login(org.hr)
    response = client.get(LIST, {"period_start": "2026-03-01", "period_end": "2026-02-01"})
    assert response.status_code == 200
    page = body(response)
    assert "The period cannot end before it starts." in page and 'role="alert"' in page
    start, end = month_bounds(timezone.localdate())  # the default period is shown instead
    assert f"overlapping {start:%Y-%m-%d} – {end:%Y-%m-%d}" in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"department": "abc"}, "Enter a whole number."),
        ({"period_start": "March"}, "Enter a valid date."),
    ],
)
def test_a_malformed_filter_is_a_field_error_not_a_500(client, org, allocations, query, error):
    client.force_login(org.hr)
    response = client.get(LIST, query)
    assert response.status_code == 200
    page = body(response)
    assert error in page and ">Ian Engineer</a></th>" in page and ">Dana Data</a></th>" in page


# Where the list is reached from --------------------------------------------------------


def test_the_department_page_links_this_month_s_capacity(client, org, allocations):
    client.force_login(org.maya.user)
    page = body(client.get(reverse("dashboard:department", args=[org.platform.pk])))
    link = f"/capacity/?department={org.platform.pk}"
    assert f'<a href="{link}">Capacity this month</a>' in page
    listed = client.get(link)
    assert listed.status_code == 200 and "70%" in row_of(body(listed), "Ian Engineer")


# Cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "queries"), [("hr", 14), ("lea", 20)])
def test_the_page_runs_the_same_queries_at_any_size(
    client, org, allocations, today, grow, django_assert_max_num_queries, who, queries
):
    """session, user, HR group check, (Lea: her person, and the departments she sees and
    leads), the filter's departments, count, the people whose allocations in the period add
    up to more than 100%, the over-allocated among them (when there are any), the rest of
    the page's people (when the over-allocated do not fill it), the page's people with
    department and capacity, their allocations in the period with the project, whether the
    viewer leads any department, (Lea: the departments whose people she sees, to link names
    to person pages), then the allocation form's choices: people, projects; (Lea: the
    departments whose page opens for her, read once to link their names)."""
    client.force_login(org.hr if who == "hr" else org.lea.user)
    with django_assert_max_num_queries(queries):
        assert client.get(LIST).status_code == 200
    grow(10)  # Platform: 14 more people, 10 more departments of 3
    project = improvement_project_create(actor=org.hr, department=org.platform, name="Cache")
    for i, person in enumerate(org.platform.people.all()):
        for percent in (30, 40, 50):  # everyone over-allocated, through several rows
            allocation_set(
                actor=org.hr,
                person=person,
                percent=percent,
                period_start=today,
                period_end=today,
                project=project if i % 2 else None,
                duty="" if i % 2 else "Support",
            )
    with django_assert_max_num_queries(queries):
        assert client.get(LIST).status_code == 200


def test_the_allocation_form_s_projects_are_read_without_their_task_counts(client, org, today):
    """The form offers projects by name; counting every project's tasks first took longer
    than the rest of the page at 5,000 projects."""
    project = improvement_project_create(actor=org.hr, department=org.platform, name="Cache")
    client.force_login(org.hr)
    with CaptureQueriesContext(connection) as queries:
        page = body(client.get(LIST))
    form = page[page.index(ALLOCATE_FORM) :]
    assert f'<option value="{project.pk}">Cache</option>' in form
    assert not any("improvementtask" in q["sql"] for q in queries.captured_queries)
