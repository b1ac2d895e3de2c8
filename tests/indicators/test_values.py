"""The one value check (indicators/values.py) and its use by quality.py; the form and the
import use it too (tests/indicators/spreadsheets/test_import_writers.py)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Indicator, QuarterReport
from indicators.quality import indicator_issues
from indicators.values import value_problems

D = Decimal
PERCENT = {"measure": "percent", "direction": "higher", "aggregation": "latest"}
LEVEL = {"measure": "level", "direction": "level", "aggregation": "latest"}


def codes(value, previous=None, **kind) -> list[tuple[str, bool]]:
    return [(p.code, p.refuses) for p in value_problems(value, previous=previous, **kind)]


@pytest.mark.parametrize(
    ("value", "kind", "previous", "expected"),
    [
        (None, PERCENT, None, []),
        (D(0), PERCENT, None, []),
        (D(-5), PERCENT, None, [("negative", True)]),
        (D("1.23456"), PERCENT, None, [("decimal_places", True)]),
        (D("1.230"), PERCENT, None, []),  # trailing zeros are not places
        (
            D("9999999999999.99"),
            PERCENT | {"aggregation": "sum"},
            None,
            [("percent_over_100", False)],
        ),
        (D("10000000000000"), PERCENT, None, [("max_digits", True), ("percent_over_100", False)]),
        (D(100), PERCENT, None, []),
        (D("100.01"), PERCENT, None, [("percent_over_100", False)]),
        (D(30), PERCENT, D(40), [("not_cumulative", False)]),
        (D(30), PERCENT | {"aggregation": "sum"}, D(40), []),
        (D(30), PERCENT | {"direction": "lower"}, D(40), []),
        (D(5), LEVEL, None, []),
        (D(6), LEVEL, None, [("level_out_of_scale", True)]),
        (D("2.5"), LEVEL, None, [("level_out_of_scale", True)]),
        (D(-1), LEVEL, None, [("negative", True), ("level_out_of_scale", True)]),
    ],
)
def test_value_problems(value, kind, previous, expected):
    assert codes(value, previous, **kind) == expected


@given(st.decimals(min_value=0, max_value=5, places=0))
def test_every_whole_level_is_accepted(level):
    assert codes(level, **LEVEL) == []


@given(st.decimals(min_value=-(10**6), max_value=D("-0.01"), places=2))
def test_every_negative_is_refused(value):
    assert ("negative", True) in codes(value, **PERCENT)


def test_messages_are_thai_and_name_the_value():
    [problem] = value_problems(D(15), **LEVEL)
    assert "15" in problem.message and "ระดับ 0–5" in problem.message


@pytest.mark.django_db
def test_quality_flags_the_same_problems_per_quarter(indicator):
    values = {1: D(50), 2: D(30), 3: D(130)}
    reports = [QuarterReport(indicator=indicator, quarter=q, value=v) for q, v in values.items()]
    indicator = Indicator.objects.get(pk=indicator.pk)
    indicator._prefetched_objects_cache = {"reports": reports}
    issues = [(i.code, i.quarter) for i in indicator_issues(indicator)]
    assert issues == [("not_cumulative", 2), ("percent_over_100", 3)]
    assert indicator_issues(indicator)[0].message.startswith("ไตรมาสที่ 2: ผลสะสม 30")


def test_messages_read_in_english_when_english_is_chosen():
    from django.utils import translation

    with translation.override("en"):
        [problem] = value_problems(D("1.23456"), **PERCENT)
    assert problem.message.startswith("At most 2 decimal places (got 1.23456")
