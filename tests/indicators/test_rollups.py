"""The SQL of indicators/rollups.py gives what indicators/scoring.py gives, indicator by indicator."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection

from indicators import rollups, scoring
from indicators.access import FULL_SCOPE, ReportScope
from indicators.models import (
    QUARTERS,
    Agency,
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
)
from indicators.reference_data import load_fiscal_year

D = Decimal


def python_rules(indicator: Indicator, quarter: int, thresholds) -> tuple:
    """(overall, achievement, latest achievement, status, rating) by indicators/scoring.py."""
    reports = {r.quarter: r for r in indicator.reports.all() if r.quarter <= quarter}
    values = [reports[q].value if q in reports else None for q in range(1, quarter + 1)]
    overall = scoring.aggregate_quarters(values, indicator.aggregation)
    achieved = scoring.achievement(
        overall, indicator.target, indicator.direction, baseline=indicator.baseline
    )
    latest = None
    reported = [q for q in range(1, quarter + 1) if values[q - 1] is not None]
    if reported:
        q = reported[-1]
        latest = scoring.achievement(
            values[q - 1], indicator.target_for(q), indicator.direction, baseline=indicator.baseline
        )
    audit = reports.get(indicator.audit_quarter)
    assessment = getattr(audit, "assessment", None) if audit else None
    official = assessment.score if assessment else None
    return (
        overall,
        achieved,
        latest,
        scoring.status(achieved, latest).value,
        scoring.rating(official, thresholds),  # the badge follows the official score only
    )


def years_by_python_rules(
    scope: ReportScope,
) -> Iterator[tuple[FiscalYear, int, list[tuple[Indicator, tuple]]]]:
    """Each year with indicators and each quarter: its indicators with their python_rules()
    as a reader of `scope` sees them."""
    for fiscal_year in FiscalYear.objects.filter(indicators__isnull=False).distinct():
        thresholds = fiscal_year.rating_thresholds()
        visible = scope.reports_q()
        indicators = list(Indicator.objects.in_year(fiscal_year.year).with_reports(visible=visible))
        for quarter in QUARTERS:
            rules = [(i, python_rules(i, quarter, thresholds)) for i in indicators]
            yield fiscal_year, quarter, rules


def _sql(fiscal_year: FiscalYear, quarter: int) -> dict[int, tuple]:
    sql, params = rollups.indicator_rows_sql(
        scope=FULL_SCOPE,
        year=fiscal_year.year,
        quarter=quarter,
        thresholds=fiscal_year.rating_thresholds(),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    keys = ("overall", "achievement", "latest_achievement", "status", "rating")
    return {row["id"]: tuple(_decimal(row[k]) for k in keys) for row in rows}


def _decimal(value):
    """SQLite hands NUMERIC results back as floats; the digits are what must agree."""
    return Decimal(str(value)) if isinstance(value, float) else value


def _edge_cases() -> None:
    """Every rule and edge the Python module defines, in one unpublished year."""
    fiscal_year = load_fiscal_year(2595, published=False)
    fiscal_year.rating_bands = [95, 85, 75, 65]
    fiscal_year.save()
    agency = Agency.objects.get(prefix="5030")
    cases = [
        # (direction, aggregation, target, baseline, quarter targets, values by quarter)
        ("higher", "latest", D(100), None, (25, 50, 75, 100), (30, 45, None, 80)),
        ("higher", "sum", D(10), None, (None,) * 4, (None, 4, 3, None)),
        ("higher", "average", D(3), None, (None,) * 4, (1, 1, D("0.5"), None)),
        ("higher", "max", D(50), None, (None,) * 4, (20, 60, 10, None)),
        ("higher", "latest", D(0), None, (None,) * 4, (0, None, None, None)),
        ("lower", "latest", D(8900), D(10500), (None,) * 4, (D(9500), D(8722), None, None)),
        ("lower", "latest", D(20), D(10), (None,) * 4, (15, 25, None, None)),
        ("lower", "latest", D(5), None, (None,) * 4, (10, 0, 4, None)),
        ("lower", "max", D(5), None, (None,) * 4, (None,) * 4),
        ("level", "latest", D(5), None, (1, 2, 4, 5), (1, 2, 3, None)),
        ("higher", "latest", D(200), None, (None,) * 4, (D("24.69"), None, None, None)),
        ("higher", "average", D(100), None, (None,) * 4, (D("0.01"), D("0.02"), None, None)),
        # Quarter 2 has no planned target: Indicator.target_for falls back to the annual one.
        ("higher", "latest", D(100), None, (25, None, 75, None), (20, 40, None, None)),
        # Exact halves of a hundredth, averaged: to the even neighbour on both signs (0.025
        # → 0.02, -0.025 → -0.02, -0.015 → -0.02, 0.035 → 0.04), as Decimal rounds.
        ("higher", "average", D(1), None, (None,) * 4, (D("0.02"), D("0.03"), None, None)),
        ("higher", "average", D(1), None, (None,) * 4, (D("-0.02"), D("-0.03"), None, None)),
        ("higher", "average", D(1), None, (None,) * 4, (D("-0.01"), D("-0.02"), None, None)),
        ("higher", "average", D(1), None, (None,) * 4, (D("0.03"), D("0.04"), None, None)),
        # 1 / 8 = 12.5 %, 3 / 8 = 37.5 %: halves of whole percents stay exact.
        ("higher", "latest", D(8), None, (None,) * 4, (1, 3, None, None)),
        ("higher", "latest", D(800), None, (None,) * 4, (1, 3, D("0.3"), D("1.1"))),
    ]
    for number, (direction, rule, target, baseline, planned, values) in enumerate(cases, 1):
        indicator = Indicator.objects.create(
            fiscal_year=fiscal_year,
            agency=agency,
            number=number,
            code=Indicator.build_code(agency.prefix, number),
            name_th="กรณีทดสอบ",
            unit="หน่วย",
            measure="number",
            kind="strategic",
            result_level="output",
            direction=direction,
            aggregation=rule,
            target=target,
            baseline=baseline,
            **{f"target_q{q}": planned[q - 1] for q in QUARTERS},
        )
        for quarter, value in enumerate(values, 1):
            if value is not None or quarter == 1:
                report = QuarterReport.of(indicator, quarter, value=value)
                report.save()
                if quarter == 2 and value is not None:
                    # An official score that contradicts the achievement, on some indicators.
                    Assessment.of(report, score=D(min(number * 8, 100))).save()
        if number % 2 == 0:
            indicator.audit_quarter = 2
            indicator.save()


@pytest.mark.django_db
def test_database_rules_equal_python_rules():
    _edge_cases()
    checked = 0
    for fiscal_year, quarter, expected in years_by_python_rules(FULL_SCOPE):
        database = _sql(fiscal_year, quarter)
        for indicator, rules in expected:
            assert database[indicator.pk] == rules, (indicator.code, quarter)
            checked += 1
    assert checked > 400


@pytest.mark.django_db
def test_half_is_rounded_to_even_as_in_python():
    _edge_cases()
    fiscal_year = FiscalYear.objects.get(year=2595)
    rows = _sql(fiscal_year, 2)
    tie = Indicator.objects.get(fiscal_year=fiscal_year, number=6)  # 1778 / 1600 = 111.125 %
    assert rows[tie.pk][1] == D("111.12")
    averages = [Indicator.objects.get(fiscal_year=fiscal_year, number=n) for n in (14, 15, 16, 17)]
    assert [rows[i.pk][0] for i in averages] == [D("0.02"), D("-0.02"), D("-0.02"), D("0.04")]
    small = Indicator.objects.get(fiscal_year=fiscal_year, number=19)
    assert [_sql(fiscal_year, q)[small.pk][1] for q in QUARTERS] == [
        D("0.12"),
        D("0.38"),
        D("0.04"),
        D("0.14"),
    ]
