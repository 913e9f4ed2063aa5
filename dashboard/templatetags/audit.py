"""{{ entry|audit_sentence }}: an audit entry as a sentence (dashboard.sentences), its
department's name linked to the department page."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from dashboard.sentences import audit_sentence as word

register = template.Library()


@register.filter
def audit_sentence(entry):
    sentence = word(entry, now=timezone.now())
    if not (sentence.department and entry.department_id):
        return str(sentence)
    return format_html(
        '{}<a href="{}">{}</a>{}',
        sentence.before,
        reverse("dashboard:department", args=[entry.department_id]),
        sentence.department,
        sentence.after,
    )
