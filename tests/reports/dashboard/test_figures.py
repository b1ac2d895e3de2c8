"""The managers' dashboard: figures against hand-computed ones, access, queries, print and PDF."""

import datetime
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.access import FULL_SCOPE, PUBLIC_SCOPE, STAFF_SCOPE
from indicators.demo_data import DISTRICT_TEMPLATES, build_indicator, build_reports
from indicators.models import (
    Agency,
    Assessment,
    Indicator,
    QuarterReport,
    ReportStatus,
    StrategyNode,
)
from indicators.reference_data import PLAN_20_YEARS, load_fiscal_year
from reports.dashboard import figures as dashboard
from tests.indicators.test_rollups import years_by_python_rules

D = Decimal
YEAR = 2590  # far from the demo years; unpublished


def _indicator(year, prefix, number, **fields) -> Indicator:
    agency = Agency.objects.get(prefix=prefix)
    defaults = {
        "name_th": f"ตัวชี้วัดทดสอบ {number}",
        "unit": "หน่วย",
        "measure": "number",
        "kind": "strategic",
        "result_level": "output",
    }
    return Indicator.objects.create(
        fiscal_year_id=year,
        agency=agency,
        number=number,
        code=Indicator.build_code(prefix, number),
        **(defaults | fields),
    )


def _report(indicator, quarter, value, status=ReportStatus.SUBMITTED, submitted_at=None):
    report = QuarterReport.of(
        indicator, quarter, value=value, status=status, submitted_at=submitted_at
    )
    report.save()
    return report


def _link(indicator, *codes):
    indicator.strategy_nodes.add(
        *StrategyNode.objects.filter(plan__code=PLAN_20_YEARS, code__in=codes)
    )


@pytest.fixture
def small_year(db):
    """Four indicators, hand-computed in the tests below.

    A 5030 higher, latest, weight 2, target 100, q1 25 q2 50: Q1 30, Q2 45 (scored 100, on time;
      audited in Q2, so 100 is its official result)
    B 5030 lower from baseline 60 to 20: Q1 40, Q2 10 (approved, sent late, not assessed)
    C 0100 higher, sum, target 10: Q1 draft not reported, Q2 4 (returned)
    D 0100 lower, max, target 5: no report at all
    """
    fiscal_year = load_fiscal_year(YEAR, published=False)
    due = fiscal_year.windows.get(quarter=2).due_on
    before = timezone.make_aware(datetime.datetime.combine(due, datetime.time(16)))
    after = before + datetime.timedelta(days=1)
    a = _indicator(
        YEAR,
        "5030",
        1,
        target=D(100),
        weight=D(2),
        target_q1=D(25),
        target_q2=D(50),
        audit_quarter=2,
    )
    _report(a, 1, D(30), ReportStatus.APPROVED)
    Assessment.of(_report(a, 2, D(45), submitted_at=before), score=D(100)).save()
    b = _indicator(YEAR, "5030", 2, direction="lower", target=D(20), baseline=D(60))
    _report(b, 1, D(40), ReportStatus.APPROVED)
    Assessment.of(_report(b, 2, D(10), ReportStatus.APPROVED, submitted_at=after)).save()
    c = _indicator(YEAR, "0100", 1, target=D(10), aggregation="sum")
    _report(c, 1, None, ReportStatus.DRAFT)
    _report(c, 2, D(4), ReportStatus.RETURNED)
    d = _indicator(YEAR, "0100", 2, direction="lower", target=D(5), aggregation="max")
    _link(a, "2.1.1", "2.1")  # twice in dimension 2: counted once
    _link(b, "1.4")
    _link(c, "2.2.1")
    return fiscal_year, {"a": a, "b": b, "c": c, "d": d}


def _after_due(fiscal_year, quarter) -> datetime.date:
    return fiscal_year.windows.get(quarter=quarter).due_on + datetime.timedelta(days=1)


