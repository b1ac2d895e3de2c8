"""A kept page in a real browser: a manager's second visit to a detail page is served from the
fragment kept for managers, with their own header and a working sign-out; then a reporter of the
agency gets their own page (the edit link), not the manager's."""

import pytest

from tests.test_people_browser import WIDTHS, Screen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database", "staff_page_cache"),
]

DETAIL = "/indicators/2570/5030-2001/"
EDIT_LINK = "กรอก/ดูรายงานไตรมาสนี้"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_kept_page_keeps_its_header_and_scope(browser, live_server, width):
    screen = Screen(browser, live_server, width)
    screen.log_in("manager")
    screen.page.goto(f"{screen.url}{DETAIL}")
    screen.page.goto(f"{screen.url}{DETAIL}")  # served from the kept fragment
    assert screen.page.locator(".user-name").inner_text()
    assert screen.page.get_by_text(EDIT_LINK).count() == 0
    screen.check("detail-kept-manager")
    screen.page.click("form[action$='/logout/'] button")
    screen.log_in("reporter5030")
    screen.page.goto(f"{screen.url}{DETAIL}")
    assert screen.page.get_by_text(EDIT_LINK).count() >= 1
    screen.context.close()
