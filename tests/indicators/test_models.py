"""Database constraints and derived facts of the domain model."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from indicators.access import FULL_SCOPE
from indicators.models import (
    Agency,
    Assessment,
    FiscalYear,
    Indicator,
    LevelCriterion,
    QuarterReport,
    QuarterWindow,
    fiscal_year_of,
    quarter_of,
)

pytestmark = pytest.mark.django_db


def seed(code: str = "5030-1052") -> Indicator:
    return Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q()).get(
        fiscal_year=2564, code=code
    )


def refused(create) -> bool:
    """True when the database refuses the row."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_indicator_code_is_unique_per_fiscal_year():
    original = seed()
    copy = Indicator.objects.get(pk=original.pk)
    copy.pk = None
    copy.number = 9999  # a different number, but the same code in the same year
    assert refused(copy.save)
    copy.fiscal_year_id = 2565
    copy.number = original.number
    assert not refused(copy.save), "the same code in another fiscal year is allowed"


def test_quarter_must_be_1_to_4():
    assert refused(QuarterReport.of(seed(), 5).save)
    assert refused(QuarterReport.of(seed(), 0).save)


def test_one_report_per_indicator_quarter():
    assert refused(QuarterReport.of(seed(), 1).save)


def test_scores_are_0_to_100_or_empty():
    report = seed().reports.get(quarter=1)
    assessment = report.assessment
    for field in ("score", "score_2_1", "score_2_2"):
        setattr(assessment, field, Decimal(101))
        assert refused(assessment.save), field
        setattr(assessment, field, Decimal(-1))
        assert refused(assessment.save), field
        setattr(assessment, field, None)
        assert not refused(assessment.save), f"{field} may be empty (not assessed)"


def test_one_assessment_per_report():
    report = seed().reports.get(quarter=1)
    assert refused(Assessment.of(report, score=Decimal(50)).save)


def _checked_now() -> None:
    """The year keys are deferred to commit, like Django's own: check them at each statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS report_year_is_indicators, assessment_year_is_reports IMMEDIATE"
        )


def test_a_report_is_filed_under_its_indicators_year():
    """No writer can leave a report's or an assessment's year unlike its indicator's."""
    _checked_now()
    indicator = seed()
    indicator.reports.filter(quarter=4).delete()
    assert refused(lambda: QuarterReport.objects.create(indicator=indicator, quarter=4))
    other_year = QuarterReport(indicator=indicator, fiscal_year_id=2565, quarter=4)
    assert refused(other_year.save)
    assert not refused(QuarterReport.of(indicator, 4).save)
    report = indicator.reports.get(quarter=4)
    assert report.fiscal_year_id == indicator.fiscal_year_id == 2564
    assert refused(lambda: Assessment.objects.create(report=report, score=Decimal(50)))
    assert refused(Assessment(report=report, fiscal_year_id=2565).save)
    assert not refused(Assessment.of(report, score=Decimal(50)).save)


def test_an_indicators_year_moves_its_reports_and_assessments():
    _checked_now()
    indicator = seed()
    Indicator.objects.filter(pk=indicator.pk).update(fiscal_year_id=2565)
    assert set(indicator.reports.values_list("fiscal_year_id", flat=True)) == {2565}
    scored = Assessment.objects.filter(report__indicator=indicator)
    assert scored.exists()
    assert set(scored.values_list("fiscal_year_id", flat=True)) == {2565}


def test_success_level_criteria_are_1_to_5():
    indicator = seed("0100-814")
    assert refused(
        lambda: LevelCriterion.objects.create(indicator=indicator, level=6, description="x")
    )
    assert refused(
        lambda: LevelCriterion.objects.create(indicator=indicator, level=0, description="x")
    )
    assert not refused(
        lambda: LevelCriterion.objects.create(indicator=indicator, level=5, description="ok")
    )


def test_agency_codes_have_the_city_format():
    assert refused(
        lambda: Agency.objects.create(code="5030", prefix="9999", name_th="x", kind="office")
    )
    assert refused(
        lambda: Agency.objects.create(code="99990000", prefix="99", name_th="x", kind="office")
    )


def test_window_dates_must_be_ordered():
    fiscal_year = FiscalYear.objects.create(year=2580)
    assert refused(
        lambda: QuarterWindow.objects.create(
            fiscal_year=fiscal_year,
            quarter=1,
            opens_on=datetime.date(2022, 10, 1),
            due_on=datetime.date(2022, 9, 1),
            locks_on=datetime.date(2023, 1, 1),
        )
    )


def test_fiscal_year_2564_runs_october_2020_to_september_2021():
    fiscal_year = FiscalYear.objects.get(year=2564)
    assert fiscal_year.ce_year == 2021
    assert fiscal_year.start_date == datetime.date(2020, 10, 1)
    assert fiscal_year.end_date == datetime.date(2021, 9, 30)
    quarters = [(fiscal_year.quarter_start(q), fiscal_year.quarter_end(q)) for q in (1, 2, 3, 4)]
    assert quarters == [
        (datetime.date(2020, 10, 1), datetime.date(2020, 12, 31)),
        (datetime.date(2021, 1, 1), datetime.date(2021, 3, 31)),
        (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30)),
        (datetime.date(2021, 7, 1), datetime.date(2021, 9, 30)),
    ]


@pytest.mark.parametrize(
    ("day", "year", "quarter"),
    [
        (datetime.date(2020, 10, 1), 2564, 1),
        (datetime.date(2020, 12, 31), 2564, 1),
        (datetime.date(2021, 1, 1), 2564, 2),
        (datetime.date(2021, 6, 30), 2564, 3),
        (datetime.date(2021, 9, 30), 2564, 4),
        (datetime.date(2026, 11, 22), 2570, 1),
    ],
)
def test_fiscal_year_and_quarter_of_a_day(day, year, quarter):
    assert fiscal_year_of(day) == year
    assert quarter_of(day) == quarter


def test_reference_years_have_four_quarter_windows():
    for year in (2563, 2564, 2565, 2566):
        windows = FiscalYear.objects.get(year=year).windows.order_by("quarter")
        assert [w.quarter for w in windows] == [1, 2, 3, 4]
        q1 = windows[0]
        assert q1.opens_on <= q1.due_on <= q1.locks_on


def test_overall_result_is_derived_from_the_quarters():
    assert seed("5030-1052").overall_result() == Decimal(1)
    assert seed("0100-814").overall_result() == Decimal(3)
    indicator = seed("5030-1052")
    indicator.aggregation = "sum"
    assert indicator.overall_result() == Decimal(4)
    indicator.aggregation = "max"
    assert indicator.overall_result() == Decimal(1)


def test_overall_result_skips_unreported_quarters_and_is_empty_without_any():
    indicator = seed("5030-1052")
    QuarterReport.objects.filter(indicator=indicator, quarter__gte=3).update(value=None)
    indicator = seed("5030-1052")
    indicator.aggregation = "average"
    assert indicator.overall_result() == Decimal(1)
    QuarterReport.objects.filter(indicator=indicator).update(value=None)
    assert seed("5030-1052").overall_result() is None
