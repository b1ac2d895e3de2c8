"""One reporting window per indicator-quarter: FiscalYear.window(), the same on every surface."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import access
from indicators.dates import thai_date
from indicators.models import AppealRound, FiscalYear, Indicator, QuarterReport, QuarterWindow
from indicators.workflow import appeals
from indicators.workflow.reminders import send_reminders
from indicators.workflow.views.inbox import work_items
from reports.dashboard import figures
from tests.helpers import client_for, report_url

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _dates(window: QuarterWindow) -> tuple[datetime.date, datetime.date, datetime.date]:
    return window.opens_on, window.due_on, window.locks_on


@pytest.fixture(params=["default", "stored"])
def year_windows(request, indicator) -> dict[int, tuple]:
    """The year's windows either all removed (the usual ones apply) or all stored and moved.

    Returns the dates every surface must agree on, by quarter.
    """
    fiscal_year = indicator.fiscal_year
    stored = QuarterWindow.objects.filter(fiscal_year=fiscal_year)
    if request.param == "default":
        stored.delete()
        return {q: _dates(QuarterWindow.default_for(fiscal_year, q)) for q in range(1, 5)}
    expected = {}
    for q in range(1, 5):
        window = fiscal_year.window(q)
        # Three days earlier than usual: a stored window must win over the usual one.
        window.due_on -= 3 * DAY
        window.locks_on -= 3 * DAY
        window.save()
        expected[q] = _dates(window)
    return expected


def _fresh(indicator: Indicator) -> Indicator:
    return Indicator.objects.select_related("fiscal_year", "agency").get(pk=indicator.pk)


def test_window_is_the_stored_one_else_the_usual_one(year_windows, indicator):
    fiscal_year = FiscalYear.objects.get(pk=indicator.fiscal_year_id)
    assert {q: _dates(fiscal_year.window(q)) for q in range(1, 5)} == year_windows


def test_prefetched_windows_cost_no_query(indicator, django_assert_num_queries):
    fiscal_year = FiscalYear.objects.prefetch_related("windows").get(pk=indicator.fiscal_year_id)
    with django_assert_num_queries(0):
        assert [fiscal_year.window(q).quarter for q in range(1, 5)] == [1, 2, 3, 4]


def test_every_surface_gives_the_same_window(year_windows, indicator, report, reporter5030):
    indicator = _fresh(indicator)
    report = QuarterReport.objects.select_related("indicator__fiscal_year").get(pk=report.pk)
    opens, due, locks = year_windows[report.quarter]
    # access: the lock message names the lock date of this window.
    assert access.edit_block_reason(reporter5030, report, locks - DAY) is None
    assert thai_date(locks, "short") in access.edit_block_reason(reporter5030, report, locks)
    # the entry form shows it.
    url = report_url(report, "report-edit")
    window = client_for(reporter5030).get(url).context["window"]
    assert _dates(window) == (opens, due, locks)
    # the inbox counts days to this due date.
    items = [i for i in work_items(reporter5030, opens) if i.report == report]
    assert [_dates(i.window) for i in items] == [(opens, due, locks)]
    # the dashboard's late figures use this due date.
    board = figures.build(indicator.fiscal_year, report.quarter, scope=access.STAFF_SCOPE)
    assert board.due_on == due


def test_reminders_follow_the_same_window(year_windows, report, reporter5030, mailoutbox):
    _opens, due, _locks = year_windows[report.quarter]
    send_reminders(today=due - 7 * DAY, days_before=7)
    mine = [m for m in mailoutbox if m.to == [reporter5030.email]]
    assert mine and report.indicator.code in mine[0].body


def test_appeal_rounds_follow_the_same_windows(year_windows, indicator):
    indicator = _fresh(indicator)
    q2_locks, q4_locks = year_windows[2][2], year_windows[4][2]
    assert appeals.open_appeal_round(indicator, q2_locks - DAY) is None
    assert appeals.open_appeal_round(indicator, q2_locks) == AppealRound.MID_YEAR
    assert appeals.open_appeal_round(indicator, q4_locks) == AppealRound.YEAR_END


def test_entry_form_reads_the_years_windows_once(report, reporter5030):
    client = client_for(reporter5030)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(report_url(report, "report-edit")).status_code == 200
    table = QuarterWindow._meta.db_table
    assert len([q for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]) == 1
