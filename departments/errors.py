"""Domain errors: the API maps them to 400/403/409, the admin shows them as form errors."""


class DomainError(Exception):
    """A request that the current rules or state refuse. `field` names the input at fault."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(DomainError):
    """The request contradicts the current state (HTTP 409)."""

    status_code = 409


class InvalidRows(DomainError):
    """A bulk import with bad rows; nothing was written. `errors` maps row number to messages."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(f"{len(errors)} row(s) are invalid; nothing was imported.")
        self.errors = errors


class Forbidden(DomainError):
    """The actor's role does not allow the operation (HTTP 403)."""

    status_code = 403
