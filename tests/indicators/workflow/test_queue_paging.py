"""Issue 14: the auditor's queue in pages of fifty, its counts kept per data version."""

import datetime
import math
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from indicators.cache import raise_data_version
from indicators.models import QuarterReport, ReportStatus, fiscal_year_of
from indicators.workflow import queue, services
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

URL = reverse("indicators:review-queue")


def key_of(report: QuarterReport) -> str:
    return f"{report.indicator.fiscal_year_id}/{report.indicator.code}/q{report.quarter}"


def send(count: int, year: int) -> None:
    """`count` more of `year`'s reports submitted with a result, each a minute apart (bypassing
    the services, as an import would)."""
    pks = list(
        QuarterReport.objects.filter(indicator__fiscal_year_id=year)
        .exclude(status=ReportStatus.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    assert len(pks) == count, "the demo has fewer reports than the test needs"
    start = timezone.now() - datetime.timedelta(days=400)
    for n, pk in enumerate(pks):
        QuarterReport.objects.filter(pk=pk).update(
            status=ReportStatus.SUBMITTED,
            value=Decimal(10),
            submitted_at=start + datetime.timedelta(minutes=n),
        )
    raise_data_version(frozenset({year}))  # update() sends no signal


@pytest.fixture
def busy_year(today) -> int:
    """The current year of the demo: more than three pages of submitted reports."""
    year = fiscal_year_of(today)
    sent = QuarterReport.objects.filter(
        indicator__fiscal_year_id=year, status=ReportStatus.SUBMITTED
    )
    assert sent.count() > 3 * queue.PER_PAGE
    return year


def test_the_queue_shows_fifty_rows_a_page_and_says_which_page(auditor, busy_year):
    response = client_for(auditor).get(URL, {"year": busy_year})
    shown = response.context["shown"]
    page = response.context["page"]
    assert len(response.context["reports"]) == queue.PER_PAGE
    assert page.paginator.num_pages == math.ceil(shown / queue.PER_PAGE) >= 3
    text = response.content.decode()
    assert f"หน้า 1 จาก {page.paginator.num_pages}" in text
    assert f"แสดงรายการที่ 1–{queue.PER_PAGE}" in text


def test_page_links_keep_the_filters_and_the_filters_start_again_at_page_one(auditor, busy_year):
    client = client_for(auditor)
    response = client.get(URL, {"year": busy_year, "sort": "agency", "page": "2"})
    text = response.content.decode()
    kept = f"year={busy_year}&amp;status=submitted&amp;sort=agency"
    assert f'href="?{kept}&amp;page=1"' in text and f'href="?{kept}&amp;page=3"' in text
    # The form posts back to this very page, so an approval returns to it.
    assert f'action="{URL}?year={busy_year}&amp;sort=agency&amp;page=2"' in text
    # Another status is another list: its links start at its first page.
    assert f'href="?year={busy_year}&amp;status=approved&amp;sort=agency"' in text


def test_pages_follow_each_other_in_the_chosen_order_without_gaps(auditor, busy_year):
    client = client_for(auditor)
    params = {"year": busy_year, "sort": "agency"}
    first = client.get(URL, params)
    pages = first.context["page"].paginator.num_pages
    rows = [
        r.pk
        for n in range(1, pages + 1)
        for r in client.get(URL, {**params, "page": n}).context["reports"]
    ]
    expected = queue.queue_reports(
        queue.QueueFilters.from_query(QueryDict(f"year={busy_year}&sort=agency"))
    )
    assert rows == [r.pk for r in expected]
    assert len(rows) == len(set(rows)) == first.context["shown"]


def test_the_last_page_holds_the_rest_and_offers_no_next(auditor, busy_year):
    client = client_for(auditor)
    shown = client.get(URL, {"year": busy_year}).context["shown"]
    pages = math.ceil(shown / queue.PER_PAGE)
    last = client.get(URL, {"year": busy_year, "page": pages})
    assert len(last.context["reports"]) == shown - (pages - 1) * queue.PER_PAGE
    text = last.content.decode()
    assert 'rel="next"' not in text and 'rel="prev"' in text
    assert f"หน้า {pages} จาก {pages}" in text


@pytest.mark.parametrize("junk", ["abc", "1.5", "", "%00", "2abc"])
def test_a_junk_page_number_shows_the_first_page(auditor, busy_year, junk):
    response = client_for(auditor).get(URL, {"year": busy_year, "page": junk})
    assert response.status_code == 200
    assert response.context["page"].number == 1


@pytest.mark.parametrize("beyond", ["9999", "0", "-2"])
def test_a_page_number_out_of_range_shows_the_last_page(auditor, busy_year, beyond):
    response = client_for(auditor).get(URL, {"year": busy_year, "page": beyond})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages and len(response.context["reports"]) > 0


def test_an_empty_queue_is_one_page_with_no_navigation(auditor):
    response = client_for(auditor).get(URL, {"year": "2400", "page": "3"})
    assert response.status_code == 200 and response.context["reports"] == []
    assert 'class="pagination"' not in response.content.decode()


def test_approving_from_page_two_returns_to_page_two(auditor, busy_year):
    client = client_for(auditor)
    address = f"{URL}?year={busy_year}&sort=agency&page=2"
    chosen = client.get(address).context["reports"][:2]
    data = {"action": "approve_selected", "confirm": "yes", "report": [key_of(r) for r in chosen]}
    data |= {f"version:{key_of(r)}": r.version for r in chosen}
    response = client.post(address, data)
    assert response.status_code == 302 and response["Location"] == address
    statuses = set(
        QuarterReport.objects.filter(pk__in=[r.pk for r in chosen]).values_list("status", flat=True)
    )
    assert statuses == {ReportStatus.APPROVED}
    after = client.get(address)
    assert not {r.pk for r in chosen} & {r.pk for r in after.context["reports"]}


def test_the_rows_of_a_page_are_selectable_with_their_suggested_scores(auditor, busy_year):
    response = client_for(auditor).get(URL, {"year": busy_year, "page": 2})
    rows = response.context["rows"]
    assert rows and all(row.selectable for row in rows)
    text = response.content.decode()
    for row in rows:
        assert row.suggested == services.suggested_score_of(row.report)
        assert f'name="report" value="{row.key}"' in text


def test_counts_are_of_the_other_filters_and_follow_an_approval(auditor, busy_year, commits):
    filters = queue.QueueFilters.from_query(QueryDict(f"year={busy_year}"))
    in_year = QuarterReport.objects.filter(indicator__fiscal_year_id=busy_year)
    expected = {s: in_year.filter(status=s).count() for s in ("submitted", "returned", "approved")}
    assert queue.status_counts(filters) == expected
    report = in_year.filter(status=ReportStatus.SUBMITTED).select_related("indicator").first()
    commits(lambda: services.report_approve(report=report, by=auditor, version=report.version))
    expected["submitted"] -= 1
    expected["approved"] += 1
    assert queue.status_counts(filters) == expected  # not the counts kept before the approval
    response = client_for(auditor).get(URL, {"year": busy_year})
    assert {s.value: n for s, n, _q in response.context["counts"]} == expected


def test_a_write_in_another_year_keeps_a_years_counts(auditor, busy_year, commits):
    filters = queue.QueueFilters.from_query(QueryDict(f"year={busy_year}"))
    queue.status_counts(filters)
    other = QuarterReport.objects.exclude(indicator__fiscal_year_id=busy_year).first()
    commits(lambda: other.indicator.save())
    with CaptureQueriesContext(connection) as captured:
        queue.status_counts(filters)
    assert not [q for q in captured if "COUNT" in q["sql"]]


def _queries(client, params: dict) -> int:
    client.get(URL, params)  # the session and cached counts settle first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert len(response.context["reports"]) > 0
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"status": "all", "sort": "due"}, {"page": "2"}])
def test_the_queue_costs_the_same_queries_at_two_sizes(auditor, today, params):
    client = client_for(auditor)
    small = _queries(client, params)
    send(600, fiscal_year_of(today) - 1)
    assert _queries(client, params) == small <= 8


