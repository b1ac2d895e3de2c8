"""The dashboard in Chromium: change the quarter, then click through to the filtered list."""

import re

import pytest
from django.contrib.auth.models import User

from indicators.models import Indicator
from tests.helpers import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_database")
def test_change_quarter_and_click_through(live_server, page):
    year = Indicator.objects.filter(reports__value__isnull=False).order_by("fiscal_year")
    year = year.values_list("fiscal_year", flat=True).first()
    assert User.objects.filter(username="manager").exists()
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/dashboard/{year}/")
    assert page.locator("#agency-table tbody tr").count() > 0

    with page.expect_navigation():
        page.select_option("#quarter", "2")
    assert re.search(r"[?&]quarter=2\b", page.url)
    assert page.locator("#quarter").input_value() == "2"

    link = page.locator("#agency-table tbody tr th a").first
    href = link.get_attribute("href")
    assert re.fullmatch(rf"/indicators/\?year={year}&agency=\d{{4}}", href)
    link.click()
    page.wait_for_url(re.compile(rf"/indicators/\?year={year}&agency=\d{{4}}$"))
