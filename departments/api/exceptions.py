"""One place that turns domain errors into HTTP answers (400, 403, 409)."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from departments.errors import DomainError, InvalidRows


def exception_handler(exc, context):
    if isinstance(exc, InvalidRows):
        return Response(
            {"detail": exc.message, "rows": {str(n): e for n, e in exc.errors.items()}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DomainError):
        if exc.status_code == status.HTTP_400_BAD_REQUEST:
            body = {exc.field or "non_field_errors": [exc.message]}
        else:
            body = {"detail": exc.message}
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
