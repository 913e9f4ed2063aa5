"""Login, logout and what every page shares: behind login, its own title, the favicon."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("dashboard:overview", None),
    ("dashboard:departments", None),
    ("dashboard:department", "platform"),
    ("dashboard:explorer", None),
    ("dashboard:documents", None),
    ("dashboard:inbox", None),
    ("dashboard:role_changes", None),
]


def url_of(org, name, arg):
    return reverse(name, args=[getattr(org, arg).pk] if arg else None)


def test_anonymous_root_is_the_login_page(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in page and 'name="password"' in page
    assert "csrfmiddlewaretoken" in page
    assert "<title>Log in" in page


@pytest.mark.parametrize(("name", "arg"), PAGES[1:])
def test_every_other_page_sends_anonymous_visitors_to_the_login(client, org, name, arg):
    url = url_of(org, name, arg)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('dashboard:login')}?next={url}"


def test_login_then_overview_then_logout(client, org):
    org.hr.set_password("pw-for-the-test-123")
    org.hr.save()
    response = client.post(
        reverse("dashboard:login"), {"username": "hr", "password": "pw-for-the-test-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "<title>Overview" in client.get("/").content.decode()
    assert client.get(reverse("dashboard:logout")).status_code == 405  # logout is a POST
    client.post(reverse("dashboard:logout"))
    assert 'name="password"' in client.get("/").content.decode()


def test_a_wrong_password_is_a_form_error(client, org):
    response = client.post(reverse("dashboard:login"), {"username": "hr", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_every_page_has_its_own_title_landmarks_and_favicon(client, org, name, arg):
    client.force_login(org.hr)
    page = client.get(url_of(org, name, arg)).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.endswith("· Tech Lead management") and len(title) > 25
    assert '<main id="main"' in page and "<h1>" in page and 'href="#main"' in page
    assert 'rel="icon" href="/static/favicon.svg"' in page


def test_a_login_without_a_person_sees_an_empty_organisation(client, org):
    client.force_login(org.nobody)
    assert "No departments to show yet" in client.get("/").content.decode()
    assert client.get(reverse("dashboard:department", args=[org.platform.pk])).status_code == 404
    assert "Your inbox is empty" in client.get(reverse("dashboard:inbox")).content.decode()
