"""JSON bodies with a nesting limit: a body nested deeper than `API_JSON_MAX_DEPTH` levels
is a 400, never a RecursionError (a 500) in the parser or in whatever walks the data later.

Every JSON body the API reads goes through `JSONParser`: DRF's default parser, the token
endpoint's, and `json_loads` for a view that has to read the raw body itself (to check a
signature, say). The size of a body is limited before any parser runs (`middleware.py`).
"""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

DEFAULT_MAX_DEPTH = 32


def max_depth() -> int:
    return getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def too_deep() -> ParseError:
    return ParseError(f"JSON parse error - nested deeper than {max_depth()} levels.")


def depth_exceeds(data, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels; without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def checked(data):
    if depth_exceeds(data, max_depth()):
        raise too_deep()
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (strict: no NaN or Infinity), refusing deep nesting with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # far deeper than the limit: the decoder gave up first
            raise too_deep() from None
        return checked(data)


def json_loads(raw: bytes | str):
    """The JSON in a raw body, with the parser's rules; a bad body is a ParseError (400)."""
    try:
        return checked(json.loads(raw, parse_constant=json.strict_constant))
    except RecursionError:
        raise too_deep() from None
    except ValueError as exc:
        raise ParseError(f"JSON parse error - {exc}") from None
