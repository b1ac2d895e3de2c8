"""Issue 18's scorecard story in a real browser, at 390 and 1280 pixels.

The reporter of 5030 claims 5 for an indicator at the year-end round of 2569; the auditor records
a lower score for that quarter; the scorecard shows the claim, the official rating and the
difference. Every screen: no sideways scroll, no console or CSP error, and a screenshot when
KPI_SCREENSHOTS names a folder (`make screenshots`).
"""

import re

import pytest

from indicators.models import SelfAssessment
from tests.test_people_browser import Screen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]

YEAR, CODE = 2569, "5030-2001"  # a percent indicator without numeric criteria: score ÷ 20


@pytest.mark.parametrize("width", [390, 1280])
def test_a_claim_beside_a_different_auditors_score(browser, live_server, width):
    screen = Screen(browser, live_server, width)
    page = screen.page
    card = f"{live_server.url}/scorecards/{YEAR}/5030/?round=12"

    # The reporter claims 5 with a note.
    screen.log_in("reporter5030")
    page.wait_for_url(re.compile(r"/my/$"))
    page.goto(card)
    screen.check("scorecard-reporter")
    page.click(f"a[href='/scorecards/{YEAR}/5030/self-assessment/{CODE}/12/']")
    page.fill("input[name=rating]", "๕")
    page.fill("textarea[name=note]", "ดำเนินการครบทุกชุมชนตามแผน")
    screen.check("self-assessment")
    page.click("form.self-assessment-form button[type=submit]")
    page.wait_for_selector(".messages li:has-text('บันทึกผลการประเมินตนเองแล้ว')")
    claim = SelfAssessment.objects.get(
        indicator__fiscal_year_id=YEAR, indicator__code=CODE, round=12
    )
    assert str(claim.rating) == "5.00"

    # The auditor scores the year-end quarter 70.
    screen.log_in("auditor")
    page.wait_for_url(re.compile(r"/review/$"))
    page.goto(f"{live_server.url}/indicators/{YEAR}/{CODE}/q4/review/")
    page.fill("input[name=score]", "70")
    page.fill("textarea[name=reason]", "หลักฐานไม่ครบทุกชุมชน")
    page.click("button[name=action][value=score]")
    page.wait_for_selector(".messages")

    # The scorecard shows 3.50 against the claimed 5.00: +1.50.
    page.goto(card)
    row = page.locator("table.scorecard tbody tr", has_text=CODE)
    cells = row.locator("td").all_inner_texts()
    assert "3.50" in cells[0] and "5.00" in cells[1] and "+1.50" in cells[2], cells
    assert "คะแนน สยป. 70 ÷ 20 = 3.5" in row.inner_text()
    screen.check("scorecard")
    page.goto(f"{live_server.url}/scorecards/{YEAR}/?round=12")
    assert page.locator("table.scorecard-ranking tbody tr").count() >= 8
    screen.check("scorecard-list")
    screen.context.close()
