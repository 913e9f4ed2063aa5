"""The demo organisation has an orphan: a document still owned by someone who left."""

import io

import pytest
from django.core.management import call_command

from continuity.selectors import holding_from_row, orphans
from departments.models import Person


@pytest.mark.django_db
def test_demo_has_an_orphaned_document_of_an_inactive_person():
    call_command("seed_demo", password="demo-password-1", stdout=io.StringIO())

    items = [holding_from_row(row) for row in orphans()]

    documents = [h for h in items if h.type == "document"]
    assert len(documents) >= 1
    holder = Person.objects.get(pk=documents[0].holder)
    assert not holder.is_active
    assert documents[0].label.endswith(f"{holder.full_name}'s on-call notes")
