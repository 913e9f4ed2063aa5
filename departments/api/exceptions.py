"""One place that turns domain errors into HTTP answers (400, 403, 409)."""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from departments.errors import DomainError, InvalidRows


class UnknownQueryParameters(ValidationError):
    """A 400 in the shape of field errors, one per unknown parameter, and a `detail` that
    names them and the accepted ones:

        {"detail": "Unknown query parameter: active. Accepted: department, format, ...",
         "active": ["Unknown query parameter."]}
    """

    def __init__(self, unknown, accepted):
        unknown, accepted = sorted(set(unknown)), sorted(accepted)
        noun = "parameters" if len(unknown) > 1 else "parameter"
        body = {
            "detail": (
                f"Unknown query {noun}: {', '.join(unknown)}. Accepted: {', '.join(accepted)}."
            )
        }
        for name in unknown:
            body.setdefault(name, ["Unknown query parameter."])
        super().__init__(body)


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
            # A conflict may carry what causes it (continuity's `holdings`).
            body = {"detail": exc.message, **getattr(exc, "extra", {})}
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