def test_city_figures_of_quarter_2(small_year):
    fiscal_year, _ = small_year
    board = dashboard.build(fiscal_year, 2, today=_after_due(fiscal_year, 2), scope=FULL_SCOPE)
    total = board.total
    assert total.count == 4
    assert total.reported == 3 and total.reported_share == D("75.0")
    # (45×2 + 125 + 40) / (2 + 1 + 1); D has no result and does not count
    assert total.achievement == D("63.75")
    assert total.score == D("100.00")  # only A is assessed; B's empty score is not a 0
    assert total.assessed == 1 and total.approved == 1
    assert total.on_time == 1  # A; B was approved but sent a day late
    assert total.late == 3  # B sent late, C returned, D never sent
    assert total.returned == 1
    assert total.statuses == {"achieved": 1, "on_track": 0, "off_track": 2, "not_reported": 1}
    # Ratings follow the official score only: A's audit quarter 2 scored 100; no other is official.
    assert total.ratings == {5: 1, 4: 0, 3: 0, 2: 0, 1: 0}


def test_city_figures_of_quarter_1(small_year):
    fiscal_year, _ = small_year
    total = dashboard.build(
        fiscal_year, 1, today=_after_due(fiscal_year, 1), scope=FULL_SCOPE
    ).total
    assert total.reported == 2
    assert total.achievement == D("36.67")  # (30×2 + 50) / 3
    assert total.score is None
    # A is 120 % of its Q1 plan: on track; B 50 %: off track; C and D not reported
    assert total.statuses == {"achieved": 0, "on_track": 1, "off_track": 1, "not_reported": 2}


def test_empty_quarter_keeps_the_year_so_far(small_year):
    fiscal_year, _ = small_year
    total = dashboard.build(
        fiscal_year, 3, today=_after_due(fiscal_year, 3), scope=FULL_SCOPE
    ).total
    assert total.reported == 0 and total.reported_share == D("0.0")
    assert total.achievement == D("63.75")  # results up to Q3 are those of Q2
    assert total.score is None and total.assessed == 0
    assert total.late == 4 and total.on_time == 0


def test_lateness_waits_for_the_due_date(small_year):
    fiscal_year, _ = small_year
    due = fiscal_year.windows.get(quarter=2).due_on
    total = dashboard.build(fiscal_year, 2, today=due, scope=FULL_SCOPE).total
    assert total.late == 1  # only B, which was sent after the due day


def test_breakdowns(small_year):
    fiscal_year, _ = small_year
    board = dashboard.build(fiscal_year, 2, today=_after_due(fiscal_year, 2), scope=FULL_SCOPE)
    agencies = {row.key: row.figures for row in board.agencies}
    assert agencies["5030"].achievement == D("71.67")  # (45×2 + 125) / 3
    assert agencies["0100"].achievement == D("40.00")
    assert [row.key for row in board.agencies] == ["0100", "5030"]  # behind first
    groups = {row.key: row.figures for row in board.groups}
    bang_kho_laem = Agency.objects.get(prefix="5030").group.code
    assert groups[bang_kho_laem].count == 2
    assert groups[""].count == 2  # departments have no district group
    dimensions = {row.key: row.figures for row in board.dimensions}
    assert dimensions["2"].count == 2  # A once, though linked twice; and C
    assert dimensions["2"].achievement == D("43.33")  # (45×2 + 40) / 3
    assert dimensions["1"].count == 1 and dimensions["1"].achievement == D("125.00")
    assert dimensions["3"].count == 0 and dimensions["3"].achievement is None


def test_trend(small_year):
    fiscal_year, _ = small_year
    trend = dict(dashboard.build(fiscal_year, 2, scope=FULL_SCOPE).trend)
    assert trend[1].achievement == D("36.67")
    assert trend[2].achievement == D("63.75")
    assert trend[3].count == 0  # not yet shown


def test_reporter_scope(small_year):
    fiscal_year, _ = small_year
    only_5030 = [Agency.objects.get(prefix="5030").pk]
    total = dashboard.build(fiscal_year, 2, only_5030, scope=FULL_SCOPE).total
    assert total.count == 2 and total.achievement == D("71.67")


def test_default_quarter_is_the_latest_reported(small_year):
    fiscal_year, _ = small_year
    assert dashboard.default_quarter(fiscal_year, scope=FULL_SCOPE) == 2


def test_cache_sees_a_new_score(small_year, django_capture_on_commit_callbacks):
    fiscal_year, items = small_year
    cache.clear()
    assert dashboard.cached(fiscal_year, 2, scope=FULL_SCOPE).total.score == D("100.00")
    assessment = Assessment.objects.get(report__indicator=items["b"], report__quarter=2)
    assessment.score = D(40)
    with django_capture_on_commit_callbacks(execute=True):  # the save's commit
        assessment.save()
    assert dashboard.cached(fiscal_year, 2, scope=FULL_SCOPE).total.score == D(
        "80.00"
    )  # (100×2 + 40) / 3


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def url(small_year):
    return f"/dashboard/{YEAR}/"


