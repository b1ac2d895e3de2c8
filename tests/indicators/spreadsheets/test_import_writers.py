"""Issue 13 and 12: the results import keeps the entry form's and the review page's rules,
a revert never loses later work, and a batch is confirmed once."""

import threading
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from indicators.models import (
    Appeal,
    AppealKind,
    AppealRound,
    Assessment,
    ImportBatch,
    ImportStatus,
    Indicator,
    QuarterReport,
    ReportStatus,
    ReviewComment,
    fiscal_year_of,
    quarter_of,
)
from indicators.spreadsheets.imports import (
    ImportRevertError,
    import_confirm,
    import_preview,
    import_revert,
    import_run,
)
from indicators.spreadsheets.reverts import batch_rows
from indicators.workflow import services
from tests.helpers import client_for, pdf, put, report_url

D = Decimal
YEAR = "ปีงบประมาณ"
CODE = "รหัสตัวชี้วัด"
QUARTER = "ไตรมาส"
VALUE = "ผลงาน"
NARRATIVE = "รายงานผลการดำเนินงาน"
SCORE = "ผลประเมินตัวชี้วัด"
REASON = "เหตุผลการแก้ไข"
EXPLAINED = "เกินร้อยเพราะนับรวมผู้รับบริการจากเขตข้างเคียงด้วย ตามหนังสือสั่งการ"


def results_file(rows: list[dict]) -> SimpleUploadedFile:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    data = tablib.Dataset(*[[row.get(h, "") for h in headers] for row in rows], headers=headers)
    return SimpleUploadedFile("results.csv", data.export("csv").encode("utf-8"))


def row_for(report: QuarterReport, **cells) -> dict:
    return {
        YEAR: report.indicator.fiscal_year_id,
        CODE: report.indicator.code,
        QUARTER: report.quarter,
    } | cells


def run(rows: list[dict], by, dry_run: bool = False):
    return import_run(file=results_file(rows), by=by, dry_run=dry_run)


def problems(outcome) -> str:
    return "\n".join(str(p) for p in outcome.problems)


# --- the value checks: one function, the form and the import agree ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("indicator_code", "value", "column", "message"),
    [
        ("5030-2001", "-5", VALUE, "ค่านี้ต้องไม่ติดลบ"),
        ("5030-2001", "1.23456", VALUE, "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        ("5030-2001", "12345678901234", VALUE, "ตัวเลขยาวเกินไป"),
        ("5030-2001", "120", NARRATIVE, "ร้อยละ 120 เกิน 100"),
        ("5030-2004", "7", VALUE, "ซึ่งไม่ใช่ระดับ 0–5"),
        ("5030-2004", "2.5", VALUE, "ซึ่งไม่ใช่ระดับ 0–5"),
    ],
)
def test_import_and_form_refuse_the_same_values(
    indicator_code, value, column, message, admin_user, reporter5030, today
):
    report = QuarterReport.objects.get(
        indicator__fiscal_year_id=fiscal_year_of(today),
        indicator__code=indicator_code,
        quarter=quarter_of(today),
    )
    outcome = run([row_for(report, **{VALUE: value, NARRATIVE: "สั้น"})], admin_user)
    assert not outcome.ok
    [problem] = outcome.problems
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message
    form = client_for(reporter5030).post(
        report_url(report, "report-edit"),
        {"value": value, "narrative": "สั้น", "version": report.version, "action": "save"},
    )
    assert form.status_code == 200 and form.context["form"].errors
    report.refresh_from_db()
    assert (report.value, report.version) == (None, 1)


@pytest.mark.django_db
def test_an_explained_unusual_value_is_imported(report, admin_user):
    outcome = run([row_for(report, **{VALUE: "120", NARRATIVE: EXPLAINED})], admin_user)
    assert outcome.ok, problems(outcome)
    report.refresh_from_db()
    assert report.value == D(120)


