"""An administrator brings an old page in through the import page, in a real browser."""

import re

import pytest

from indicators.models import Indicator
from tests.helpers import log_in
from tests.indicators.digitalplans.pages import indicator_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]


def test_upload_an_old_page_read_the_preview_confirm_and_read_the_page(page, live_server, tmp_path):
    saved = tmp_path / "mykpi-5030-9030.txt"
    saved.write_text(
        indicator_page(code="5030-9030", unit="ระดับ", target="5", result="80"), encoding="utf-8"
    )
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[name=file]", str(saved))
    page.fill("input[name=year]", "2564")
    page.click("form.imports-form button[type=submit]")
    preview = page.text_content("main")
    assert "หน้าเว็บระบบเดิม (digitalplans)" in preview
    assert "ผลงานที่ทำได้ 80 อยู่คนละมาตราส่วนกับเป้าหมายระดับ 1–5" in preview
    assert not Indicator.objects.filter(code="5030-9030").exists()

    page.click("form.imports-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "เพิ่มใหม่ 1" in page.text_content(".messages")
    page.goto(f"{live_server.url}/indicators/2564/5030-9030/")
    assert "ผลงานที่ทำได้ ระดับ : 80" in re.sub(r"\s+", " ", page.text_content(".headline"))
