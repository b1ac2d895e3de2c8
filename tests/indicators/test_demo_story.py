"""The demo tells one consistent story: every year filled, numbers, scores and words agree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F

from indicators import access, scoring
from indicators.demo_data import BEHIND_PLAN_NARRATIVES, ON_PLAN_NARRATIVES
from indicators.models import (
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
    fiscal_year_of,
)
from indicators.workflow.services import suggested_score_of

pytestmark = pytest.mark.django_db
DEMO = {"number__gte": 2001}  # the seeds (numbers 814, 1052) are kept as the city published them


def test_every_year_from_2564_to_the_current_one_holds_indicators(today):
    years = set(Indicator.objects.values_list("fiscal_year_id", flat=True))
    assert set(range(2564, fiscal_year_of(today) + 1)) <= years


def test_menus_offer_no_year_without_indicators(today):
    empty = FiscalYear.objects.exclude(indicators__isnull=False)
    assert empty.exists()  # the reference data loads 2563, which holds nothing
    offered = set(access.menu_years(AnonymousUser()).values_list("year", flat=True))
    assert not offered & set(empty.values_list("year", flat=True))


def test_official_scores_follow_the_rules():
    reports = QuarterReport.objects.filter(
        indicator__in=Indicator.objects.filter(**DEMO), assessment__score__isnull=False
    ).select_related("assessment", "indicator")
    assert reports.count() > 100
    for report in reports:
        score = report.assessment.score
        assert score == suggested_score_of(report), report
        assert report.assessment.score_2_1 == report.assessment.score_2_2 == score


def test_narratives_agree_with_the_numbers():
    reports = QuarterReport.objects.filter(
        indicator__in=Indicator.objects.filter(**DEMO), value__isnull=False
    ).select_related("indicator")
    assert reports.count() > 100
    for report in reports:
        indicator = report.indicator
        achieved = scoring.achievement(
            report.value,
            indicator.quarter_target(report.quarter),
            indicator.direction,
            baseline=indicator.baseline,
        )
        expected = ON_PLAN_NARRATIVES if achieved >= 100 else BEHIND_PLAN_NARRATIVES
        assert report.narrative in expected, (report, achieved)


def test_every_sent_report_has_its_submission_time():
    sent = QuarterReport.objects.filter(
        indicator__in=Indicator.objects.filter(**DEMO),
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
    )
    assert sent.exists()
    assert not sent.filter(submitted_at__isnull=True).exists()


def test_the_current_quarter_has_work_waiting_for_reporters_and_auditors(today, report):
    assert report.status == ReportStatus.DRAFT and report.value is None  # 5030's own quarter
    waiting = QuarterReport.objects.awaiting_review().filter(
        indicator__fiscal_year_id=fiscal_year_of(today)
    )
    assert waiting.count() >= 10
    assert not waiting.filter(submitted_at__isnull=True).exists()


def test_every_report_and_assessment_is_filed_under_its_indicators_year():
    """The demo's writers set the year (the dashboard reads a year's rows by it), on any
    database: SQLite has no two-column key to refuse a wrong one."""
    reports = QuarterReport.objects.exclude(fiscal_year_id=F("indicator__fiscal_year_id"))
    assessments = Assessment.objects.exclude(fiscal_year_id=F("report__fiscal_year_id"))
    assert QuarterReport.objects.exists()
    assert not reports.exists()
    assert not assessments.exists()
