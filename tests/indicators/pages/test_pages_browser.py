"""The reading pages in a real browser: Thai and English, phone and desktop, no CSP errors.

Screenshots land in KPI_SCREENSHOTS, when set, for a person to look at.
"""

import pytest

from tests.helpers import screenshot

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
PAGES = [
    ("detail-5030", "/indicators/2564/5030-1052/", "5030-1052"),
    ("detail-0100", "/indicators/2564/0100-814/", "0100-814"),
    ("list-filter", "/indicators/?year=2564&agency=5030&status=achieved", "5030-1052"),
    ("agency", "/agencies/5030/2564/", "5030-1052"),
    ("strategy", "/strategy/2564/", "5030-1052"),
]
HEADINGS = {
    "th": {"detail": "รายละเอียดตัวชี้วัด", "list": "ตัวชี้วัด", "strategy": "ยุทธศาสตร์"},
    "en": {"detail": "Indicator details", "list": "Indicators", "strategy": "strategy"},
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_reading_pages_render_in_both_languages_and_sizes(
    demo_database, live_server, browser, language, size
):
    viewport = PHONE if size == "phone" else DESKTOP
    # An English-language browser still gets Thai; English is what the switch's cookie chooses.
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    # CSP refusals and script errors; a missing favicon is not the page's fault.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for name, path, expected in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        assert expected in page.content()
        # Nothing wider than the screen except inside the tables that scroll on purpose.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a {size} screen"
        screenshot(page, f"{name}-{language}-{size}", full_page=True)
    page.goto(live_server.url + "/indicators/2564/5030-1052/")
    page.wait_for_function("document.querySelector('#quarter-chart').width > 0")
    assert page.evaluate("typeof window.Chart") == "function"
    assert page.locator("h1").first.inner_text() == HEADINGS[language]["detail"]
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_language_switch_and_filters_in_the_url(demo_database, live_server, browser):
    context = browser.new_context(viewport=DESKTOP, locale="th-TH")
    page = context.new_page()
    page.goto(live_server.url + "/indicators/")
    page.select_option("#id_year", "2564")
    page.select_option("#id_agency", "5030")
    page.click("form.filters button[type=submit]")
    assert "year=2564" in page.url and "agency=5030" in page.url
    assert "5030-1052" in page.content()
    page.click("button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "agency=5030" in page.url
    assert "Search name or code" in page.content()
    context.close()
