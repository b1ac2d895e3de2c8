"""Publication in a real browser: a citizen sees nothing of a draft, then the approved figure."""

import re

import pytest
from django.utils import timezone

from indicators.models import Indicator, fiscal_year_of, quarter_of
from tests.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
    pytest.mark.usefixtures("public_page_cache"),  # the public's page is cached, as in production
]


def test_draft_stays_private_until_approved_with_its_score(page, live_server):
    today = timezone.localdate()
    year, quarter = fiscal_year_of(today), quarter_of(today)
    indicator = Indicator.objects.get(fiscal_year_id=year, code="5030-2001")
    base = f"{live_server.url}/indicators/{year}/{indicator.code}/"
    citizen = page.context.browser.new_page()

    # The reporter saves a draft: the citizen sees nothing of it.
    log_in(page, live_server.url, "reporter5030")
    page.goto(f"{base}q{quarter}/edit/")
    page.fill("input[name=value]", "23.5")
    page.fill("textarea[name=narrative]", "ร่างรายงานที่ยังไม่ส่ง PRIVATEDRAFT")
    page.click("button[name=action][value=save]")
    page.wait_for_selector(".messages")
    citizen.goto(base)
    assert "PRIVATEDRAFT" not in citizen.content()
    assert "23.5" not in citizen.locator("table.quarters").inner_text()

    # Submitted: the citizen reads "awaiting review", still without the value.
    page.goto(f"{base}q{quarter}/edit/")
    page.fill("textarea[name=narrative]", "ทำความสะอาดถนนครบตามแผน PUBLICNOW")
    page.click("button[name=action][value=submit]")
    page.click("#submit-dialog [data-confirm-yes]")  # the confirmation says what goes to whom
    page.wait_for_selector(".messages")
    citizen.goto(base)
    assert "PUBLICNOW" not in citizen.content()
    assert "รอการตรวจสอบ" in citizen.locator("table.quarters").inner_text()

    # The auditor approves with the prefilled score in one click.
    log_in(page, live_server.url, "auditor")
    page.goto(f"{base}q{quarter}/review/")
    score = page.input_value("input[name=score]")
    assert score
    page.click("button[name=action][value=approve]")
    page.wait_for_selector(".messages")

    # The citizen sees the value, the narrative and the recorded score.
    citizen.goto(base)
    row = citizen.locator("table.quarters tbody tr").nth(quarter - 1)
    cells = row.locator("td")
    assert cells.nth(1).inner_text().strip() == "23.50"
    assert re.sub(r"\.0+$", "", cells.nth(3).inner_text().strip()) == re.sub(r"\.0+$", "", score)
    assert "PUBLICNOW" in citizen.content()
