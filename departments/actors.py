"""Who acts: a login, or the product itself.

Jobs, management commands and data migrations act as SYSTEM, explicitly. A service given
no actor (None) refuses, so a caller that forgets the actor gets no authority at all
rather than the system's.
"""


class SystemActor:
    """The product acting on its own (the staleness job, an import, seed data): every
    permission, no login, recorded in the audit trail as the system."""

    is_authenticated = False
    is_superuser = False
    is_staff = False
    pk = None
    username = "system"

    def __str__(self) -> str:
        return "the system"


SYSTEM = SystemActor()
