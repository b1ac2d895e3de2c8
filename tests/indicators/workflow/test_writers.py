"""Issue 13: every writer of a report's value, status or score goes through the services.

One test per write path (entry form, review, admin, import, appeal): the version is raised (or
nothing changes), and the history names the actor and the reason. A GET never writes.
"""

import datetime
import threading
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from indicators.models import (
    AppealKind,
    Assessment,
    QuarterReport,
    ReportStatus,
    ReviewComment,
)
from indicators.spreadsheets.imports import import_run
from indicators.workflow import appeals, services
from tests.helpers import client_for, put, report_url

pytestmark = pytest.mark.django_db
D = Decimal


def last_change(report: QuarterReport):
    return report.history.order_by("-history_id").first()


# --- a GET never writes ----------------------------------------------------------------------


@pytest.fixture
def empty_quarter(report) -> QuarterReport:
    """The current quarter of 5030-2001 with no report row at all (open for reporting)."""
    indicator, quarter = report.indicator, report.quarter
    QuarterReport.objects.filter(pk=report.pk).delete()
    return QuarterReport.of(indicator, quarter)


def test_opening_an_empty_quarter_writes_no_row_and_no_history(empty_quarter, reporter5030):
    history_before = QuarterReport.history.count()
    response = client_for(reporter5030).get(report_url(empty_quarter, "report-edit"))
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == 1
    assert not QuarterReport.objects.filter(
        indicator=empty_quarter.indicator, quarter=empty_quarter.quarter
    ).exists()
    assert QuarterReport.history.count() == history_before


def test_the_first_save_creates_the_report_with_one_history_row(empty_quarter, reporter5030):
    url = report_url(empty_quarter, "report-edit")
    client = client_for(reporter5030)
    client.get(url)
    response = client.post(
        url, {"value": "12", "narrative": "เริ่มดำเนินการ", "version": "1", "action": "save"}
    )
    assert response.status_code == 302
    report = QuarterReport.objects.get(
        indicator=empty_quarter.indicator, quarter=empty_quarter.quarter
    )
    assert (report.value, report.version, report.status) == (D(12), 2, ReportStatus.DRAFT)
    [created] = report.history.all()
    assert (created.history_type, created.history_user) == ("+", reporter5030)
    assert created.history_change_reason == "บันทึกร่าง"


def test_a_refused_first_save_writes_nothing_and_keeps_the_text(empty_quarter, reporter5030):
    url = report_url(empty_quarter, "report-edit")
    response = client_for(reporter5030).post(
        url, {"value": "-3", "narrative": "ข้อความของฉัน", "version": "1", "action": "save"}
    )
    assert response.status_code == 200
    assert "ข้อความของฉัน" in response.text
    assert not QuarterReport.objects.filter(
        indicator=empty_quarter.indicator, quarter=empty_quarter.quarter
    ).exists()


def test_two_first_saves_of_the_same_empty_quarter_conflict(empty_quarter, reporter5030):
    """The second insert of the same quarter is told, not merged silently."""
    services.report_save(
        report=QuarterReport.of(empty_quarter.indicator, empty_quarter.quarter),
        by=reporter5030,
        value=D(1),
        narrative="ก",
        version=1,
    )
    with pytest.raises(services.ConflictError):
        services.report_save(
            report=QuarterReport.of(empty_quarter.indicator, empty_quarter.quarter),
            by=reporter5030,
            value=D(2),
            narrative="ข",
            version=1,
        )
    report = QuarterReport.objects.get(
        indicator=empty_quarter.indicator, quarter=empty_quarter.quarter
    )
    assert (report.value, report.narrative) == (D(1), "ก")


# --- path 1: the entry form ------------------------------------------------------------------


def test_entry_form_raises_the_version_and_names_the_reporter(report, reporter5030):
    url = report_url(report, "report-edit")
    data = {"value": "20", "narrative": "ตามแผน", "version": report.version, "action": "save"}
    assert client_for(reporter5030).post(url, data).status_code == 302
    before = report.version
    report.refresh_from_db()
    assert report.version == before + 1
    change = last_change(report)
    assert (change.history_user, change.history_change_reason) == (reporter5030, "บันทึกร่าง")


# --- path 2: the review page -----------------------------------------------------------------


def test_review_scoring_raises_the_version_and_records_the_reason(report, auditor):
    report = put(report, ReportStatus.SUBMITTED)
    url = report_url(report, "report-review")
    data = {"action": "score", "score": "77", "reason": "ตรวจหลักฐานแล้ว", "version": report.version}
    assert client_for(auditor).post(url, data).status_code == 302
    before = report.version
    report.refresh_from_db()
    assert report.version == before + 1
    assessment = Assessment.objects.get(report=report)
    assert (assessment.score, assessment.assessed_by) == (D(77), auditor)
    recorded = assessment.history.first()
    assert recorded.history_user == auditor
    assert "ตรวจหลักฐานแล้ว" in recorded.history_change_reason


# --- path 3: the admin -----------------------------------------------------------------------


