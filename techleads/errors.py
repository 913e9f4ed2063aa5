from departments.errors import Conflict, DomainError


class NotEligible(DomainError):
    """Assigning a person whose verdict does not allow it, without an override reason."""

    def __init__(self, message: str):
        super().__init__(message, field="person")


class LeadAlreadyAssigned(Conflict):
    def __init__(self, department):
        super().__init__(
            f"{department} already has an active Tech Lead; end it or hand over instead.",
            field="department",
        )


class AssignmentAlreadyEnded(Conflict):
    def __init__(self, assignment):
        super().__init__(f"This assignment already ended on {assignment.ended_at:%Y-%m-%d}.")


class NoActiveLead(Conflict):
    def __init__(self, department):
        super().__init__(f"{department} has no active Tech Lead to hand over from.")