@pytest.mark.django_db
def test_a_cumulative_value_falling_within_the_file_needs_an_explanation(indicator, admin_user):
    QuarterReport.objects.filter(indicator=indicator).update(value=None)
    first = QuarterReport(indicator=indicator, quarter=1)
    second = QuarterReport(indicator=indicator, quarter=2)
    rows = [row_for(first, **{VALUE: "50", NARRATIVE: "ok"}), row_for(second, **{VALUE: "30"})]
    outcome = run(rows, admin_user, dry_run=True)
    assert [(p.row, p.column) for p in outcome.problems] == [(3, NARRATIVE)]
    assert "ต่ำกว่าไตรมาสก่อน (50)" in outcome.problems[0].message
    rows[1][NARRATIVE] = "ลดลงเพราะตรวจนับซ้ำแล้วตัดรายการที่ซ้ำออก ตามหนังสือแจ้ง"
    assert run(rows, admin_user, dry_run=True).ok


# --- scores: never on a draft; the review page's rules ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.RETURNED])
def test_scores_are_never_written_on_a_draft_or_returned_report(report, admin_user, status):
    report = put(report, status)
    outcome = run([row_for(report, **{SCORE: "80", REASON: "ลองให้คะแนน"})], admin_user)
    assert [p.column for p in outcome.problems] == [SCORE]
    assert "ให้คะแนนได้เฉพาะรายงานที่ส่งแล้วหรืออนุมัติแล้ว" in problems(outcome)
    assert not Assessment.objects.filter(report=report).exists()


@pytest.mark.django_db
def test_a_report_the_file_creates_gets_no_score(indicator, admin_user):
    later = QuarterReport(indicator=indicator, quarter=4)
    QuarterReport.objects.filter(indicator=indicator, quarter=4).delete()
    outcome = run([row_for(later, **{VALUE: "90", NARRATIVE: "ok", SCORE: "90"})], admin_user)
    assert [p.column for p in outcome.problems] == [SCORE]
    assert not QuarterReport.objects.filter(indicator=indicator, quarter=4).exists()


@pytest.mark.django_db
def test_a_score_unlike_the_suggested_one_needs_a_reason(report, auditor):
    report = put(report, ReportStatus.SUBMITTED, value="25")
    suggested = services.suggested_score_of(report)
    assert suggested is not None
    other = str(suggested - 10)
    outcome = run([row_for(report, **{SCORE: other})], auditor)
    assert [p.column for p in outcome.problems] == [REASON]
    assert run([row_for(report, **{SCORE: str(suggested)})], auditor).ok


@pytest.mark.django_db
def test_a_score_with_too_many_decimal_places_is_refused_not_rounded(report, auditor):
    report = put(report, ReportStatus.SUBMITTED)
    outcome = run([row_for(report, **{SCORE: "80.125", REASON: "มติ"})], auditor)
    assert [p.column for p in outcome.problems] == [SCORE]
    assert "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง" in problems(outcome)


@pytest.mark.django_db
def test_scores_need_a_named_importer(report):
    report = put(report, ReportStatus.SUBMITTED)
    outcome = run([row_for(report, **{SCORE: "80", REASON: "มติ"})], None)
    assert "ผู้นำเข้า" in problems(outcome)


# --- an approved report: an auditor or administrator, with a reason per row ------------------


@pytest.mark.django_db
def test_approved_report_changes_only_with_an_auditor_s_reason(report, auditor, reporter5030):
    report = put(report, ReportStatus.APPROVED)
    change = {VALUE: "31", NARRATIVE: report.narrative}
    for by in (reporter5030, None):
        refused = run([row_for(report, **change)], by)
        assert [p.column for p in refused.problems] == [VALUE], by
    unexplained = run([row_for(report, **change)], auditor)
    assert [p.column for p in unexplained.problems] == [REASON]
    report.refresh_from_db()
    assert (report.value, report.version) == (D(30), 1)

    outcome = run([row_for(report, **change, **{REASON: "แก้ตามหนังสือเขต ลว. 1 ธ.ค."})], auditor)
    assert outcome.ok, problems(outcome)
    report.refresh_from_db()
    assert (report.value, report.version, report.status) == (D(31), 2, ReportStatus.APPROVED)
    recorded = report.history.order_by("-history_id").first()
    assert recorded.history_user == auditor
    assert recorded.history_change_reason == (
        f"{outcome.batch.change_reason}: แก้ตามหนังสือเขต ลว. 1 ธ.ค."
    )


