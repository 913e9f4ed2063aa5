"""Improvement projects through their service: who owns a project HR starts."""

import pytest

from techleads.services import improvement_project_create

pytestmark = pytest.mark.django_db


def test_a_project_hr_starts_is_owned_by_the_department_s_lead(org):
    project = improvement_project_create(actor=org.hr, department=org.platform, name="Less toil")
    assert project.owner == org.lea
    leadless = improvement_project_create(actor=org.hr, department=org.data, name="Data toil")
    assert leadless.owner is None
