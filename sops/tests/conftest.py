"""Fixtures the documentation tests share."""

import pytest

from sops.services import document_create


@pytest.fixture
def process(org):
    """A cross-department process of Platform, involving Platform (Maya, Lea, Ian, Jo)
    and Data (Max, Dana)."""
    return document_create(
        actor=org.lea.user,
        title="Incident hand-off",
        kind="cross_department_process",
        department=org.platform,
        involved_departments=[org.platform, org.data],
    )
