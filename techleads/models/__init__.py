"""The Tech Lead role (role.py) and the role's work (work.py)."""

from .role import EligibilityRule, SuccessorCandidate, TechLeadAssignment
from .work import (
    Allocation,
    ImprovementProject,
    ImprovementTask,
    Incident,
    TechSession,
    TechSessionInvite,
)

__all__ = [
    "Allocation",
    "EligibilityRule",
    "ImprovementProject",
    "ImprovementTask",
    "Incident",
    "SuccessorCandidate",
    "TechLeadAssignment",
    "TechSession",
    "TechSessionInvite",
]