# --- the rows kept for every auditor ---------------------------------------------------------


def _rows_of(text: str) -> str:
    return text[text.index("<tbody>") : text.index("</tbody>")]


def test_kept_rows_are_shared_by_auditors_and_each_keeps_its_own_token(
    auditor, admin_user, busy_year, staff_page_cache
):
    first = client_for(auditor).get(URL, {"page": "2"})
    assert first.context["reports"]  # rendered here
    with CaptureQueriesContext(connection) as captured:
        second = client_for(admin_user).get(URL, {"page": "2"})
    assert "reports" not in second.context  # kept, not rendered again
    assert not [q for q in captured if q["sql"].startswith('SELECT "indicators_quarterreport"')]
    one, other = first.content.decode(), second.content.decode()
    assert _rows_of(one) == _rows_of(other)
    assert "csrfmiddlewaretoken" not in _rows_of(one)
    token = 'name="csrfmiddlewaretoken" value="'
    assert one.split(token)[1][:20] != other.split(token)[1][:20]


def test_kept_rows_follow_an_approval(auditor, busy_year, staff_page_cache, commits):
    client = client_for(auditor)
    rows = client.get(URL).context["rows"]
    report = QuarterReport.objects.select_related("indicator").get(pk=rows[0].report.pk)
    commits(lambda: services.report_approve(report=report, by=auditor, version=report.version))
    after = client.get(URL)
    assert f'value="{key_of(report)}"' not in _rows_of(after.content.decode())


def test_kept_rows_are_per_page_filter_and_language(auditor, busy_year, staff_page_cache):
    client = client_for(auditor)
    pages = [client.get(URL, params).content.decode() for params in ({}, {"page": "2"})]
    assert _rows_of(pages[0]) != _rows_of(pages[1])
    by_agency = client.get(URL, {"sort": "agency"}).content.decode()
    assert _rows_of(by_agency) != _rows_of(pages[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("th"):  # the request leaves English active: not for later tests
        english = client.get(URL).content.decode()
    assert 'data-label="Agency"' in _rows_of(english)


@pytest.mark.parametrize("year", ["", "2569"])
def test_sorting_by_due_date_reads_the_same_dates_as_the_rows_show(auditor, year):
    """The due sort's CASE over the windows and the other sorts' subquery agree."""
    for status in ("all", "approved"):
        params = f"year={year}&status={status}"
        by_due = queue.queue_reports(queue.QueueFilters.from_query(QueryDict(params + "&sort=due")))
        shown = queue.queue_reports(queue.QueueFilters.from_query(QueryDict(params)))
        dates = {r.pk: r.due_on for r in shown}
        assert dates and {r.pk: r.due_on for r in by_due} == dates
