"""Succession words for templates: a candidate's flags, explained."""

from django import template

from dashboard.succession import flags_in_words

register = template.Library()


@register.filter
def successor_flag_words(candidate) -> list[str]:
    """The flags of a candidate annotated by successors_with_flags, in words."""
    return flags_in_words(candidate)
