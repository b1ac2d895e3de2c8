"""Issue 15 in a real browser, on a 390-pixel phone and a 1280-pixel desktop.

A reporter lands on /my/, attaches two files, removes one and submits after the confirmation; an
auditor lands on /review/, sees that report first and approves it with two others in one step; a
manager lands on the dashboard. Every screen: no sideways scroll, no console or CSP error, and a
screenshot when KPI_SCREENSHOTS names a folder (`make screenshots`).
"""

import datetime
import re

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from indicators.models import QuarterReport, ReportStatus, fiscal_year_of, quarter_of
from tests.helpers import SCREENSHOTS, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]

WIDTHS = [390, 1280]
CODE = "5030-2001"


class Screen:
    """A browser page at one width that records console errors and checks each screen."""

    def __init__(self, browser, live_server, width: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 844})
        self.page = self.context.new_page()
        self.url = live_server.url
        self.width = width
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def log_in(self, username: str) -> None:
        self.context.clear_cookies()
        self.page.goto(f"{self.url}/accounts/login/")
        self.check("login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", "demo")
        self.page.click("form.login-form button[type=submit]")

    def check(self, name: str, *, full_page: bool = True) -> None:
        """No sideways scroll, no error so far; a screenshot (its first 2,400 px) for docs/."""
        scroll = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll[0] <= scroll[1], f"{name} scrolls sideways at {self.width}px: {scroll}"
        assert self.errors == [], f"{name}: {self.errors}"
        if not SCREENSHOTS:
            return
        shot = f"{name}-{self.width}"
        if not full_page:
            screenshot(self.page, shot)  # what the window shows, e.g. a modal dialog
            return
        height = self.page.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": self.width, "height": min(height, 2400)}
        screenshot(self.page, shot, full_page=True, clip=clip)


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}


