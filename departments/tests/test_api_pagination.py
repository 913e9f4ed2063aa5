"""A list's page and its total come in one query; the answers are the paginator's own."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from departments.api.pagination import CountingPaginator, countable_with_page
from departments.models import Department, Person
from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/people/"


def test_a_page_and_its_total_are_one_query(org):
    PersonFactory.create_batch(7, department=org.data)
    people = Person.objects.order_by("id")
    paginator = CountingPaginator(people, 5)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        assert (paginator.count, paginator.num_pages, page.has_next()) == (13, 3, True)
    assert len(queries) == 1
    assert [p.pk for p in page] == list(people.values_list("pk", flat=True)[5:10])


@pytest.mark.parametrize(
    ("params", "count", "rows"),
    [
        ({}, 6, 6),
        ({"department": "data"}, 2, 2),
        ({"search": "manager", "page_size": 1}, 2, 1),
        ({"search": "nobody by this name"}, 0, 0),  # an empty list's first page
        ({"page_size": 4, "page": 2}, 6, 2),
    ],
)
def test_the_api_counts_as_before(api, org, params, count, rows):
    body = api("hr").get(PEOPLE, params).json()
    assert (body["count"], len(body["results"])) == (count, rows)


# Not named `page`: that is Playwright's fixture, whose browser parameter would group this
# test with the browser tests and run them (and their database flush) in its place.
@pytest.mark.parametrize("number", ["3", "0", "abc"])
def test_a_page_that_does_not_exist_is_a_404(api, org, number):
    response = api("hr").get(PEOPLE, {"page_size": 4, "page": number})
    assert response.status_code == 404


def test_the_last_page_by_name(api, org):
    body = api("hr").get(PEOPLE, {"page_size": 4, "page": "last"}).json()
    assert (body["count"], len(body["results"]), body["next"]) == (6, 2, None)


def test_queries_the_subquery_would_count_wrongly_are_counted_the_usual_way(org):
    assert countable_with_page(Person.objects.filter(is_active=True))
    assert not countable_with_page(Person.objects.distinct())
    assert not countable_with_page(Department.objects.annotate(n=Count("people")))
    assert not countable_with_page(Person.objects.values("id"))
    assert not countable_with_page([1, 2, 3])
    paginator = CountingPaginator(Person.objects.order_by("id").distinct(), 4)
    assert (paginator.page(2).paginator.count, len(paginator.page(2))) == (6, 2)


@pytest.mark.parametrize("number", ["29654746830671559262208", "4611686018427387903"])
def test_a_page_number_beyond_any_list_is_a_404_not_a_500(api, org, number):
    """Found by schemathesis on PostgreSQL: the page's OFFSET overflowed a bigint."""
    for url in (PEOPLE, "/api/v1/eligibility-rules/", "/api/v1/webhooks/"):
        response = api("hr").get(url, {"page": number, "page_size": 186})
        assert response.status_code == 404, url