@pytest.mark.django_db
def test_many_changed_rows_cost_no_query_per_row(auditor, django_assert_max_num_queries):
    reports = list(
        QuarterReport.objects.filter(indicator__fiscal_year_id=2564).select_related("indicator")
    )
    assert len(reports) > 100
    rows = [
        row_for(r, **{VALUE: str((r.value or 0) + 1), NARRATIVE: r.narrative, REASON: "ปรับ"})
        for r in reports
        if r.indicator.measure != "level"
    ]
    with django_assert_max_num_queries(40):
        outcome = run(rows, auditor)
    assert outcome.ok, problems(outcome)[:500]
    assert outcome.updated == len(rows)


# --- revert: refused, listing why, when anything was added or changed since ------------------


@pytest.fixture
def imported(report, admin_user):
    """The current quarter's draft of 5030-2001 given a value by an import."""
    outcome = run([row_for(report, **{VALUE: "12", NARRATIVE: "จากไฟล์"})], admin_user)
    assert outcome.ok, problems(outcome)
    report.refresh_from_db()
    return outcome.batch, report


def label(report: QuarterReport) -> str:
    return f"{report.indicator.code} ไตรมาส {report.quarter}"


@pytest.mark.django_db
def test_revert_lists_a_later_save_and_evidence_and_keeps_them(imported, reporter5030, admin_user):
    batch, report = imported
    services.report_save(
        report=report,
        by=reporter5030,
        value=D(14),
        narrative="แก้โดยเขต",
        version=report.version,
        files=[pdf("รูปกิจกรรม.pdf")],
    )
    with pytest.raises(ImportRevertError) as refused:
        import_revert(batch=batch, by=admin_user)
    message = str(refused.value)
    assert f"{label(report)}: รายงานผล บันทึกร่าง" in message
    assert "“รูปกิจกรรม.pdf”" in message
    report.refresh_from_db()
    assert (report.value, report.narrative) == (D(14), "แก้โดยเขต")
    assert report.evidence.count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED


@pytest.mark.django_db
def test_revert_never_cascades_over_work_on_a_report_it_created(indicator, admin_user, auditor):
    QuarterReport.objects.filter(indicator=indicator, quarter=4).delete()
    outcome = run(
        [row_for(QuarterReport(indicator=indicator, quarter=4), **{VALUE: "3"})], admin_user
    )
    assert outcome.ok and outcome.created == 1
    created = QuarterReport.objects.get(indicator=indicator, quarter=4)
    ReviewComment.objects.create(report=created, author=auditor, body="ขอหลักฐานเพิ่ม")
    with pytest.raises(ImportRevertError, match="ความเห็น"):
        import_revert(batch=outcome.batch, by=admin_user)
    assert ReviewComment.objects.filter(report=created).exists()


@pytest.mark.django_db
def test_revert_lists_a_later_score(imported, auditor, admin_user):
    batch, report = imported
    report = put(report, ReportStatus.SUBMITTED, value="12")
    services.assessment_record(
        report=report,
        by=auditor,
        score=D(60),
        score_2_1=None,
        score_2_2=None,
        reason="ตรวจแล้ว",
        version=report.version,
    )
    with pytest.raises(ImportRevertError, match="ผลประเมิน บันทึกผลประเมิน 60"):
        import_revert(batch=batch, by=admin_user)
    assert Assessment.objects.filter(report=report).exists()


@pytest.mark.django_db
def test_revert_lists_a_later_appeal(imported, reporter5030, admin_user):
    batch, report = imported
    Appeal.objects.create(
        indicator=report.indicator,
        kind=AppealKind.SCORE,
        quarter=report.quarter,
        round=AppealRound.MID_YEAR,
        requested_value=90,
        reason="x",
        created_by=reporter5030,
    )
    with pytest.raises(ImportRevertError, match=f"{label(report)}: อุทธรณ์"):
        import_revert(batch=batch, by=admin_user)