@pytest.mark.parametrize("width", WIDTHS)
def test_quarters_end_for_reporter_auditor_and_manager(browser, live_server, width):
    today = timezone.localdate()
    year, quarter = fiscal_year_of(today), quarter_of(today)
    key = f"{year}/{CODE}/q{quarter}"
    # The suite's clock stops at a fixed morning while the demo spreads its submissions over
    # that whole day: move them before it, as real submissions would be.
    QuarterReport.objects.filter(submitted_at__gt=timezone.now()).update(
        submitted_at=F("submitted_at") - datetime.timedelta(days=1)
    )
    screen = Screen(browser, live_server, width)
    page = screen.page

    # The reporter lands on their work and opens the quarter.
    screen.log_in("reporter5030")
    page.wait_for_url(re.compile(r"/my/$"))
    screen.check("my-work")
    with page.expect_navigation():
        page.click(f"a[href='/indicators/{year}/{CODE}/q{quarter}/edit/']")
    page.wait_for_load_state()  # the file field's script listens once the page has loaded
    assert page.inner_text(".wf-file-button") == "เลือกไฟล์"
    page.fill("input[name=value]", "24")
    page.fill("textarea[name=narrative]", "ทำความสะอาดถนนและตรอกซอยตามแผน แนบภาพถ่ายแล้ว")
    page.set_input_files("input[name=evidence]", files=[pdf("ภาพถ่าย.pdf"), pdf("แนบผิด.pdf")])
    expect(page.locator(".wf-file-names")).to_contain_text("ภาพถ่าย.pdf, แนบผิด.pdf")
    page.click("button[name=action][value=save]")
    page.wait_for_selector(".messages")
    assert page.locator(".wf-evidence-list li").count() == 2
    screen.check("entry")

    # It removes the file attached by mistake.
    page.click("li:has-text('แนบผิด.pdf') button:has-text('ลบไฟล์')")
    page.wait_for_selector(".messages li:has-text('ลบหลักฐาน')")
    assert page.locator(".wf-evidence-list li").count() == 1

    # Submitting asks first, saying what goes to whom.
    page.click("button[name=action][value=submit]")
    dialog = page.locator("#submit-dialog")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    assert "ผู้ตรวจประเมิน" in text and "24" in text and "ภาพถ่าย.pdf" in text
    assert "แนบผิด.pdf" not in text
    screen.check("entry-confirm", full_page=False)  # the dialog covers the window
    page.click("#submit-dialog [data-confirm-yes]")
    page.wait_for_selector(".messages li:has-text('ส่งรายงานแล้ว')")
    report = QuarterReport.objects.get(
        indicator__fiscal_year_id=year, indicator__code=CODE, quarter=quarter
    )
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.evidence.values_list("original_name", flat=True)) == ["ภาพถ่าย.pdf"]

    # The auditor lands on the queue, sees that report first, approves it and two others.
    screen.log_in("auditor")
    page.wait_for_url(re.compile(r"/review/$"))
    boxes = page.locator("input[name=report]")
    assert boxes.first.get_attribute("value") == key
    screen.check("review-queue")
    chosen = [boxes.nth(i).get_attribute("value") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    page.click("button[name=action][value=approve_selected]")
    page.wait_for_selector(".wf-confirm-list")
    assert page.locator(".wf-confirm-list > li").count() == 3
    screen.check("approve-confirm")
    page.click("button[name=action][value=approve_selected]")
    page.wait_for_selector(".messages li:has-text('อนุมัติแล้ว 3 รายการ')")
    screen.check("review-queue-after")
    approved = [
        f"{r.indicator.fiscal_year_id}/{r.indicator.code}/q{r.quarter}"
        for r in QuarterReport.objects.filter(
            status=ReportStatus.APPROVED, assessment__assessed_by__username="auditor"
        ).select_related("indicator")
    ]
    assert sorted(approved) == sorted(chosen)

    # The queue is paged: the next page's first report is approved there, and the auditor
    # stays on that page.
    page.click(".pagination a[rel=next]")
    page.wait_for_url(re.compile(r"/review/\?status=submitted&sort=-submitted&page=2$"))
    assert "หน้า 2 จาก" in page.inner_text(".pagination")
    second = page.locator("input[name=report]").first
    second_key = second.get_attribute("value")
    assert second_key not in chosen
    second.check()
    page.click("button[name=action][value=approve_selected]")
    page.wait_for_selector(".wf-confirm-list")
    page.click("button[name=action][value=approve_selected]")
    page.wait_for_selector(".messages li:has-text('อนุมัติแล้ว 1 รายการ')")
    assert page.url.endswith("page=2") and "หน้า 2 จาก" in page.inner_text(".pagination")
    year_, code_, q_ = second_key.split("/")
    decided = QuarterReport.objects.get(
        indicator__fiscal_year_id=year_, indicator__code=code_, quarter=q_[1:]
    )
    assert decided.status == ReportStatus.APPROVED

    # The review page tells one event once, with its actor.
    page.goto(f"{live_server.url}/indicators/{year}/{CODE}/q{quarter}/review/")
    timeline = page.inner_text("ol.timeline")
    assert timeline.count("อนุมัติ การตรวจ") == 1
    screen.check("review")

    # The manager lands on the dashboard of the current year.
    screen.log_in("manager")
    page.wait_for_url(re.compile(rf"/dashboard/{year}/$"))
    screen.check("dashboard")
    screen.context.close()


@pytest.mark.parametrize("path", ["/my/", "/review/"])
def test_staff_lists_do_not_scroll_sideways_at_320(browser, live_server, path):
    screen = Screen(browser, live_server, 320)
    screen.log_in("reporter5030" if path == "/my/" else "auditor")
    screen.page.wait_for_url(re.compile(rf"{path}$"))
    width = screen.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1]
    # Every action is big enough for a thumb.
    box = screen.page.locator("td.wf-row-action .wf-button").first.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 200
    assert screen.errors == []
    screen.context.close()
