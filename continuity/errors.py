"""Refusals of the continuity services (the API maps them like every DomainError)."""

from departments.errors import Conflict


class HoldingsBlock(Conflict):
    """A person who still holds something cannot be deactivated (or a lead moved) without
    a receiver: a 409 whose body lists the `holdings` that block it."""

    def __init__(self, message: str, *, holdings: list, field: str | None = None):
        super().__init__(message, field=field)
        self.holdings = holdings
        self.extra = {"holdings": [h.as_dict() for h in holdings]}
