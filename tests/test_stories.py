"""End-to-end stories in Chromium: the manager printing a sheet, the administrator importing.

The reporter's and auditor's story is in tests/indicators/workflow/test_browser.py.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.helpers import log_in

YEAR, AGENCY, SEED = 2564, "5030", "5030-1052"
RESULT_HEADERS = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส", "ผลงาน", "รายงานผลการดำเนินงาน"]
# 2564's quarters are approved: a correction names its reason, kept in the history (issue 13).
REASON_HEADER, REASON = "เหตุผลการแก้ไข", "แก้ตามหนังสือขอแก้ไขข้อมูลของเขต"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_database")
def test_manager_prints_a_sheet_from_the_dashboard(live_server, page: Page):
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/dashboard/{YEAR}/")
    page.locator(f"#agency-table a[href$='agency={AGENCY}']").first.click()
    page.wait_for_url(re.compile(rf"/indicators/\?year={YEAR}&agency={AGENCY}$"))
    page.locator(f"a[href='/indicators/{YEAR}/{SEED}/']").first.click()
    page.wait_for_url(re.compile(rf"/indicators/{YEAR}/{SEED}/$"))
    href = page.get_by_role("link", name="พิมพ์ข้อมูล").get_attribute("href")
    assert href == f"/indicators/{YEAR}/{SEED}/sheet.pdf"
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def results_csv(tmp_path: Path, value: str) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*RESULT_HEADERS, REASON_HEADER])
    writer.writerow([YEAR, SEED, 4, value, "นำเข้าจากไฟล์ของหน่วยงาน", REASON])
    path = tmp_path / "results.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_database")
@pytest.mark.usefixtures("public_page_cache")  # the public's page is cached, as in production
def test_admin_imports_results_and_the_public_sees_them(live_server, page: Page, tmp_path, browser):
    public = browser.new_page()  # the next person, not signed in, read the page before the import
    public.goto(f"{live_server.url}/indicators/{YEAR}/{SEED}/")
    assert not re.search(r"4,?321", public.content())
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/imports/")
    with page.expect_download() as download:
        page.locator("a[href='/imports/template/results.csv']").click()
    template = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert template.splitlines()[0].split(",")[:2] == RESULT_HEADERS[:2]

    page.set_input_files("input[type=file]", str(results_csv(tmp_path, "4321")))
    with page.expect_navigation():
        page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    changed = page.locator(".imports-created strong, .imports-updated strong").all_inner_texts()
    assert sorted(changed) == ["0", "1"]
    with page.expect_navigation():
        page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    assert "นำเข้าแล้ว" in page.content()

    public.goto(f"{live_server.url}/indicators/{YEAR}/{SEED}/")
    assert re.search(r"4,?321", public.content())
    public.close()
