"""Database unreachable: every request is a 503 with Retry-After, never a 500.

Under /api/ the body is JSON (`{"detail": ...}`), elsewhere a plain HTML page. The
middleware sits near the top of MIDDLEWARE, so it covers the view, its template (the
context processors), DRF's token lookup, and the session and login loading of the
middleware below it. Nothing is restarted when the database is back: the broken
connection is discarded at the end of the request (CONN_HEALTH_CHECKS), and the next
request connects anew.
"""

import logging

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (OperationalError, InterfaceError)
_FLAG = "_database_unavailable"

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service unavailable</title></head>
<body>
<main>
<h1>Service unavailable</h1>
<p>The application cannot reach its database at the moment. Please try again in a minute.</p>
</main>
</body>
</html>
"""


def database_unavailable_response(request):
    if request.path_info.startswith("/api/") or request.path_info == "/api":
        response = JsonResponse(
            {"detail": "Service unavailable: the database cannot be reached. Retry later."},
            status=503,
        )
    else:
        response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _flag_database_errors(sender, request=None, **kwargs):
    """Django turns an exception in a middleware below this one into a 500 response before
    this one sees it; mark the request so that response is replaced."""
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, UNAVAILABLE):
        setattr(request, _FLAG, True)


got_request_exception.connect(_flag_database_errors, dispatch_uid="integrations-db-unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except UNAVAILABLE as exc:
            return self._unavailable(request, exc)
        if getattr(request, _FLAG, False):
            return self._unavailable(request, None)
        return response

    def process_exception(self, request, exception):
        # The view (or its template) raised: answer before Django logs a 500.
        if isinstance(exception, UNAVAILABLE):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc):
        # The session could not be loaded: SessionMiddleware must not try again on the way
        # out (it leaves a request without one alone).
        request.__dict__.pop("session", None)
        logger.warning(
            "Database unavailable, %s %s answered 503: %s", request.method, request.path, exc
        )
        return database_unavailable_response(request)
