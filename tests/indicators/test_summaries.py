"""The derived facts every indicator page and sheet shows, worked out in one place."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from indicators.access import (
    FULL_SCOPE,
    PUBLIC_SCOPE,
    PUBLIC_STATUSES,
    STAFF_SCOPE,
    ReportScope,
    report_scope,
)
from indicators.models import Agency, Evidence, FiscalYear, Indicator, QuarterReport
from indicators.scoring import Status
from indicators.summaries import (
    agency_summaries,
    cards,
    detail_queryset,
    load_details,
    page_queryset,
    summarize,
)

RELATIONS = ("strategy_nodes", "indicatordataset_set", "indicatorproject_set", "criteria")

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


def _facts(summary):
    rows = [(r.quarter, r.value, r.score, r.achievement, r.awaiting_review) for r in summary.rows]
    return (summary.overall_result, summary.status, summary.official_score, summary.rating, rows)


@pytest.mark.parametrize("who", ["anonymous", "reporter5030", "auditor", "admin_user"])
def test_cards_show_each_reader_the_facts_the_full_load_shows(who, request):
    """cards() loads less (no narratives, evidence counts, or review flags for a reader who
    sees reviews) and changes no fact a row shows."""
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    scope = report_scope(user)
    chosen = Indicator.objects.filter(fiscal_year__in=[2564, 2570]).order_by("pk")
    full = [_facts(summarize(i)) for i in chosen.with_reports(visible=scope.reports_q())]
    light = list(cards(chosen.select_related("fiscal_year"), scope))
    assert [_facts(summarize(i)) for i in light] == full
    assert any(facts[4][0][4] or facts[0] is not None for facts in full)  # not all empty
    reports = [report for i in light for report in i.reports.all()]
    assert reports and all("narrative" in r.get_deferred_fields() for r in reports)
    assert not hasattr(reports[0], "evidence_count")
    assert hasattr(light[0], "in_review_q1") is (not scope.sees_reviews)


def test_cards_of_a_page_cost_two_queries_and_none_per_row(django_assert_num_queries):
    chosen = Indicator.objects.filter(fiscal_year=2570).select_related("agency", "fiscal_year")
    with django_assert_num_queries(2):  # the indicators, their reports with scores
        summaries = [summarize(i) for i in cards(chosen, PUBLIC_SCOPE)[:25]]
        assert [(s.indicator.agency.prefix, s.official_score) for s in summaries]


def _reports_as_loaded(indicator: Indicator) -> list[tuple]:
    """What a page reads of each loaded report: its fields, its score, its evidence count."""
    rows = []
    for report in indicator.reports.all():
        assessment = getattr(report, "assessment", None)
        scores = (assessment.pk, assessment.score, assessment.score_2_1) if assessment else None
        fields = [getattr(report, f.attname) for f in report._meta.concrete_fields]
        rows.append((*fields, scores, report.evidence_count, report.indicator is indicator))
    return rows


@pytest.mark.parametrize("who", ["public", "staff", "own agency", "administrator"])
def test_the_detail_page_reads_the_reports_the_orm_prefetch_reads(who, django_assert_num_queries):
    """load_details(scope=…) reads every year's reports in one plain query (access's
    ReportScope.sql): the same reports, values, assessments and evidence counts as the ORM's
    quarter_reports_prefetch(scope.reports_q())."""
    agency = Agency.objects.get(prefix="5030")
    scope = {
        "public": PUBLIC_SCOPE,
        "staff": STAFF_SCOPE,
        "own agency": ReportScope(PUBLIC_STATUSES, frozenset({agency.pk})),
        "administrator": FULL_SCOPE,
    }[who]
    line = list(page_queryset(scope).filter(code="5030-2001").order_by("fiscal_year_id"))
    Evidence.objects.create(report=QuarterReport.objects.filter(indicator__in=line).first())
    expected = list(
        Indicator.objects.with_reports(visible=scope.reports_q()).filter(code="5030-2001")
    )
    current, *others = line
    with django_assert_num_queries(1 + sum(getattr(current, f"has_{n}") for n in RELATIONS)):
        load_details(current, scope=scope, line=others)
    by_pk = {indicator.pk: indicator for indicator in expected}
    assert [_reports_as_loaded(i) for i in line] == [
        [(*row[:-1], True) for row in _reports_as_loaded(by_pk[i.pk])] for i in line
    ]
    assert any(_reports_as_loaded(i) for i in line)