def test_admin_change_form_cannot_change_value_status_or_version(report, admin_user):
    report = put(report, ReportStatus.SUBMITTED)
    history_before = report.history.count()
    url = reverse("admin:indicators_quarterreport_change", args=[report.pk])
    client = client_for(admin_user)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="value"' not in page.text and 'name="status"' not in page.text
    assert report_url(report, "report-review") in page.text  # corrections go through it
    data = {
        "indicator": report.indicator_id,
        "quarter": report.quarter,
        "value": "99",
        "status": ReportStatus.APPROVED,
        "version": "50",
        "narrative": "แก้ในหลังบ้าน",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    stored = QuarterReport.objects.get(pk=report.pk)
    assert (stored.value, stored.status, stored.version, stored.narrative) == (
        report.value,
        ReportStatus.SUBMITTED,
        report.version,
        report.narrative,
    )
    assert stored.history.count() == history_before


def test_admin_change_form_cannot_change_a_score(approved, admin_user):
    assessment = approved.assessment
    url = reverse("admin:indicators_assessment_change", args=[assessment.pk])
    client = client_for(admin_user)
    assert 'name="score"' not in client.get(url).text
    client.post(url, {"report": approved.pk, "score": "5", "reason": "x"})
    assessment.refresh_from_db()
    assert assessment.score == D(100)


def test_admin_offers_no_add_page_for_reports_or_scores(admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("admin:indicators_quarterreport_add")).status_code == 403
    assert client.get(reverse("admin:indicators_assessment_add")).status_code == 403


def test_indicator_admin_shows_its_reports_read_only(indicator, admin_user):
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    text = client_for(admin_user).get(url).text
    assert 'name="reports-0-value"' not in text and 'name="reports-0-status"' not in text


def test_admin_cannot_decide_an_appeal_behind_the_appeals_page(approved, reporter5030, admin_user):
    from tests.helpers import target_appeal

    appeal = target_appeal(approved.indicator, reporter5030)
    url = reverse("admin:indicators_appeal_change", args=[appeal.pk])
    text = client_for(admin_user).get(url).text
    assert 'name="status"' not in text and 'name="decision_note"' not in text


# --- path 4: the results import --------------------------------------------------------------


def test_import_raises_the_version_and_names_the_importer_and_the_reason(report, auditor):
    report = put(report, ReportStatus.SUBMITTED)
    headers = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส", "ผลประเมินตัวชี้วัด", "เหตุผลการแก้ไข"]
    row = [report.indicator.fiscal_year_id, report.indicator.code, report.quarter, "64", "มติ"]
    content = tablib.Dataset(row, headers=headers).export("csv").encode()
    outcome = import_run(file=SimpleUploadedFile("r.csv", content), by=auditor, dry_run=False)
    assert outcome.ok, outcome.problems
    before = report.version
    report.refresh_from_db()
    assert report.version == before + 1
    assessment = Assessment.objects.get(report=report)
    assert (assessment.score, assessment.assessed_by, assessment.reason) == (D(64), auditor, "มติ")
    assert assessment.assessed_at is not None
    assert assessment.suggested_score == services.suggested_score_of(report)
    for change in (last_change(report), assessment.history.first()):
        assert change.history_user == auditor
        assert change.history_change_reason == f"{outcome.batch.change_reason}: มติ"


# --- path 5: an appeal -----------------------------------------------------------------------


def test_an_accepted_appeal_raises_the_version_through_the_service(approved, reporter5030, auditor):
    approved.assessment.score = D(50)
    approved.assessment.save()
    mid_year = approved.indicator.fiscal_year.window(2).locks_on + datetime.timedelta(days=1)
    appeal = appeals.appeal_create(
        indicator=approved.indicator,
        by=reporter5030,
        kind=AppealKind.SCORE,
        quarter=approved.quarter,
        requested_value=D(80),
        reason="หลักฐานเพิ่ม",
        today=mid_year,
    )
    before = approved.version
    appeals.appeal_decide(appeal=appeal, by=auditor, accept=True, note="รับฟังได้")
    approved.refresh_from_db()
    assert approved.version == before + 1
    change = last_change(approved)
    assert change.history_user == auditor and f"#{appeal.pk}" in change.history_change_reason
    assert ReviewComment.objects.filter(report=approved, kind="score").exists()


# --- the first save, in two real transactions ------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two real transactions need PostgreSQL row locks: SQLite locks whole tables (CI runs on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_saves_of_an_empty_quarter(demo_database):
    """Both forms were opened on an empty quarter: one save creates it, the other is told."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from indicators.models import Indicator, fiscal_year_of, quarter_of

    today = timezone.localdate()
    user = User.objects.get(username="reporter5030")
    indicator = Indicator.objects.get(fiscal_year_id=fiscal_year_of(today), code="5030-2001")
    QuarterReport.objects.filter(indicator=indicator, quarter=quarter_of(today)).delete()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        try:
            barrier.wait()
            services.report_save(
                report=QuarterReport.of(indicator, quarter_of(today)),
                by=user,
                value=D(1),
                narrative=text,
                version=1,
            )
            outcomes.append("saved")
        except services.ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("ก", "ข")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert QuarterReport.objects.filter(indicator=indicator, quarter=quarter_of(today)).count() == 1
