"""A big office's agency page comes 50 indicators to a page, in the order one long page had."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.access import PUBLIC_SCOPE
from indicators.agency_page import PAGE_SIZE
from indicators.models import Agency, Indicator
from indicators.summaries import agency_summaries, group_by_dimension, status_counts
from tests.helpers import screenshot
from tests.indicators.factories import make_year_of

pytestmark = pytest.mark.django_db
YEAR = 2587


def _codes(html: str) -> list[str]:
    return re.findall(rf'href="/indicators/{YEAR}/([0-9]+-[0-9]+)/"', html)


def _page(client, prefix: str, number: int) -> tuple[str, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/agencies/{prefix}/{YEAR}/?page={number}")
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_big_agency_is_paged_in_the_order_of_the_whole_list(client):
    fiscal_year = make_year_of(300, YEAR)  # 60 indicators for each of five agencies
    agency = Agency.objects.filter(indicators__fiscal_year=fiscal_year).first()
    assert Indicator.objects.filter(fiscal_year=fiscal_year, agency=agency).count() == 60
    whole = agency_summaries(fiscal_year, agency, PUBLIC_SCOPE)
    expected = [s.indicator.code for g in group_by_dimension(whole) for s in g.summaries]
    first, first_queries = _page(client, agency.prefix, 1)
    second, second_queries = _page(client, agency.prefix, 2)
    assert len(_codes(first)) == PAGE_SIZE and len(_codes(second)) == 10
    assert _codes(first) + _codes(second) == expected
    assert "page=2" in first and "page=1" in second
    # The status counts are the whole agency's on every page, as the one long page had them.
    counts = status_counts([s.status.value for s in whole])
    shown = [f'<li class="status-{status}"><span class="n">{n}</span>' for status, _, n in counts]
    for html in (first, second):
        assert all(part in html for part in shown)
    assert first_queries == second_queries <= 13


def test_a_small_agency_stays_one_page_without_page_links(client):
    text = client.get("/agencies/5030/2564/").content.decode()
    assert 'class="pagination"' not in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_links_of_a_big_agency_in_the_browser(demo_database, live_server, browser, width):
    fiscal_year = make_year_of(300, YEAR)
    agency = Agency.objects.filter(indicators__fiscal_year=fiscal_year).first()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/agencies/{agency.prefix}/{YEAR}/")
    page.get_by_role("link", name="ถัดไป").click()
    page.wait_for_url("**page=2")
    assert len(_codes(page.content())) == 10
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    screenshot(page, f"agency-paged-{width}", full_page=True)
    context.close()
