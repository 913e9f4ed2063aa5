"""On PostgreSQL, the product's substring searches (people by name, employee id or email;
documents by title or URL) are served by trigram indexes, and a page of people in their
default order by an index walk: not by a scan of the table."""

import pytest
from django.db import connection, transaction

from departments.models import Person
from departments.trigram import index_name
from sops.models import Document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SEARCHES = [
    (Person, "full_name"),
    (Person, "employee_id"),
    (Person, "email"),
    (Document, "title"),
    (Document, "url"),
]


@pytest.mark.parametrize(("model", "column"), SEARCHES)
def test_an_icontains_search_can_use_its_trigram_index(model, column):
    queryset = model.objects.filter(**{f"{column}__icontains": "okafor 9931"})
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheaper to scan, or to walk in its order by an index
        # with the search as a filter: forbid both to see which index serves the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert index_name(model._meta.db_table, column) in plan, plan


def test_a_page_of_people_in_their_default_order_is_an_index_walk():
    """Lists, pickers and the API show people by name: 50 of 100,000 without a sort."""
    queryset = Person.objects.filter(is_active=True).order_by("full_name", "id")[:50]
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is cheaper to sort: forbid the sort to see what serves it.
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()
    assert "person_name_idx" in plan and "Sort" not in plan, plan
