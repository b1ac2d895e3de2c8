"""The indicator's line across years on its detail page, and the list's lineage filter."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators import access
from indicators.access import FULL_SCOPE
from indicators.models import (
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
)
from indicators.rollover.lineage import (
    TOP,
    WIDTH,
    _svg_number,
    line_chart,
    line_indicators,
    year_line,
)
from indicators.rollover.plan import Selection
from indicators.rollover.services import rollover_year
from indicators.summaries import (
    detail_queryset,
    load_details,
    one_indicator_queryset,
    page_queryset,
    summarize,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
CODE = "5030-2001"


def detail_url(year: int, code: str = CODE) -> str:
    return reverse("indicators:indicator-detail", kwargs={"year": year, "code": code})


@pytest.fixture
def line_2569() -> Indicator:
    """2569's 5030-2001, audited in Q4, whose Q4 is sent back to review with 77.7 scored 88:
    staff see it, the public does not. 2567 is taken back from publication."""
    indicator = Indicator.objects.get(fiscal_year_id=2569, code=CODE)
    indicator.audit_quarter = 4
    indicator.save()
    QuarterReport.objects.filter(indicator=indicator, quarter=4).update(
        value=Decimal("77.7"), status=ReportStatus.SUBMITTED
    )
    Assessment.objects.filter(report__indicator=indicator, report__quarter=4).update(
        score=Decimal(88)
    )
    FiscalYear.objects.filter(year=2567).update(is_published=False)
    return indicator


def line_of(indicator: Indicator, user) -> list:
    """year_line() as the detail page calls it: from the page's own summary of `indicator`,
    the other years' reports read with the page's own."""
    scope = access.report_scope(user)
    current = page_queryset(scope).get(pk=indicator.pk)
    others = line_indicators(current, user)
    load_details(current, scope=scope, line=others)
    return year_line(summarize(current), others)


def test_the_demo_links_each_year_to_the_one_before():
    chain = Indicator.objects.filter(code=CODE).order_by("fiscal_year_id")
    assert [i.fiscal_year_id for i in chain] == list(range(2564, 2571))
    assert [i.continues_id for i in chain] == [None, *[i.pk for i in chain][:-1]]


def test_staff_see_every_year_and_every_reviewed_quarter(line_2569, auditor):
    current = Indicator.objects.get(fiscal_year_id=2570, code=CODE)
    line = line_of(current, auditor)
    assert [p.year for p in line] == list(range(2564, 2571))
    assert [p.is_current for p in line] == [False] * 6 + [True]
    by_year = {p.year: p.summary for p in line}
    assert (by_year[2569].overall_result, by_year[2569].official_score) == (
        Decimal("77.7"),
        Decimal(88),
    )


def test_the_public_sees_published_years_and_approved_quarters_only(line_2569):
    current = Indicator.objects.get(fiscal_year_id=2570, code=CODE)
    line = line_of(current, AnonymousUser())
    assert [p.year for p in line] == [2564, 2565, 2566, 2568, 2569, 2570]
    q3 = QuarterReport.objects.get(indicator=line_2569, quarter=3).value
    summary = {p.year: p.summary for p in line}[2569]
    assert (summary.overall_result, summary.official_score) == (q3, None)


@pytest.mark.parametrize("persona", ["anonymous", "auditor"])
def test_each_years_official_number_is_the_one_its_own_page_shows(request, line_2569, persona):
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    current = Indicator.objects.get(fiscal_year_id=2570, code=CODE)
    scope = access.report_scope(user)
    for point in line_of(current, user):
        own = summarize(detail_queryset(scope).get(pk=point.indicator.pk))
        assert (point.summary.overall_result, point.summary.official_score) == (
            own.overall_result,
            own.official_score,
        )


def test_the_page_shows_the_line_without_leaking_to_the_public(client, line_2569, auditor):
    public = client.get(detail_url(2570)).content.decode()
    assert "ตัวชี้วัดนี้ในแต่ละปี" in public
    assert "<svg" in public and "<polyline" in public
    assert detail_url(2569) in public
    assert detail_url(2567) not in public
    assert "77.7" not in public
    staff = client_for(auditor).get(detail_url(2570)).content.decode()
    assert detail_url(2567) in staff
    assert "77.7" in staff


def test_a_lone_indicator_shows_no_line(client):
    page = client.get(detail_url(2564, "5030-1052")).content.decode()
    assert "ตัวชี้วัดนี้ในแต่ละปี" not in page


def test_the_chart_scales_target_and_results_to_a_round_top(line_2569, auditor):
    current = Indicator.objects.get(fiscal_year_id=2570, code=CODE)
    chart = line_chart(line_of(current, auditor))
    assert chart is not None
    assert [label for _y, label in chart.ticks] == ["0", "50", "100"]  # targets of 100 (%)
    target, result = chart.series
    assert len(target.points) == 7
    assert len(result.points) == 6  # 2570's Q1 is a draft: no result to draw
    assert line_chart(line_of(current, auditor)[:1]) is None


def test_the_line_costs_no_query_alone_and_one_however_long(django_assert_num_queries, auditor):
    """One query for a line of seven years (the chain walked inside it); their reports come in
    the page's own query for its reports, which costs the same with the line as without."""
    scope = access.report_scope(auditor)  # the auditor's groups, read once per request
    seed = page_queryset(scope).get(fiscal_year_id=2564, code="5030-1052")
    current = page_queryset(scope).get(fiscal_year_id=2570, code=CODE)
    assert (seed.has_continuations, current.has_continuations) == (False, False)
    alone = page_queryset(scope).get(pk=current.pk)
    with CaptureQueriesContext(connection) as without_line:
        load_details(alone, scope=scope)
    for indicator, length, queries in ((seed, 1, 0), (current, 7, 1)):
        with django_assert_num_queries(queries):
            others = line_indicators(indicator, auditor)
        if indicator is current:
            with django_assert_num_queries(len(without_line)):
                load_details(indicator, scope=scope, line=others)
        else:
            load_details(indicator, scope=scope)
        summary = summarize(indicator)
        with django_assert_num_queries(0):
            line = year_line(summary, others)
        assert len(line) == length
        assert [p.summary for p in line if p.is_current] == [summary]  # the page's own, reused
    assert summarize(alone).rows == summarize(current).rows  # the shared query changed nothing


