"""The whole story in a real browser: fill, submit, return, fix, resubmit, approve and score."""

import pytest
from django.utils import timezone

from indicators.models import Indicator, QuarterReport, fiscal_year_of, quarter_of
from tests.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
    pytest.mark.usefixtures("public_page_cache"),  # the public's page is cached, as in production
]


def test_quarter_report_story(page, live_server):
    today = timezone.localdate()
    year, quarter = fiscal_year_of(today), quarter_of(today)
    indicator = Indicator.objects.get(fiscal_year_id=year, code="5030-2001")
    edit = f"{live_server.url}/indicators/{year}/{indicator.code}/q{quarter}/edit/"
    review = f"{live_server.url}/indicators/{year}/{indicator.code}/q{quarter}/review/"
    public_page = f"{live_server.url}/indicators/{year}/{indicator.code}/"
    public = page.context.browser.new_page()  # a reader, not signed in, before anything is done
    public.goto(public_page)
    row = public.locator("table.quarters tbody tr").nth(quarter - 1)
    assert row.locator("td").nth(1).inner_text().strip() != "25.00"

    # The reporter fills the quarter and submits it.
    log_in(page, live_server.url, "reporter5030")
    page.goto(f"{live_server.url}/my/")
    page.click(f"a[href='/indicators/{year}/{indicator.code}/q{quarter}/edit/']")
    page.fill("input[name=value]", "๒๐")
    page.fill("textarea[name=narrative]", "ทำความสะอาดถนนและตรอกซอยตามแผน")
    page.click("button[name=action][value=submit]")
    page.click("#submit-dialog [data-confirm-yes]")  # the confirmation says what goes to whom
    page.wait_for_selector(".messages")
    assert "ส่งแล้ว" in page.text_content(".wf-report-header")

    # The auditor returns it with a reason.
    log_in(page, live_server.url, "auditor")
    page.goto(f"{live_server.url}/review/")
    page.click(f"a[href='/indicators/{year}/{indicator.code}/q{quarter}/review/']")
    page.fill("textarea[name=reason]", "กรุณาแนบภาพถ่ายก่อนและหลังดำเนินการ")
    page.click("button[name=action][value=return]")
    page.wait_for_selector(".messages")

    # The reporter sees the reason in /my/, fixes the value and resubmits.
    log_in(page, live_server.url, "reporter5030")
    page.goto(f"{live_server.url}/my/")
    assert "กรุณาแนบภาพถ่ายก่อนและหลังดำเนินการ" in page.text_content("table")
    page.goto(edit)
    page.fill("input[name=value]", "25")
    page.fill("textarea[name=narrative]", "ทำความสะอาดถนนและตรอกซอยครบตามแผน แนบภาพถ่ายแล้ว")
    page.set_input_files(
        "input[name=evidence]",
        files=[
            {"name": "ภาพถ่าย.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ],
    )
    page.click("button[name=action][value=submit]")
    page.click("#submit-dialog [data-confirm-yes]")  # the confirmation says what goes to whom
    page.wait_for_selector(".messages")

    # The auditor sees what changed, approves, then records the suggested score.
    log_in(page, live_server.url, "auditor")
    page.goto(review)
    changes = page.text_content("main")
    assert "ภาพถ่าย.pdf" in changes and "20" in changes
    assert page.input_value("input[name=score]") == "100"
    page.click("button[name=action][value=approve]")
    page.wait_for_selector(".messages")
    page.click("button[name=action][value=score]")
    page.wait_for_selector(".messages")
    assert "บันทึกผลประเมินแล้ว" in page.text_content(".messages")

    # The quarter report now shows the value and the score.
    header = page.text_content("main")
    assert "อนุมัติแล้ว" in header and "25" in header and "100" in header
    report = QuarterReport.objects.get(indicator=indicator, quarter=quarter)
    assert report.value == 25 and report.assessment.score == 100
    log_in(page, live_server.url, "reporter5030")
    page.goto(edit)
    assert "อนุมัติแล้ว" in page.text_content(".wf-alert-info")
    assert page.text_content(".wf-result") == "25"
    assert page.text_content(".wf-score") == "100"

    # The next person: the public reads the approved value and score on the indicator's page.
    assert indicator.fiscal_year.is_published
    public.goto(public_page)
    assert row.locator("td").nth(1).inner_text().strip() == "25.00"  # percent, as on the seed pages
    assert row.locator("td").nth(3).inner_text().strip() == "100"
    public.close()
