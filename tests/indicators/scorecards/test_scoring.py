"""The arithmetic of performance agreements, each expected value worked out by hand."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.scorecards import scoring
from indicators.scorecards.demo import even_weights

RISING = [D(60), D(70), D(80), D(90), D(100)]
FALLING = [D(50), D(40), D(30), D(20), D(10)]  # lower is better


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(85), D("3.50")),  # 3 + (85 − 80) ÷ (90 − 80)
        (D("73.33"), D("2.33")),  # 2 + 3.33 ÷ 10
        (D(60), D("1.00")),  # exactly level 1
        (D(90), D("4.00")),
        (D(100), D("5")),
        (D(120), D("5")),  # beyond level 5: capped
        (D("59.99"), D(0)),  # short of level 1: nothing
    ],
)
def test_linear_between_rising_levels(value, expected):
    assert scoring.ladder_rating(value, RISING) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(25), D("3.50")),  # 3 + (25 − 30) ÷ (20 − 30)
        (D(50), D("1.00")),
        (D(55), D(0)),
        (D(5), D(5)),
    ],
)
def test_linear_between_falling_levels(value, expected):
    assert scoring.ladder_rating(value, FALLING) == expected


def test_the_step_names_the_levels_around_the_value():
    assert scoring.ladder_step(D(85), RISING) == scoring.LadderStep(3, D(80), D(90))
    assert scoring.ladder_step(D(55), FALLING) == scoring.LadderStep(0, None, D(50))
    assert scoring.ladder_step(D(100), RISING) == scoring.LadderStep(5, D(100), None)


def test_a_ladder_needs_five_monotonic_thresholds():
    assert scoring.has_ladder(RISING) and scoring.has_ladder(FALLING)
    assert not scoring.has_ladder(RISING[:4])
    assert not scoring.has_ladder([*RISING[:4], None])
    assert not scoring.has_ladder([D(1), D(2), D(2), D(4), D(5)])


@pytest.mark.parametrize(
    ("score", "expected"),
    [(D(100), D(5)), (D(70), D("3.50")), (D("87.5"), D("4.38")), (D(20), D(1)), (D("19.99"), D(0))],
)
def test_without_criteria_the_auditors_score_over_20(score, expected):
    assert scoring.score_rating(score) == expected


def test_a_round_is_read_in_year_end_terms():
    assert scoring.round_value(D(2), D(5), D(2)) == D(5)  # on plan at six months
    assert scoring.round_value(D(30), D(100), D(50)) == D(60)
    assert scoring.round_value(D(30), D(100), D(100)) == D(30)
    assert scoring.round_value(D(30), D(100), D(0)) == D(30)


def test_weighted_score_counts_a_missing_result_as_nothing():
    # (40 × 3.5 + 35 × 5 + 25 × nothing) ÷ 100 = 3.15
    assert scoring.weighted_score([(D(40), D("3.5")), (D(35), D(5)), (D(25), None)]) == D("3.15")
    assert scoring.weighted_score([(D(40), None), (D(60), None)]) is None


def test_weights_off_100_are_scaled():
    # weights 1, 1, 1 (the default): each a third, (3 + 4 + 5) ÷ 3 = 4
    assert scoring.weighted_score([(D(1), D(3)), (D(1), D(4)), (D(1), D(5))]) == D("4.00")
    assert scoring.share(D(1), D(3)) == D("33.33")
    assert scoring.share(D(20), D(100)) == D(20)


def test_difference_and_band():
    assert scoring.difference(D("4.5"), D("3.6")) == D("0.90")
    assert scoring.difference(None, D(3)) is None
    assert scoring.band(D("4.99")) == 4 and scoring.band(D(5)) == 5 and scoring.band(D(0)) == 0


def test_even_weights_sum_to_100():
    assert even_weights(3) == [D("33.34"), D("33.33"), D("33.33")]
    assert even_weights(6) == [D("16.70"), *[D("16.66")] * 5]


@given(st.decimals(min_value=-1000, max_value=1000, places=2))
def test_a_rating_is_0_or_between_1_and_5(value):
    for thresholds in (RISING, FALLING):
        rating = scoring.ladder_rating(value, thresholds)
        assert rating == 0 or D(1) <= rating <= D(5)


@given(st.integers(min_value=1, max_value=40))
def test_even_weights_always_sum_to_100(count):
    assert sum(even_weights(count)) == D(100)
