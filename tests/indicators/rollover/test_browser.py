"""Issue 18 in a real browser, phone and desktop: an auditor prepares 2571 from 2570 for
Bang Kho Laem (5030), edits a target in the preview, confirms, opens the new indicator and sees
its line across the years. Screenshots with `make screenshots`."""

from decimal import Decimal
from pathlib import Path

import pytest

from indicators.models import Indicator
from tests.helpers import SCREENSHOTS
from tests.test_people_browser import WIDTHS, Screen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]


@pytest.mark.parametrize("width", WIDTHS)
def test_an_auditor_prepares_the_next_year_and_sees_the_lineage(browser, live_server, width):
    screen = Screen(browser, live_server, width)
    page = screen.page
    screen.log_in("auditor")
    page.goto(f"{live_server.url}/years/2571/prepare/")
    assert page.locator("select[name=source]").input_value() == "2570"
    page.select_option("select[name=agency]", ["5030"])
    with page.expect_navigation():
        page.click("form.rollover-choose button[type=submit]")
    # Five indicators of its own to carry, three city indicators the city assigns itself.
    assert page.locator("table.rollover-table tbody tr").count() == 8
    assert page.locator("table.rollover-table").inner_text().count("ตัวชี้วัดระดับเมือง") == 3
    target = page.get_by_label("เป้าหมายของ 5030-2001")
    assert target.input_value() == "100"
    target.fill("95")
    screen.check("rollover-prepare")
    with page.expect_navigation():
        page.click("form.rollover-confirm button[type=submit]")
    assert "สร้างตัวชี้วัดปี 2571 แล้ว 5 ตัวชี้วัด" in page.locator(".messages").inner_text()
    assert page.locator("table.rollover-table").inner_text().count("มีอยู่แล้ว") == 5
    copy = Indicator.objects.get(fiscal_year_id=2571, code="5030-2001")
    assert (copy.target, copy.continues.fiscal_year_id) == (Decimal(95), 2570)

    with page.expect_navigation():
        page.click("a[href='/indicators/2571/5030-2001/']")
    line = page.locator("section.year-line")
    rows = line.locator("tbody tr")
    assert rows.count() == 8  # 2564 … 2571
    assert rows.last.locator("th").inner_text() == "2571"
    assert rows.last.get_attribute("aria-current") == "page"
    assert line.locator("svg polyline").count() == 2
    screen.check("rollover-detail")
    if SCREENSHOTS:  # `make screenshots`: the line across years on its own
        line.screenshot(path=Path(SCREENSHOTS) / f"rollover-detail-line-{width}.png")
    screen.context.close()