@pytest.mark.parametrize("persona", ["manager", "auditor", "admin_user"])
def test_staff_see_the_whole_dashboard(client, url, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url + "?quarter=2")
    assert response.status_code == 200
    assert response.context["board"].total.count == 4
    assert b"late-table" in response.content


def test_reporter_sees_own_agencies(client, url, reporter5030):
    client.force_login(reporter5030)
    response = client.get(url + "?quarter=2")
    assert response.status_code == 200
    assert {row.key for row in response.context["board"].agencies} == {"5030"}


def test_anonymous_sees_published_years_only(client, url, small_year):
    assert client.get(url).status_code == 404
    fiscal_year, _ = small_year
    fiscal_year.is_published = True
    fiscal_year.save()
    response = client.get(url)
    assert response.status_code == 200
    assert b"late-table" not in response.content  # the public summary leaves workflow out


def test_missing_year_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/dashboard/2499/").status_code == 404


def test_links_follow_the_list_url_contract(client, url, manager):
    client.force_login(manager)
    content = client.get(url + "?quarter=2").content.decode()
    assert f"/indicators/?year={YEAR}&amp;agency=5030" in content
    assert f"/indicators/?year={YEAR}&amp;dimension=2" in content
    assert f"/indicators/?year={YEAR}&amp;status=off_track" in content
    assert f"/agencies/5030/{YEAR}/" in content
    assert 'id="dashboard-data"' in content
    assert "style=" not in content  # CSP: no inline styles


def test_bad_quarter_falls_back_to_default(client, url, manager):
    client.force_login(manager)
    assert client.get(url + "?quarter=9").context["board"].quarter == 2


def test_print_view(client, url, manager):
    client.force_login(manager)
    response = client.get(url + "print/?quarter=2")
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]


def test_pdf(client, url, manager):
    client.force_login(manager)
    response = client.get(url + "dashboard.pdf?quarter=2")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def _make_year(year: int, count: int) -> None:
    fiscal_year = load_fiscal_year(year)
    agencies = list(Agency.objects.order_by("prefix")[:20])
    rng = random.Random(year)
    reports, assessments = [], []
    for n in range(count):
        template = DISTRICT_TEMPLATES[n % len(DISTRICT_TEMPLATES)]
        indicator = build_indicator(fiscal_year, agencies[n % 20], 3000 + n, template, n)
        indicator.save()
        new_reports, new_assessments = build_reports(indicator, template, 2, rng, assessed=True)
        reports += new_reports
        assessments += new_assessments
    QuarterReport.objects.bulk_create(reports)
    Assessment.objects.bulk_create(assessments)


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_data(client, manager, django_assert_max_num_queries):
    _make_year(2591, 10)
    _make_year(2592, 200)
    client.force_login(manager)
    small = _queries(client, "/dashboard/2591/")
    large = _queries(client, "/dashboard/2592/")
    assert small == large
    cache.clear()
    # One pass for every figure (issue 14): the page costs 9 queries, the figures 2 of them.
    with django_assert_max_num_queries(9):
        client.get("/dashboard/2592/")


@pytest.mark.django_db
@pytest.mark.parametrize("scope", [STAFF_SCOPE, PUBLIC_SCOPE], ids=["staff", "public"])
def test_every_demo_year_and_quarter_counts_what_the_python_rules_give(scope):
    """The statement reads each year's reports by their own year; Python reads them through
    each indicator. Both give the same counts for every demo year and quarter."""
    checked = 0
    for fiscal_year, quarter, expected in years_by_python_rules(scope):
        board = dashboard.build(fiscal_year, quarter, scope=scope)
        statuses = Counter(status for _i, (*_, status, _rating) in expected)
        ratings = Counter(rating for _i, (*_, rating) in expected if rating is not None)
        assert board.total.count == len(expected)
        assert board.total.statuses == {s: statuses[s] for s in dashboard.STATUSES}
        assert board.total.ratings == {r: ratings[r] for r in dashboard.RATINGS}
        checked += 1
    assert checked >= 20
