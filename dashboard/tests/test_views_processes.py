"""Cross-department processes: the list with each involved department's coverage, what
waits for the viewer's acknowledgement, acknowledging, bad input, bounded queries."""

import pytest
from django.urls import reverse

from dashboard.tests.pages import body, section
from departments.models import Department
from sops.models import ProcessAcknowledgement
from sops.services import document_create, document_review_record, process_acknowledge

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:processes")
PENDING = "Waiting for your acknowledgement"


def ack_url(document) -> str:
    return reverse("dashboard:process_ack", args=[document.pk])


def card(page: str, document) -> str:
    """A process's card: its title and its coverage per involved department."""
    return section(page, f"process-{document.pk}")


def coverage(page: str, document, department) -> str:
    """ "x of y" for one involved department of a process."""
    row = card(page, document).split(f">{department.name}</a></th>", 1)[1]
    return row.split('<td data-label="Acknowledged">', 1)[1].split("</td>", 1)[0]


def pending(page: str) -> str:
    if PENDING not in page:
        return ""
    return page.split(PENDING, 1)[1].split("</section>", 1)[0]


@pytest.fixture
def processes(org):
    """The release train (Platform's, involving Platform and Data) and access reviews
    (Data's, involving Data only). Platform has 4 active people, Data 2."""
    return {
        "release": document_create(
            actor=org.hr,
            title="Release train",
            kind="cross_department_process",
            department=org.platform,
            involved_departments=[org.platform, org.data],
        ),
        "access": document_create(
            actor=org.hr,
            title="Access reviews",
            kind="cross_department_process",
            department=org.data,
            involved_departments=[org.data],
        ),
    }


# Who sees what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, processes):
    for response in (client.get(LIST), client.post(ack_url(processes["release"]))):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not ProcessAcknowledgement.objects.exists()


def test_everyone_with_a_person_reads_every_process(client, org, processes):
    for user in (org.hr, org.ian.user, org.maya.user, org.max.user):
        client.force_login(user)
        page = body(client.get(LIST))
        assert "Release train" in page and "Access reviews" in page, user
        assert "2 processes" in page


def test_a_login_without_a_person_sees_no_process(client, org, processes):
    """It has no role: processes are documents, and it reads none."""
    client.force_login(org.nobody)
    page = body(client.get(LIST))
    assert "Release train" not in page and "Access reviews" not in page
    assert "No processes match." in page and PENDING not in page


def test_the_pending_list_holds_the_processes_involving_the_viewer_s_department(
    client, org, processes
):
    client.force_login(org.ian.user)
    waiting = pending(body(client.get(LIST)))
    assert "Release train" in waiting and "Access reviews" not in waiting
    assert f'action="{ack_url(processes["release"])}"' in waiting
    client.force_login(org.max.user)
    waiting = pending(body(client.get(LIST)))
    assert "Release train" in waiting and "Access reviews" in waiting
    client.force_login(org.hr)  # no person: nothing to acknowledge
    assert PENDING not in body(client.get(LIST))


def test_coverage_counts_each_involved_department_s_active_people(client, org, processes):
    process_acknowledge(document=processes["release"], person=org.dana)
    client.force_login(org.hr)
    page = body(client.get(LIST))
    release = processes["release"]
    assert coverage(page, release, org.platform) == "0 of 4"
    assert coverage(page, release, org.data) == "1 of 2"
    assert ('<td data-label="Acknowledged">1 of 2</td><td data-label="Coverage">50%</td>') in card(
        page, release
    )
    assert ">Platform</a></th>" not in card(page, processes["access"])


# Acknowledging -------------------------------------------------------------------------


def test_acknowledging_clears_it_from_pending_and_raises_coverage(client, org, processes):
    release = processes["release"]
    client.force_login(org.ian.user)
    page = body(client.get(LIST))
    assert coverage(page, release, org.platform) == "0 of 4"
    response = client.post(ack_url(release))
    assert response.status_code == 302 and response["Location"] == LIST
    page = body(client.get(LIST))
    assert "Acknowledged “Release train” (version 1)." in page
    assert PENDING not in page
    assert coverage(page, release, org.platform) == "1 of 4"
    assert ('<td data-label="Acknowledged">1 of 4</td><td data-label="Coverage">25%</td>') in card(
        page, release
    )
    assert ProcessAcknowledgement.objects.filter(
        document=release, person=org.ian, version=1
    ).exists()


