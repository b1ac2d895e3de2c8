"""A quarter's target is Indicator.target_for(): planned, else annual; every caller agrees."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from indicators import access
from indicators.models import QUARTERS, Indicator
from indicators.summaries import chart_data, detail_queryset, summarize
from indicators.workflow import services
from tests.helpers import client_for, put, report_url

pytestmark = pytest.mark.django_db
D = Decimal
ANNUAL = D("123.45")


@pytest.fixture
def half_planned(indicator) -> Indicator:
    """The demo indicator with planned targets for quarters 1 and 3 only."""
    Indicator.objects.filter(pk=indicator.pk).update(
        target=ANNUAL, target_q1=D(25), target_q2=None, target_q3=D(75), target_q4=None
    )
    return (
        detail_queryset(access.FULL_SCOPE)
        .select_related("fiscal_year", "agency")
        .get(pk=indicator.pk)
    )


def test_planned_target_else_annual_without_a_query(half_planned, django_assert_num_queries):
    with django_assert_num_queries(0):
        targets = [half_planned.target_for(q) for q in QUARTERS]
    assert targets == [D(25), ANNUAL, D(75), ANNUAL]


def test_summary_rows_and_chart_use_target_for(half_planned):
    summary = summarize(half_planned)
    assert [row.target for row in summary.rows] == [half_planned.target_for(q) for q in QUARTERS]
    assert chart_data(summary)["targets"] == [25.0, 123.45, 75.0, 123.45]


def test_suggested_score_measures_against_target_for(half_planned, report):
    """The current quarter left unplanned: the annual target is what the score measures."""
    Indicator.objects.filter(pk=half_planned.pk).update(**{f"target_q{report.quarter}": None})
    report = put(report, report.status, value="61.72")
    indicator = (
        detail_queryset(access.FULL_SCOPE).select_related("fiscal_year").get(pk=half_planned.pk)
    )
    assert indicator.target_for(report.quarter) == ANNUAL
    report.indicator = indicator
    assert services.suggested_score_of(report) == D(50)  # 50 % of the annual target
    assert summarize(indicator).rows[report.quarter - 1].suggested_score == D(50)
    assert "123.45" in services.suggestion_working(report)
    indicator.target_q1 = indicator.target_q2 = indicator.target_q3 = indicator.target_q4 = D(60)
    assert services.suggested_score_of(report) == D(100)  # planned 60, reported 61.72
    assert "60" in services.suggestion_working(report)


def test_page_and_pdf_tables_show_the_annual_target_where_none_was_planned(half_planned, auditor):
    detail = reverse(
        "indicators:indicator-detail",
        kwargs={"year": half_planned.fiscal_year_id, "code": half_planned.code},
    )
    page = client_for(auditor).get(detail).content.decode()
    start = page.index('<table class="quarters">')
    table = page[start : page.index("</table>", start)]
    assert table.count("123.45") == 2 and "25.00" in table and "75.00" in table
    context = {"summary": summarize(half_planned), "indicator": half_planned}
    pdf_table = render_to_string("reports/pdf/includes/quarter_table.html", context)
    assert pdf_table.count("123.45") == 2


def test_entry_form_shows_the_quarters_target(half_planned, report, reporter5030):
    url = report_url(report, "report-edit")
    response = client_for(reporter5030).get(url)
    assert response.context["quarter_target"] == half_planned.target_for(report.quarter)
