"""Fixtures of the role's tests: Platform's improvement project, the one Jira syncs into.
(The frozen clock, `may_2030`, is the root conftest's.)"""

import pytest

from techleads.services import improvement_project_create


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
