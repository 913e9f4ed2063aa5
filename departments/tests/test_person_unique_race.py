"""Two requests that pass validation at the same moment with one email: the unique index
decides, and the loser gets a 409 naming the field, never a 500."""

import pytest

from departments.errors import Conflict
from departments.models import Person
from departments.services import person_create, person_update


@pytest.fixture
def validation_passes(monkeypatch):
    """What the second of two simultaneous requests sees: its check ran before the first
    one's row existed."""
    monkeypatch.setattr(Person, "validate_constraints", lambda self, exclude=None: None)
    monkeypatch.setattr(Person, "validate_unique", lambda self, exclude=None: None)


def test_a_simultaneous_duplicate_email_is_a_conflict(org, validation_passes):
    org.ian.email = "ian@example.com"
    org.ian.save()
    with pytest.raises(Conflict) as refused:
        person_create(
            actor=org.hr,
            employee_id="E-9",
            full_name="Copy",
            email="IAN@example.com",
            track="ic",
            level=3,
        )
    assert refused.value.field == "email"
    with pytest.raises(Conflict) as refused:
        person_update(actor=org.hr, person=org.jo, email="ian@EXAMPLE.com")
    assert refused.value.field == "email"
    assert not Person.objects.filter(employee_id="E-9").exists()


def test_the_api_answers_409(api, org, validation_passes):
    org.ian.email = "ian@example.com"
    org.ian.save()
    response = api("hr").patch(
        f"/api/v1/people/{org.jo.pk}/", {"email": "Ian@example.com"}, format="json"
    )
    assert response.status_code == 409
    assert "email" in response.json()["detail"]
