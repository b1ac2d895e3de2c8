"""In a real browser: a refused save keeps what the reporter typed; a bad address is in Thai."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from indicators.models import Evidence, Indicator, QuarterReport, fiscal_year_of, quarter_of
from tests.helpers import PDF_BYTES, SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TYPED = "รายงานยาวที่พิมพ์ไว้ทั้งบ่าย ต้องไม่หายเมื่อแนบไฟล์มากเกิน"


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"{name}-{width}", full_page=True)


def test_too_many_files_keep_the_typed_narrative(page, live_server, demo_database, tmp_path: Path):
    today = timezone.localdate()
    indicator = Indicator.objects.get(fiscal_year_id=fiscal_year_of(today), code="5030-2001")
    edit = f"{live_server.url}/indicators/{indicator.fiscal_year_id}/{indicator.code}/q{quarter_of(today)}/edit/"
    files = []
    for number in range(11):
        path = tmp_path / f"หลักฐาน-{number}.pdf"
        path.write_bytes(PDF_BYTES)
        files.append(str(path))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "reporter5030")
    page.fill("input[name=password]", "demo")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(edit)
    assert "ครั้งละไม่เกิน 10 ไฟล์" in page.text_content("main")
    page.fill("textarea[name=narrative]", TYPED)
    page.set_input_files("input[name=evidence]", files)
    page.click("button[name=action][value=save]")
    page.wait_for_selector("text=แนบได้ครั้งละไม่เกิน 10 ไฟล์")
    assert page.input_value("textarea[name=narrative]") == TYPED
    shoot(page, "evidence-refused")
    report = QuarterReport.objects.get(indicator=indicator, quarter=quarter_of(today))
    assert report.narrative != TYPED
    assert not Evidence.objects.filter(report=report).exists()

    page.goto(f"{live_server.url}/indicators/{indicator.fiscal_year_id}/%00/")
    assert "อักขระ NUL" in page.text_content("main")
    shoot(page, "nul-400")