@pytest.mark.django_db
def test_a_clean_revert_restores_and_raises_the_version(imported, admin_user):
    batch, report = imported
    import_revert(batch=batch, by=admin_user)
    restored = QuarterReport.objects.get(pk=report.pk)
    assert (restored.value, restored.narrative) == (None, "")
    assert restored.version == report.version + 1  # a form opened on the import must reload
    with pytest.raises(ImportRevertError, match="ย้อนกลับแล้ว"):
        import_revert(batch=batch, by=admin_user)


# --- confirm twice: one write, the second is told ------------------------------------------


@pytest.mark.django_db
def test_a_second_confirm_writes_nothing_and_says_it_was_done(report, auditor):
    client = client_for(auditor)
    file = results_file([row_for(report, **{VALUE: "42", NARRATIVE: "จากหน้าเว็บ"})])
    assert client.post("/imports/", {"file": file}).status_code == 200
    batch = ImportBatch.objects.get(status=ImportStatus.PREVIEWED)
    first = client.post(f"/imports/{batch.pk}/confirm/")
    second = client.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "นำเข้าไปแล้ว" in second.text
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert batch_rows(QuarterReport, batch).count() == 1
    report.refresh_from_db()
    assert report.version == 2
    import_revert(batch=batch, by=auditor)
    report.refresh_from_db()
    assert report.value is None


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two real transactions need PostgreSQL row locks: SQLite locks whole tables (CI runs on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirms_commit_once(demo_database):
    from django.contrib.auth.models import User
    from django.utils import timezone

    today = timezone.localdate()
    auditor = User.objects.get(username="auditor")
    indicator = Indicator.objects.get(fiscal_year_id=fiscal_year_of(today), code="5030-2001")
    report = QuarterReport.objects.get(indicator=indicator, quarter=quarter_of(today))
    rows = [row_for(report, **{VALUE: "42", NARRATIVE: "พร้อมกัน"})]
    batch = import_preview(file=results_file(rows), by=auditor).batch
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm() -> None:
        try:
            barrier.wait()
            outcome = import_confirm(batch=batch, by=auditor)
            outcomes.append("done already" if outcome.already_done else f"ok={outcome.ok}")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done already", "ok=True"]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert batch_rows(QuarterReport, batch).count() == 1
    assert QuarterReport.objects.get(pk=report.pk).version == 2


@pytest.mark.django_db
def test_revert_of_new_indicators_keeps_the_reports_entered_on_them(admin_user, reporter5030):
    headers = ["ปีงบประมาณ", "รหัสหน่วยงาน", "เลขลำดับ", "ชื่อตัวชี้วัด", "หน่วยนับ"]
    headers += ["ลักษณะการวัด", "ค่าเป้าหมาย", "ประเภทตัวชี้วัด", "ระดับตัวชี้วัด"]
    row = ["2564", "50300000", "9998", "ตัวชี้วัดใหม่", "ร้อยละ", "ร้อยละ", "80"]
    row += ["ตัวชี้วัดเชิงยุทธศาสตร์", "output"]
    content = tablib.Dataset(row, headers=headers).export("csv").encode("utf-8")
    outcome = import_run(file=SimpleUploadedFile("i.csv", content), by=admin_user, dry_run=False)
    assert outcome.ok, problems(outcome)
    indicator = Indicator.objects.get(fiscal_year_id=2564, code="5030-9998")
    entered = QuarterReport.of(indicator, 1, value=D(5))
    entered.save()
    entered.history.update(history_user=reporter5030)
    with pytest.raises(ImportRevertError, match="5030-9998 ไตรมาส 1: รายงานผล"):
        import_revert(batch=outcome.batch, by=admin_user)
    assert QuarterReport.objects.filter(pk=entered.pk).exists()


@pytest.mark.django_db
def test_a_sub_score_alone_needs_the_score_first(report, auditor):
    report = put(report, ReportStatus.SUBMITTED)
    outcome = run([row_for(report, **{"คะแนน 2.1": "80", REASON: "มติ"})], auditor)
    assert [(p.column, p.message) for p in outcome.problems] == [("คะแนน 2.1", "กรุณากรอกผลประเมิน")]