def test_acknowledging_twice_records_it_once(client, org, processes):
    client.force_login(org.ian.user)
    client.post(ack_url(processes["release"]))
    response = client.post(ack_url(processes["release"]), follow=True)
    assert "Acknowledged “Release train” (version 1)." in body(response)
    assert ProcessAcknowledgement.objects.filter(person=org.ian).count() == 1
    assert coverage(body(response), processes["release"], org.platform) == "1 of 4"


def test_a_material_change_asks_for_a_new_acknowledgement(client, org, processes):
    release = processes["release"]
    process_acknowledge(document=release, person=org.ian)
    document_review_record(document=release, actor=org.hr, outcome="updated", material=True)
    client.force_login(org.ian.user)
    page = body(client.get(LIST))
    assert "Release train" in pending(page) and "version 2" in pending(page)
    assert coverage(page, release, org.platform) == "0 of 4"
    client.post(ack_url(release))
    page = body(client.get(LIST))
    assert PENDING not in page and coverage(page, release, org.platform) == "1 of 4"


def test_a_login_without_a_person_cannot_acknowledge(client, org, processes):
    client.force_login(org.nobody)
    assert client.post(ack_url(processes["release"])).status_code == 403
    assert not ProcessAcknowledgement.objects.exists()


def test_only_a_live_process_is_acknowledged(client, org, processes):
    runbook = document_create(actor=org.hr, title="Runbook", kind="sop", department=org.platform)
    retired = processes["access"]
    document_review_record(document=retired, actor=org.hr, outcome="retired")
    client.force_login(org.max.user)
    assert client.post(ack_url(runbook)).status_code == 404
    assert client.post(ack_url(retired)).status_code == 404
    assert client.post(reverse("dashboard:process_ack", args=[999999])).status_code == 404
    assert not ProcessAcknowledgement.objects.exists()
    page = body(client.get(LIST))
    assert "Access reviews" not in page and "1 process" in page  # archived: off the list


# Filter --------------------------------------------------------------------------------


def test_the_list_filters_by_involved_department(client, org, processes):
    client.force_login(org.ian.user)
    page = body(client.get(LIST, {"involved_department": org.platform.pk}))
    assert "Release train" in page and "Access reviews" not in page
    page = body(client.get(LIST, {"involved_department": org.data.pk}))
    assert "Release train" in page and "Access reviews" in page


@pytest.mark.parametrize("value", ["abc", "1.5"])
def test_a_malformed_filter_is_a_field_error_not_a_500(client, org, processes, value):
    client.force_login(org.hr)
    response = client.get(LIST, {"involved_department": value})
    assert response.status_code == 200
    page = body(response)
    assert 'role="alert"' in page
    assert "Release train" in page and "Access reviews" in page  # filters nothing


# Where the list is reached from --------------------------------------------------------


def test_the_department_page_links_its_processes(client, org, processes):
    client.force_login(org.max.user)
    page = body(client.get(reverse("dashboard:department", args=[org.data.pk])))
    link = f"/processes/?involved_department={org.data.pk}"
    assert f'<a href="{link}">Processes</a>' in page
    listed = client.get(link)
    assert listed.status_code == 200
    assert "Release train" in body(listed) and "Access reviews" in body(listed)


# Cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "queries"), [("hr", 9), ("ian", 12)])
def test_the_list_runs_the_same_queries_at_any_size(
    client, org, processes, grow, django_assert_num_queries, who, queries
):
    """session, user, HR group check, (Ian: his person), the filter's departments, count,
    the page's processes with their department, (Ian: the departments whose page opens for
    him, read once to link their names), their coverage per involved department (one
    query), who has not acknowledged each yet (one query for the page), the processes
    waiting for the viewer."""
    client.force_login(org.hr if who == "hr" else org.ian.user)
    process_acknowledge(document=processes["release"], person=org.ian)
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200
    grow(10)  # 10 more departments to involve, 14 more people in Platform
    departments = list(Department.objects.order_by("name"))
    for i in range(30):  # more than a page, each involving more departments
        document = document_create(
            actor=org.hr,
            title=f"Process {i}",
            kind="cross_department_process",
            department=org.platform,
            involved_departments=departments[: 2 + i % 10],
        )
        if i % 2:
            process_acknowledge(document=document, person=org.ian)
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200
