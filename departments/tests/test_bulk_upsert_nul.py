"""A NUL character in any value of an HRIS row is that row's error, never a 500
(PostgreSQL refuses NUL in strings; schemathesis sent one)."""

import pytest


@pytest.mark.parametrize("field", ["employee_id", "full_name", "email", "jira_account_id"])
def test_a_nul_character_is_a_row_error(api, org, field):
    row = {"employee_id": "E-1", "full_name": "Ada", "track": "ic", "level": 3}
    row[field] = "a\x00b@example.com" if field == "email" else "a\x00b"
    response = api("hr").post("/api/v1/people/bulk-upsert/", {"rows": [row]}, format="json")
    assert response.status_code == 400, response.content
    assert "Null characters are not allowed." in response.content.decode()
