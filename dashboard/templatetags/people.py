"""{% person_link person %}: a person's name, linked to their page when it opens for the
viewer (`visible_people`, dashboard/context_processors.py), else plain text; no query per
name. {% person_link person "label" %} shows another text; `default="–"` is what shows
when there is no person (nothing, unless given)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def person_link(context, person, label=None, default=""):
    if person is None:
        return default
    text = person.full_name if label is None else label
    visible = context.get("visible_people")
    if visible is None or person not in visible:
        return format_html("{}", text)
    return format_html(
        '<a class="person" href="{}">{}</a>', reverse("dashboard:person", args=[person.pk]), text
    )
