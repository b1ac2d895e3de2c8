"""The comparison in a real browser, 390 and 1280 pixels wide: the public picks a city
indicator, reads the map and the table and clicks a district; a manager compares the current
quarter's submitted results. Screenshots (first 2,400 px) with `make screenshots`."""

import re

import pytest

from tests.helpers import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]

YEAR = 2569
BANG_KHO_LAEM = "50300000"


def _page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _check(page, errors: list[str], name: str, width: int) -> None:
    """No sideways scroll, no CSP or script error; a screenshot for a person to look at."""
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], f"{name} scrolls sideways at {width}px: {scroll}"
    assert errors == [], errors
    height = page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, 2400)}
    screenshot(page, f"{name}-{width}", full_page=True, clip=clip)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_public_compares_districts_and_opens_one_from_the_map(browser, live_server, width):
    page, errors = _page(browser, width)
    page.goto(f"{live_server.url}/compare/{YEAR}/")
    _check(page, errors, "compare-list", width)
    page.click("text=จำนวนต้นไม้ที่ปลูกเพิ่มในพื้นที่เขต")
    page.wait_for_url(re.compile(rf"/compare/{YEAR}/trees-planted/$"))
    assert page.locator("svg .map-area").count() == 50
    assert page.locator("svg a.map-link").count() == 50
    assert page.locator(".compare-group").count() == 6  # the six district groups
    assert page.locator(".compare-table tbody tr").count() == 50
    assert "ผลรวมของทุกหน่วยงาน" in page.inner_text(".city-figure")
    _check(page, errors, "compare-detail", width)
    district = page.locator(f"svg a.map-link:has(path[data-agency='{BANG_KHO_LAEM}'])")
    assert "บางคอแหลม" in district.get_attribute("aria-label")
    district.click()
    page.wait_for_url(re.compile(rf"/indicators/{YEAR}/5030-3002/$"))
    assert "บางคอแหลม" in page.inner_text(".breadcrumb")
    assert errors == []
    page.context.close()


def test_a_manager_compares_the_current_quarter_on_the_map(browser, live_server, today):
    from indicators.models import fiscal_year_of

    page, errors = _page(browser, 1280)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "demo")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/"))
    year = fiscal_year_of(today)
    page.goto(f"{live_server.url}/compare/{year}/traffy-resolved/")
    # Submitted, not yet approved: the manager sees them, the public does not (test_pages).
    coloured = page.locator("svg path.map-area:not(.map-no-data)").count()
    assert 30 <= coloured < 50
    _check(page, errors, "compare-manager", 1280)
    page.context.close()
