"""The city's figure and the ranking: pure rules in scoring.py, hand-computed."""

from decimal import Decimal

import pytest

from indicators import scoring

D = Decimal


def test_the_city_sum_adds_the_agencies_that_have_a_result():
    assert scoring.city_figure([D("2980"), D("1611"), None, D("952.5")], "sum") == D("5543.5")


def test_the_city_mean_leaves_out_agencies_without_a_result_and_rounds_half_even():
    # (80 + 90 + 91) / 3 = 87.00; (100 + 100 + 90.01) / 3 = 96.67
    assert scoring.city_figure([D(80), None, D(90), D(91)], "mean") == D("87.00")
    assert scoring.city_figure([D(100), D(100), D("90.01")], "mean") == D("96.67")


def test_no_result_at_all_is_no_city_figure_not_zero():
    assert scoring.city_figure([None, None], "sum") is None
    assert scoring.city_figure([], "mean") is None


def test_an_unknown_city_rule_is_refused():
    with pytest.raises(ValueError, match="unknown city rule"):
        scoring.city_figure([D(1)], "median")


def test_ties_share_a_rank_and_the_next_rank_skips():
    values = [D(90), D(120), None, D(120), D(80), D(90)]
    assert scoring.competition_ranks(values) == [3, 1, None, 1, 5, 3]


def test_missing_results_have_no_rank():
    assert scoring.competition_ranks([None, None]) == [None, None]
    assert scoring.competition_ranks([]) == []
