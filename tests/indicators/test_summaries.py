"""The derived facts every indicator page and sheet shows, worked out in one place."""

from decimal import Decimal

import pytest

from indicators.access import FULL_SCOPE
from indicators.models import Agency, FiscalYear, Indicator
from indicators.scoring import Status
from indicators.summaries import agency_summaries, detail_queryset, summarize

pytestmark = pytest.mark.django_db
D = Decimal


def test_seed_5030_1052_summary():
    summary = summarize(
        detail_queryset(FULL_SCOPE).get(fiscal_year=2564, code="5030-1052"),
        with_paths=True,
        with_quality=True,
    )
    assert summary.overall_result == D(1)
    assert summary.achievement == D(100)
    assert summary.status is Status.ACHIEVED
    # The agency reported 100 %, but the official result (สยป., quarter 3) is 0: the badge
    # follows the official score, never the reported achievement beside it.
    assert summary.official_score == 0
    assert summary.rating == 1
    assert [row.value for row in summary.rows] == [D(1)] * 4
    assert [(r.score, r.score_2_1, r.score_2_2) for r in summary.rows][3] == (D(0), D(100), D(100))
    assert summary.audit_row.quarter == 3
    assert summary.audit_row.score == D(0)
    assert [[n.code for n in path] for path in summary.strategy_paths] == [
        ["5", "5.2", "5.2.1", "5.2.1.1"]
    ]
    assert not summary.is_routine
    assert summary.quality_issues == []


def test_seed_0100_814_is_routine_with_quality_issues(django_assert_max_num_queries):
    indicator = detail_queryset(FULL_SCOPE).get(fiscal_year=2564, code="0100-814")
    with django_assert_max_num_queries(0):
        summary = summarize(indicator, with_paths=True, with_quality=True)
    assert summary.is_routine
    assert summary.overall_result == D(3)
    assert summary.achievement == D(60)
    assert summary.audit_row.score == D(100)
    assert len(summary.quality_issues) == 4


def test_not_reported_quarters_are_not_zero():
    indicator = detail_queryset(FULL_SCOPE).get(fiscal_year=2564, code="5030-1052")
    indicator.reports.filter(quarter=4).update(value=None)
    indicator.reports.get(quarter=4).assessment.delete()
    summary = summarize(detail_queryset(FULL_SCOPE).get(pk=indicator.pk))
    last = summary.rows[3]
    assert not last.is_reported and last.value is None
    assert not last.is_assessed and last.score is None
    assert last.achievement is None
    assert summary.latest_reported().quarter == 3


@pytest.mark.parametrize(("prefix", "year"), [("5030", 2564), ("0100", 2564)])
def test_agency_summaries_are_the_summaries_of_the_detail_pages(prefix, year):
    agency, fiscal_year = Agency.objects.get(prefix=prefix), FiscalYear.objects.get(year=year)
    rows = agency_summaries(fiscal_year, agency, FULL_SCOPE)
    indicators = detail_queryset(FULL_SCOPE).filter(agency=agency, fiscal_year=fiscal_year)
    expected = [summarize(i, with_paths=True) for i in indicators]
    assert (
        rows
        and len(rows)
        == len(expected)
        == Indicator.objects.filter(agency=agency).filter(fiscal_year=fiscal_year).count()
    )
    for row, one in zip(rows, expected, strict=True):
        assert row.indicator.pk == one.indicator.pk
        assert [r.value for r in row.rows] == [r.value for r in one.rows]
        assert [r.score for r in row.rows] == [r.score for r in one.rows]
        assert (row.status, row.achievement, row.rating) == (
            one.status,
            one.achievement,
            one.rating,
        )
        assert [[n.pk for n in p] for p in row.strategy_paths] == [
            [n.pk for n in p] for p in one.strategy_paths
        ]
    assert any(row.strategy_paths for row in rows) or prefix == "0100"
