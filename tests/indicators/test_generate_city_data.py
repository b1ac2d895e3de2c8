"""generate_city_data makes data like the city's, at a small scale (the suite's clock: 2570 Q1)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, Q

from indicators.bulk_rows import copy_text
from indicators.city_story import CURRENT_MIX, LATE_SHARE, RETURN_SHARE
from indicators.management.commands.generate_city_data import FIRST_NUMBER
from indicators.models import (
    Agency,
    Assessment,
    CommentKind,
    Indicator,
    IndicatorKind,
    Measure,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
    ReviewComment,
)

pytestmark = pytest.mark.django_db
INDICATORS = 200  # 100 a year: 2569 closed, 2570 in its first quarter


@pytest.fixture
def generated():
    call_command("generate_city_data", indicators=INDICATORS, years=2, verbosity=0)
    return Indicator.objects.filter(number__gte=FIRST_NUMBER)


def test_years_end_with_the_current_one_and_a_second_run_adds_nothing(generated):
    assert generated.count() == INDICATORS
    per_year = dict(generated.values_list("fiscal_year").annotate(n=Count("id")))
    assert per_year == {2569: 100, 2570: 100}
    reports = QuarterReport.objects.filter(indicator__in=generated)
    assert reports.filter(indicator__fiscal_year=2569).count() == 400  # four closed quarters
    assert set(reports.filter(indicator__fiscal_year=2570).values_list("quarter", flat=True)) == {1}
    call_command("generate_city_data", indicators=INDICATORS, years=2, verbosity=0)
    assert generated.count() == INDICATORS
    assert reports.count() == 500


def test_every_strategic_indicator_serves_a_strategy_and_routine_ones_none(generated):
    strategic = generated.filter(kind=IndicatorKind.STRATEGIC)
    routine = generated.filter(kind=IndicatorKind.ROUTINE)
    assert 0 < routine.count() < strategic.count()
    assert not strategic.filter(strategy_nodes=None).exists()
    assert not routine.exclude(strategy_nodes=None).exists()
    links = strategic.annotate(n=Count("strategy_nodes"))
    assert links.filter(n__gt=1).exists(), "some serve a second strategy"


def test_level_indicators_carry_five_criteria_others_none(generated):
    criteria = generated.annotate(n=Count("criteria"))
    assert criteria.filter(measure=Measure.LEVEL).exists()
    assert set(criteria.filter(measure=Measure.LEVEL).values_list("n", flat=True)) == {5}
    assert set(criteria.exclude(measure=Measure.LEVEL).values_list("n", flat=True)) == {0}


def test_most_indicators_name_projects_and_datasets(generated):
    with_projects = generated.exclude(projects=None).distinct().count()
    with_datasets = generated.exclude(datasets=None).distinct().count()
    assert INDICATORS * 0.6 < with_projects < INDICATORS
    assert INDICATORS * 0.4 < with_datasets < INDICATORS
    project = generated.exclude(projects=None).first().projects.first()
    assert project.code.startswith(project.indicators.first().agency.prefix)


def test_every_indicator_report_and_assessment_has_its_history(generated):
    assert Indicator.history.filter(id__in=generated, history_type="+").count() == INDICATORS
    reports = QuarterReport.objects.filter(indicator__in=generated)
    rows = QuarterReport.history.filter(id__in=reports).values_list("id").annotate(n=Count("*"))
    assert dict(rows) == dict(reports.values_list("id", "version")), "a history row a version"
    first = QuarterReport.history.filter(id__in=reports, history_type="+")
    assert first.count() == reports.count()
    assert not first.exclude(status=ReportStatus.DRAFT).exists(), "each began as a draft"
    approved = reports.filter(status=ReportStatus.APPROVED)
    assert not first.exclude(history_user=None).exists(), "the quarter opened by itself"
    assessments = Assessment.objects.filter(report__in=reports)
    assert assessments.count() == approved.count()
    assert Assessment.history.filter(id__in=assessments).count() == assessments.count()
    assert not assessments.filter(Q(assessed_by=None) | Q(score=None)).exists()


def test_reports_carry_review_comments_as_the_services_write_them(generated):
    reports = QuarterReport.objects.filter(indicator__in=generated)
    approved = reports.filter(status=ReportStatus.APPROVED)
    approvals = ReviewComment.objects.filter(report__in=approved, kind=CommentKind.APPROVE)
    assert approvals.count() == approved.count()
    returned_now = reports.filter(status=ReportStatus.RETURNED)
    assert returned_now.exists()
    assert not returned_now.exclude(comments__kind=CommentKind.RETURN).exists()
    returned_before = approved.filter(comments__kind=CommentKind.RETURN).count()
    closed = reports.filter(indicator__fiscal_year=2569).count()
    assert 0.03 * closed < returned_before < 3 * RETURN_SHARE * closed
    assert ReviewComment.objects.filter(report__in=reports, kind=CommentKind.COMMENT).exists()
    author = User.objects.get(pk=approvals.first().author_id)
    assert author.groups.filter(name="auditor").exists()


def test_the_open_quarter_holds_drafts_sent_returned_and_approved_reports(generated):
    open_quarter = QuarterReport.objects.filter(
        indicator__in=generated, indicator__fiscal_year=2570
    )
    shares = dict(open_quarter.values_list("status").annotate(n=Count("id")))
    assert set(shares) == {status for (status, _), _ in CURRENT_MIX}
    assert shares[ReportStatus.DRAFT] > shares[ReportStatus.RETURNED]
    drafts = open_quarter.filter(status=ReportStatus.DRAFT)
    assert drafts.filter(value=None).exists() and drafts.exclude(value=None).exists()
    sent = open_quarter.exclude(status=ReportStatus.DRAFT)
    assert not sent.filter(Q(value=None) | Q(submitted_at=None) | Q(submitted_by=None)).exists()


def test_a_share_of_closed_quarters_was_sent_late(generated):
    closed = QuarterReport.objects.filter(indicator__in=generated, indicator__fiscal_year=2569)
    late = 0
    for quarter in (1, 2, 3, 4):
        due = QuarterWindow.objects.get(fiscal_year=2569, quarter=quarter).due_on
        start = datetime.datetime.combine(due, datetime.time(), tzinfo=datetime.UTC)
        late += closed.filter(quarter=quarter, submitted_at__gte=start).count()
    assert 0.04 * 400 < late < 2.5 * LATE_SHARE * 400
    assert closed.filter(submitted_at__isnull=False).count() == 400


def test_generated_staff_report_for_each_agency():
    call_command("generate_city_data", indicators=100, years=1, verbosity=0)
    reporters = User.objects.filter(username__startswith="city-reporter-")
    assert reporters.count() == Agency.objects.count()
    assert not reporters.exclude(agency_memberships__isnull=False).exists()
    assert not reporters.filter(password__startswith="pbkdf2").exists(), "no usable password"


def test_copy_text_escapes_what_copy_reads_specially():
    assert copy_text(None) == "\\N"
    assert copy_text("a\tb\nc\\d") == "a\\tb\\nc\\\\d"
    assert copy_text("ร้อยละ") == "ร้อยละ"
    assert copy_text(True) == "t"
    assert copy_text(Decimal("1.50")) == "1.50"
    assert copy_text({"layout": "x"}) == '{"layout": "x"}'


def test_most_indicators_continue_last_years_of_the_same_code_as_after_a_rollover(generated):
    """The detail page's line across years is exercised by the benchmark data too."""
    first_year = generated.filter(fiscal_year=2569)
    assert not first_year.filter(continues__isnull=False).exists()
    continued = generated.filter(fiscal_year=2570, continues__isnull=False)
    assert 70 <= continued.count() < 100, "most continue, a share are new"
    pairs = continued.values_list("code", "continues__code", "continues__fiscal_year")
    assert {(code == previous, year) for code, previous, year in pairs} == {(True, 2569)}
