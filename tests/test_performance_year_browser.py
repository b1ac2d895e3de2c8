"""Issue 18's story in one browser: an auditor prepares 2570 from 2569 for Bang Kho Laem (5030),
then a manager compares the 50 districts on the map and opens one of them.

The demo already carried 5030 into 2570, so the story first takes 5030's own 2570 indicators
away (its shares of the city indicators stay: the city assigns those itself).
"""

import re

import pytest

from indicators.models import Indicator
from tests.test_people_browser import Screen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]


def test_an_auditor_prepares_2570_and_a_manager_compares_the_districts(browser, live_server):
    Indicator.objects.filter(
        fiscal_year_id=2570, agency__prefix="5030", city_indicator__isnull=True
    ).delete()
    screen = Screen(browser, live_server, 1280)
    page = screen.page

    screen.log_in("auditor")
    page.goto(f"{live_server.url}/years/2570/prepare/")
    page.select_option("select[name=source]", "2569")
    page.select_option("select[name=agency]", ["5030"])
    with page.expect_navigation():
        page.click("form.rollover-choose button[type=submit]")
    table = page.locator("table.rollover-table")
    assert table.inner_text().count("จะคัดลอก") == 5
    assert table.inner_text().count("มีอยู่แล้ว") == 3  # its city indicators' shares, assigned
    with page.expect_navigation():
        page.click("form.rollover-confirm button[type=submit]")
    assert "สร้างตัวชี้วัดปี 2570 แล้ว 5 ตัวชี้วัด" in page.locator(".messages").inner_text()
    carried = Indicator.objects.get(fiscal_year_id=2570, code="5030-2001")
    assert (carried.continues.fiscal_year_id, carried.continues.code) == (2569, "5030-2001")
    assert not carried.reports.exclude(value=None).exists()  # results are never carried

    screen.log_in("manager")
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.goto(f"{live_server.url}/compare/2569/")
    with page.expect_navigation():
        page.click("text=จำนวนต้นไม้ที่ปลูกเพิ่มในพื้นที่เขต")
    assert page.locator("svg a.map-link").count() == 50
    assert page.locator(".compare-table tbody tr").count() == 50
    screen.check("performance-year-compare")
    with page.expect_navigation():
        page.locator("svg a.map-link:has(path[data-agency='50300000'])").click()
    assert page.url.endswith("/indicators/2569/5030-3002/")
    screen.context.close()
