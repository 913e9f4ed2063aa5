"""The Person admin's receivers at the size of a company: the change page and the
transfer page render the chosen receiver only, never every active person, and the
transfer still previews and moves through the autocomplete's values."""

import factory
import pytest
from django.urls import reverse

from continuity.selectors import person_holdings
from departments.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def crowd(org, size: int) -> list:
    """`size` active people of Platform, none of them chosen anywhere."""
    return PersonFactory.create_batch(
        size,
        department=org.platform,
        full_name=factory.Sequence(lambda n: f"Crowd Member {n:04d}"),
    )


def transfer_url(person):
    return reverse("admin:departments_person_transfer", args=[person.pk])


@pytest.mark.parametrize("size", [5, 60])
def test_person_change_page_lists_no_receivers(hr_client, org, size, django_assert_max_num_queries):
    crowd(org, size)
    url = reverse("admin:departments_person_change", args=[org.lea.pk])

    # The same queries at 5 and 60 people: the page reads no list of people.
    with django_assert_max_num_queries(20):
        page = hr_client.get(url).content.decode()

    assert 'name="transfer_to"' in page
    assert "Crowd Member" not in page
    assert org.ian.full_name not in page  # an active person, not chosen
    assert "admin/js/autocomplete.js" in page


@pytest.mark.parametrize("size", [5, 60])
def test_transfer_page_lists_no_receivers(
    hr_client, org, holdings, size, django_assert_max_num_queries
):
    crowd(org, size)

    # The holdings (one UNION) and the page; not one option per person per receiver.
    with django_assert_max_num_queries(15):
        page = hr_client.get(transfer_url(org.lea)).content.decode()

    assert "Lea Lead holds 8 items" in page
    assert f'name="to_document_{holdings.document.pk}"' in page
    assert "Crowd Member" not in page
    assert org.ian.full_name not in page
    # The admin's autocomplete, loaded on this page of its own.
    assert "admin/js/autocomplete.js" in page and "select2" in page
    assert 'data-model-name="department" data-field-name="manager"' in page  # people search
    assert 'data-placeholder="The receiver above"' in page


def test_transfer_preview_shows_the_chosen_receivers_only(hr_client, org, holdings):
    crowd(org, 5)
    url = transfer_url(org.lea)
    form = {
        "to": org.ian.pk,
        "reason": "Lea leaves",
        f"item_document_{holdings.document.pk}": "on",
        f"to_document_{holdings.document.pk}": org.dana.pk,
        f"item_tech_session_{holdings.session.pk}": "on",
    }

    preview = hr_client.post(url, {**form, "dry_run": "on"})
    page = preview.content.decode()
    assert "Deploy runbook: to Dana Data" in page
    # The chosen receivers stay chosen (the form is shown again), nobody else is listed.
    assert f'<option value="{org.ian.pk}" selected>{org.ian.full_name} (' in page
    assert f'<option value="{org.dana.pk}" selected>{org.dana.full_name} (' in page
    assert "Crowd Member" not in page

    done = hr_client.post(url, form)
    assert done.status_code == 302
    assert [h.type for h in person_holdings(org.dana)] == ["document"]


def test_transfer_to_an_inactive_person_is_refused(hr_client, org, holdings):
    gone = PersonFactory(department=org.platform, is_active=False)
    response = hr_client.post(
        transfer_url(org.lea),
        {"to": gone.pk, "reason": "x", f"item_document_{holdings.document.pk}": "on"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(person_holdings(org.lea)) == 8


def test_person_search_of_the_pickers_offers_active_people_only(hr_client, org):
    PersonFactory(department=org.platform, full_name="Ian Gone", is_active=False)
    response = hr_client.get(
        reverse("admin:autocomplete"),
        {"term": "Ian", "app_label": "sops", "model_name": "document", "field_name": "owner"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [org.ian.full_name]
