import pytest

from dashboard.rules import (
    freshness,
    health_score,
    lead_coverage,
    session_cadence,
    share,
    succession_readiness,
    tasks_on_time,
)

WEIGHTS = {
    "tech_lead": 3,
    "succession": 2,
    "documentation": 2,
    "tooling": 1,
    "acknowledgements": 1,
    "improvement_tasks": 1,
    "tech_sessions": 1,
}


def test_perfect_department_scores_100_and_explains_each_component():
    result = health_score(values=dict.fromkeys(WEIGHTS, 1.0), weights=WEIGHTS)
    assert result.score == 100
    assert [(c.label, c.weight) for c in result.components][0] == ("Tech Lead coverage", 3.0)


def test_components_that_do_not_apply_are_left_out_of_the_mean():
    values = {"tech_lead": 1.0, "succession": 0.0, "acknowledgements": None}
    result = health_score(values=values, weights=WEIGHTS)
    assert result.score == 60  # (3*1 + 2*0) / (3 + 2)
    assert not next(c for c in result.components if c.key == "acknowledgements").applies


def test_no_applicable_component_has_no_score():
    assert health_score(values={}, weights=WEIGHTS).score is None


def test_values_are_clamped_and_zero_weights_ignored():
    result = health_score(
        values={"tech_lead": 1.7, "succession": -1}, weights={"tech_lead": 1, "succession": 0}
    )
    assert result.score == 100


@pytest.mark.parametrize(
    ("has_lead", "verdict", "expected"),
    [
        (False, None, 0.0),
        (True, "eligible", 1.0),
        (True, "transition", 0.5),
        (True, "ineligible", 0.5),
    ],
)
def test_lead_coverage(has_lead, verdict, expected):
    assert lead_coverage(has_lead=has_lead, verdict=verdict) == expected


def test_component_boundaries():
    assert succession_readiness(ready_now=1, developing=0) == 1.0
    assert succession_readiness(ready_now=0, developing=2) == 0.5
    assert succession_readiness(ready_now=0, developing=0) == 0.0
    assert freshness(current=0, due_soon=0, stale=0) is None
    assert freshness(current=2, due_soon=2, stale=0) == 0.75
    assert share(done=0, expected=0) is None
    assert share(done=3, expected=4) == 0.75
    assert tasks_on_time(open_tasks=0, overdue=0) == 1.0
    assert tasks_on_time(open_tasks=4, overdue=1) == 0.75
    assert session_cadence(held_last_quarter=3, target=3) == 1.0
    assert session_cadence(held_last_quarter=1, target=4) == 0.25
    assert session_cadence(held_last_quarter=0, target=0) == 1.0
