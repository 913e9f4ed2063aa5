"""A malformed filter value on any of the role's lists is a 400 naming the filter, never
"no filter" and never a 500: one table for every resource."""

import pytest


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/allocations/?on=notadate", "on"),
        ("/api/v1/allocations/?department=no-such-department", "department"),  # id or slug
        ("/api/v1/allocations/?department=100000000000000000000", "department"),
        ("/api/v1/departments/{platform}/capacity/?period_start=May", "period_start"),
        ("/api/v1/departments/escalation/?at=noon", "at"),
        ("/api/v1/improvement-tasks/?overdue=maybe", "overdue"),
        ("/api/v1/improvement-tasks/?status=blocked", "status"),
        ("/api/v1/improvement-projects/?active=perhaps", "active"),
        ("/api/v1/improvement-tasks/?department=1.5", "department"),
        ("/api/v1/improvement-tasks/?department=100000000000000000000", "department"),
        ("/api/v1/incidents/?open=x", "open"),
        ("/api/v1/incidents/?severity=sev9", "severity"),
        ("/api/v1/tech-sessions/?person=100000000000000000000", "person"),
        ("/api/v1/tech-sessions/?status=done", "status"),
        ("/api/v1/tech-sessions/?scheduled_after=soon", "scheduled_after"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(api, org, path, field):
    response = api("hr").get(path.format(platform=org.platform.pk))
    assert response.status_code == 400
    assert field in response.json()