def test_a_year_continued_later_is_no_lone_indicator(auditor):
    """2569's indicator continues 2568's and is continued by 2570's: both ways count."""
    scope = access.report_scope(auditor)
    middle = one_indicator_queryset(scope).get(fiscal_year_id=2569, code=CODE)
    assert middle.has_continuations
    assert [p.year for p in line_of(middle, auditor)] == list(range(2564, 2571))
    first = one_indicator_queryset(scope).get(fiscal_year_id=2564, code=CODE)
    assert first.continues_id is None and first.has_continuations
    assert len(line_of(first, auditor)) == 7


def page_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_detail_page_costs_the_same_for_a_line_of_two_or_of_seven(source, auditor):
    rollover_year(Selection(2570, 2571, indicator_ids=(source.pk,)), by=auditor)
    client = client_for(auditor)
    two = page_queries(client, detail_url(2571, "5030-3901"))
    seven = page_queries(client, detail_url(2570))
    # The detail page reads only the relations an indicator has (issue 14): count without them.
    assert two - relation_queries(2571, "5030-3901") == seven - relation_queries(2570, CODE)


def relation_queries(year: int, code: str) -> int:
    """The queries the detail page spends on the criteria, projects, datasets and strategy
    links `code` has (one a relation present)."""
    indicator = one_indicator_queryset(FULL_SCOPE).get(fiscal_year_id=year, code=code)
    names = ("strategy_nodes", "indicatordataset_set", "indicatorproject_set", "criteria")
    return sum(bool(getattr(indicator, f"has_{name}")) for name in names)


def test_the_list_filters_continued_and_new_indicators(client, source):
    url = reverse("indicators:indicator-list")
    query = {"year": 2570, "agency": "5030"}
    continued = client.get(url, query | {"lineage": "continued"}).content.decode()
    new = client.get(url, query | {"lineage": "new"}).content.decode()
    assert detail_url(2570) in continued and detail_url(2570, "5030-3901") not in continued
    assert detail_url(2570, "5030-3901") in new and detail_url(2570) not in new
    assert "ต่อเนื่องจากปีที่แล้ว" in continued and "ใหม่ในปีนี้" in continued


def _shown(year, indicator, summary) -> tuple:
    """What the line's table and chart show of a year."""
    facts = (summary.overall_result, summary.official_score, summary.rating, summary.status)
    return (year, indicator.code, indicator.target, *facts)


@pytest.mark.parametrize("who", ["anonymous", "auditor"])
def test_the_other_years_load_only_what_the_line_shows_and_show_the_same(
    line_2569, who, request, django_assert_num_queries
):
    """Their texts, agency and review flags are not read (LINE_FIELDS); what the line shows
    of each year is what a full load gives, and showing it costs no query."""
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    scope = access.report_scope(user)
    current = Indicator.objects.get(fiscal_year_id=2570, code=CODE)
    others = [point for point in line_of(current, user) if not point.is_current]
    assert len(others) >= 5
    full = {i.pk: summarize(i) for i in detail_queryset(scope).filter(code=CODE)}
    with django_assert_num_queries(0):
        shown = [_shown(p.year, p.indicator, p.summary) for p in others]
    expected = [
        _shown(s.indicator.fiscal_year_id, s.indicator, s)
        for s in (full[p.indicator.pk] for p in others)
    ]
    assert shown == expected
    loaded = others[0].indicator
    assert {"definition", "name_th", "agency_id"} <= loaded.get_deferred_fields()
    assert not hasattr(loaded, "in_review_q1")


@given(st.floats(min_value=TOP, max_value=WIDTH))
def test_the_chart_writes_a_coordinate_as_floatformat_1_does(value):
    """The SVG's numbers are written in Python, as the template's floatformat:1 wrote them
    (every coordinate lies inside the chart, none below its top margin)."""
    for language in ("th", "en"):
        with translation.override(language):
            assert _svg_number(value) == floatformat(value, 1)


@pytest.mark.parametrize("value", [12.25, 0.35, 52.0, 171.95, 2.675, 1 / 3])
def test_a_coordinate_halfway_rounds_up_as_floatformat_does(value):
    assert _svg_number(value) == floatformat(value, 1)
