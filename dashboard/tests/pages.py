"""Shared helpers for the dashboard's test-client tests: a page's text and its parts, and
what a page's forms send.

Plain functions, imported where used (fixtures live in conftest.py)."""

from django.utils import timezone


def body(response) -> str:
    """The page's HTML as text."""
    return response.content.decode()


def section(page: str, heading_id: str) -> str:
    """The card whose heading has this id."""
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def new(**fields) -> dict:
    """A page's create form ("Schedule a tech session", "Log an incident", ...): its fields
    carry the `new-` prefix, so they never share ids with the page's filter form."""
    return {f"new-{name}": value for name, value in fields.items()}


def local(moment) -> str:
    """A moment as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")
