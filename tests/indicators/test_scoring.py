"""The scoring rules, exhaustively: achievement, suggested scores, ratings and roll-ups."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import scoring
from indicators.scoring import Status, Weighted

D = Decimal


@pytest.mark.parametrize(
    ("values", "rule", "expected"),
    [
        ([D(1), D(1), D(1), D(1)], "latest", D(1)),
        ([D(15), D(20), D(20), D(3)], "latest", D(3)),
        ([D(10), D(20), None, None], "latest", D(20)),
        ([D(10), D(20), None, D(5)], "sum", D(35)),
        ([D(10), D(20), None, D(5)], "average", D("11.67")),
        ([D(10), D(20), None, D(5)], "max", D(20)),
        ([None, None, None, None], "latest", None),
        ([D(0), None, None, None], "sum", D(0)),
    ],
)
def test_aggregate_quarters(values, rule, expected):
    assert scoring.aggregate_quarters(values, rule) == expected


def test_unknown_rules_are_refused():
    with pytest.raises(ValueError):
        scoring.aggregate_quarters([D(1)], "median")
    with pytest.raises(ValueError):
        scoring.achievement(D(1), D(1), "sideways")


@pytest.mark.parametrize(
    ("value", "target", "direction", "baseline", "expected"),
    [
        (D(1), D(1), "higher", None, D(100)),
        (D(50), D(100), "higher", None, D(50)),
        (D(120), D(100), "higher", None, D(120)),
        (D(0), D(100), "higher", None, D(0)),
        (D(0), D(0), "higher", None, D(100)),  # zero target: met by any value ≥ 0
        (D(-1), D(0), "higher", None, D(0)),
        (D(3), D(5), "level", None, D(60)),
        (D(5), D(5), "level", None, D(100)),
        # lower is better, with a baseline: reduction achieved / reduction targeted
        (D(40), D(20), "lower", D(60), D(50)),
        (D(20), D(20), "lower", D(60), D(100)),
        (D(10), D(20), "lower", D(60), D(125)),
        (D(70), D(20), "lower", D(60), D(0)),  # worse than the baseline: no achievement
        (D(20), D(20), "lower", D(20), D(100)),  # no reduction targeted, target held
        (D(21), D(20), "lower", D(20), D(0)),
        # lower is better, no baseline: target / value
        (D(40), D(20), "lower", None, D(50)),
        (D(0), D(20), "lower", None, D(100)),
        (D(0), D(0), "lower", None, D(100)),
        (D(5), D(0), "lower", None, D(0)),
    ],
)
def test_achievement(value, target, direction, baseline, expected):
    assert scoring.achievement(value, target, direction, baseline=baseline) == expected


def test_achievement_of_nothing_reported_is_none_not_zero():
    assert scoring.achievement(None, D(10), "higher") is None
    assert scoring.achievement(D(10), None, "higher") is None


def test_suggested_score_is_100_when_the_planned_target_is_met():
    assert scoring.suggested_score(D(1), D(1), "higher") == D(100)
    assert scoring.suggested_score(D("0.99"), D(1), "higher") == D(99)  # not all-or-nothing
    assert scoring.suggested_score(D(98), D(100), "higher") == D(98)
    assert scoring.suggested_score(D(120), D(100), "higher") == D(100)  # capped


def test_suggested_score_of_a_level_indicator_follows_its_five_levels():
    assert scoring.suggested_score(D(5), D(5), "level", levels=True) == D(100)
    assert scoring.suggested_score(D(3), D(5), "level", levels=True) == D(60)
    assert scoring.suggested_score(D("3.5"), D(5), "level", levels=True) == D(70)
    assert scoring.suggested_score(None, D(5), "level", levels=True) is None
    assert scoring.suggested_score(None, D(1), "higher") is None


def test_suggested_score_with_partial_bands():
    bands = [(D(100), D(100)), (D(90), D(90)), (D(80), D(50))]
    assert scoring.suggested_score(D(95), D(100), "higher", bands=bands) == D(90)
    assert scoring.suggested_score(D(85), D(100), "higher", bands=bands) == D(50)
    assert scoring.suggested_score(D(79), D(100), "higher", bands=bands) == D(0)


@pytest.mark.parametrize(
    ("pct", "level"),
    [
        (D(120), 5),
        (D(100), 5),
        (D("99.99"), 4),
        (D(90), 4),
        (D(80), 3),
        (D(70), 2),
        (D(10), 1),
        (None, None),
    ],
)
def test_thai_five_level_rating(pct, level):
    assert scoring.rating(pct) == level


def test_status_at_a_glance():
    assert scoring.status(None, None) is Status.NOT_REPORTED
    assert scoring.status(D(100), D(100)) is Status.ACHIEVED
    assert scoring.status(D(50), D(100)) is Status.ON_TRACK
    assert scoring.status(D(50), D(80)) is Status.OFF_TRACK
    assert scoring.status(D(50), None) is Status.OFF_TRACK


def test_weighted_mean_ignores_missing_values():
    assert scoring.weighted_mean([Weighted(D(100), D(2)), Weighted(D(40), D(1))]) == D(80)
    assert scoring.weighted_mean([Weighted(None, D(5)), Weighted(D(40))]) == D(40)
    assert scoring.weighted_mean([Weighted(None)]) is None
    assert scoring.weighted_mean([]) is None


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(
    value=amounts,
    target=amounts,
    baseline=st.none() | amounts,
    direction=st.sampled_from(["higher", "lower", "level"]),
)
def test_achievement_is_never_negative_and_always_defined(value, target, baseline, direction):
    result = scoring.achievement(value, target, direction, baseline=baseline)
    assert result is not None and result >= 0


@given(target=amounts.filter(lambda t: t > 0), extra=amounts)
def test_meeting_a_higher_target_always_scores_100(target, extra):
    assert scoring.suggested_score(target + extra, target, "higher") == D(100)


@given(values=st.lists(st.none() | amounts, min_size=4, max_size=4))
def test_aggregates_stay_within_the_reported_values(values):
    reported = [v for v in values if v is not None]
    for rule in ("latest", "average", "max"):
        result = scoring.aggregate_quarters(values, rule)
        if not reported:
            assert result is None
        else:
            assert min(reported) - D("0.01") <= result <= max(reported)
