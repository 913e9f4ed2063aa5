"""The department health score as a pure function of its components (no database).

Each component is a value in [0, 1], or None when it does not apply (a department with no
cross-department processes has nothing to acknowledge); the score is the weighted mean of
the components that apply, 0-100, and every component keeps its value and weight so the
score explains itself.
"""

from collections.abc import Mapping
from dataclasses import dataclass

COMPONENT_LABELS = {
    "tech_lead": "Tech Lead coverage",
    "succession": "Succession readiness",
    "documentation": "Documentation freshness",
    "tooling": "Tooling freshness",
    "acknowledgements": "Process acknowledgements",
    "improvement_tasks": "Improvement tasks on time",
    "tech_sessions": "Tech-session cadence",
}


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    value: float | None
    weight: float

    @property
    def applies(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class HealthScore:
    score: int | None
    components: tuple[Component, ...]


def health_score(
    *, values: Mapping[str, float | None], weights: Mapping[str, float]
) -> HealthScore:
    components = tuple(
        Component(key=key, label=label, value=values.get(key), weight=float(weights.get(key, 0)))
        for key, label in COMPONENT_LABELS.items()
    )
    applying = [c for c in components if c.applies and c.weight > 0]
    total_weight = sum(c.weight for c in applying)
    if not total_weight:
        return HealthScore(score=None, components=components)
    weighted = sum(c.weight * min(1.0, max(0.0, c.value)) for c in applying)
    return HealthScore(score=round(100 * weighted / total_weight), components=components)


def lead_coverage(*, has_lead: bool, verdict: str | None) -> float:
    """An eligible lead is full coverage; a lead in transition (or assigned by override) half."""
    if not has_lead:
        return 0.0
    return 1.0 if verdict == "eligible" else 0.5


def succession_readiness(*, ready_now: int, developing: int) -> float:
    if ready_now:
        return 1.0
    return 0.5 if developing else 0.0


def freshness(*, current: int, due_soon: int, stale: int) -> float | None:
    """Share of live items reviewed on time; due-soon counts half. None when there are none."""
    total = current + due_soon + stale
    if not total:
        return None
    return (current + 0.5 * due_soon) / total


def share(*, done: int, expected: int) -> float | None:
    return None if not expected else done / expected


def tasks_on_time(*, open_tasks: int, overdue: int) -> float:
    return 1.0 if not open_tasks else 1 - overdue / open_tasks


def session_cadence(*, held_last_quarter: int, target: int) -> float:
    return 1.0 if target <= 0 else min(1.0, held_last_quarter / target)
