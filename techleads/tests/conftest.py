"""Fixtures of the role's tests: Platform's improvement project (the one Jira syncs into)
and a frozen clock."""

from datetime import UTC, datetime

import pytest
import time_machine

from techleads.services import improvement_project_create

MAY_2030 = datetime(2030, 5, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def may_2030():
    """The clock on 15 May 2030, 09:30 UTC, ticking: "this month" is May 2030. Yields that
    moment."""
    with time_machine.travel(MAY_2030, tick=True):
        yield MAY_2030


@pytest.fixture
def project(org):
    """Platform's "Release automation", Jira key PLAT, started by Lea, who owns it."""
    return improvement_project_create(
        actor=org.lea.user, department=org.platform, name="Release automation", jira_key="PLAT"
    )


@pytest.fixture
def jira_project(org, project):
    """`project`, with Ian's email the assignee's of tests.factories.jira_payload."""
    org.ian.email = "ian@example.com"
    org.ian.save()
    return project
