"""Spreadsheets in and out: round trips, idempotence, atomicity and every bad file's message."""

import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from indicators.models import (
    Assessment,
    ImportBatch,
    ImportStatus,
    Indicator,
    QuarterReport,
)
from indicators.numbers import parse_decimal
from indicators.spreadsheets.exports import export_bytes, export_dataset, template_bytes
from indicators.spreadsheets.files import MAX_IMPORT_BYTES
from indicators.spreadsheets.imports import import_revert, import_run

YEAR = 2564
RESULT_HEADERS = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส", "ผลงาน", "รายงานผลการดำเนินงาน"]
REASON = "เหตุผลการแก้ไข"
# The demo's 2564 reports are approved: changing one takes a reason per row (issue 13).
DEFAULT_REASON = "แก้ตามหนังสือขอแก้ไขข้อมูล"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def csv_file(rows: list[list], headers=RESULT_HEADERS, encoding="utf-8", name="results.csv"):
    if headers[: len(RESULT_HEADERS)] == RESULT_HEADERS and REASON not in headers:
        headers = [*headers, REASON]
        rows = [[*row, DEFAULT_REASON if any(row) else ""] for row in rows]
    data = tablib.Dataset(*rows, headers=headers)
    return upload(name, data.export("csv").encode(encoding))


def xlsx_bytes(rows: list[list], headers=RESULT_HEADERS, *, build=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if build:
        build(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def first_report() -> QuarterReport:
    return (
        QuarterReport.objects.filter(indicator__fiscal_year_id=YEAR)
        .select_related("indicator")
        .order_by("pk")
        .first()
    )


def messages(outcome) -> str:
    return "\n".join(str(p) for p in outcome.problems)


def test_parse_decimal_reads_thai_digits_and_separators():
    assert parse_decimal("๑,๒๓๔.๕") == Decimal("1234.5")
    assert parse_decimal(" 80 ") == Decimal(80)
    with pytest.raises(ValueError, match="ไม่ใช่ตัวเลข"):
        parse_decimal("ร้อยละแปดสิบ")


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["indicators", "results"])
@pytest.mark.parametrize("file_format", ["xlsx", "csv", "json"])
def test_export_imports_back_unchanged(what, file_format, admin_user):
    content = export_bytes(export_dataset(what, YEAR), file_format)
    outcome = import_run(file=upload(f"x.{file_format}", content), by=admin_user, dry_run=False)
    assert outcome.ok, messages(outcome)
    assert outcome.kind == what
    assert outcome.total > 0
    assert outcome.unchanged == outcome.total
    assert (outcome.created, outcome.updated) == (0, 0)


@pytest.mark.django_db
def test_second_import_of_the_same_file_changes_nothing(admin_user):
    report = first_report()
    rows = [[YEAR, report.indicator.code, report.quarter, "๗๗.๕", "ผลจากไฟล์"]]
    first = import_run(file=csv_file(rows), by=admin_user, dry_run=False)
    assert first.ok, messages(first)
    assert first.updated == 1
    report.refresh_from_db()
    assert report.value == Decimal("77.5")
    version = report.version
    second = import_run(file=csv_file(rows), by=admin_user, dry_run=False)
    assert (second.updated, second.unchanged) == (0, 1)
    report.refresh_from_db()
    assert report.version == version
    assert ImportBatch.objects.filter(status=ImportStatus.COMMITTED).count() == 2


@pytest.mark.django_db
def test_dry_run_previews_and_writes_nothing(admin_user):
    report = first_report()
    rows = [[YEAR, report.indicator.code, report.quarter, "1", "ลอง"]]
    outcome = import_run(file=csv_file(rows), by=admin_user, dry_run=True)
    assert outcome.ok and outcome.updated == 1
    report.refresh_from_db()
    assert report.narrative != "ลอง"
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_one_bad_row_in_a_thousand_writes_nothing(admin_user):
    indicator = Indicator.objects.filter(fiscal_year_id=YEAR).first()
    for number in range(1, 251):
        Indicator.objects.create(
            fiscal_year_id=2570,
            agency=indicator.agency,
            number=90000 + number,
            code=Indicator.build_code(indicator.agency.prefix, 90000 + number),
            name_th="ทดสอบ",
            unit="ร้อยละ",
            measure="percent",
            target=100,
            kind="routine",
            result_level="output",
        )
    codes = [Indicator.build_code(indicator.agency.prefix, 90000 + n) for n in range(1, 251)]
    rows = [[2570, code, q, q * 10, ""] for code in codes for q in (1, 2, 3, 4)]
    rows[500][3] = "สิบ"
    before = QuarterReport.objects.count()
    outcome = import_run(file=csv_file(rows), by=admin_user, dry_run=False)
    assert not outcome.ok
    assert str(outcome.problems[0]) == "แถว 502 คอลัมน์ “ผลงาน”: “สิบ” ไม่ใช่ตัวเลข"
    assert QuarterReport.objects.count() == before
    assert ImportBatch.objects.get().status == ImportStatus.FAILED


@pytest.mark.django_db
def test_assessments_are_created_and_reverted_through_history(admin_user):
    report = first_report()
    Assessment.objects.filter(report=report).delete()
    old_value = report.value
    headers = [*RESULT_HEADERS, "ผลประเมินตัวชี้วัด", "คะแนน 2.1", "คะแนน 2.2"]
    rows = [[YEAR, report.indicator.code, report.quarter, "12", "ใหม่", "95", "90", ""]]
    outcome = import_run(file=csv_file(rows, headers), by=admin_user, dry_run=False)
    assert outcome.ok, messages(outcome)
    assessment = Assessment.objects.get(report=report)
    assert (assessment.score, assessment.score_2_2) == (Decimal(95), None)
    import_revert(batch=outcome.batch, by=admin_user)
    report.refresh_from_db()
    assert report.value == old_value
    assert not Assessment.objects.filter(report=report).exists()
    assert ImportBatch.objects.get().status == ImportStatus.REVERTED


@pytest.mark.django_db
def test_new_indicator_gets_its_code_and_links(admin_user):
    headers = [
        "ปีงบประมาณ",
        "รหัสหน่วยงาน",
        "เลขลำดับ",
        "ชื่อตัวชี้วัด",
        "หน่วยนับ",
        "ลักษณะการวัด",
        "ค่าเป้าหมาย",
        "ประเภทตัวชี้วัด",
        "ระดับตัวชี้วัด",
        "ยุทธศาสตร์ที่สนับสนุน",
    ]
    row = ["๒๕๖๔", "50300000", "9999", "ตัวชี้วัดใหม่", "ร้อยละ", "ร้อยละ", "80"]
    row += ["ตัวชี้วัดเชิงยุทธศาสตร์", "output", "5.2"]
    outcome = import_run(file=csv_file([row], headers), by=admin_user, dry_run=False)
    assert outcome.ok, messages(outcome)
    indicator = Indicator.objects.get(fiscal_year_id=YEAR, code="5030-9999")
    assert indicator.measure == "percent"
    assert [n.code for n in indicator.strategy_nodes.all()] == ["5.2"]
    assert indicator.history.first().history_change_reason == outcome.batch.change_reason


def bad(name: str, content: bytes, admin_user) -> str:
    outcome = import_run(file=upload(name, content), by=admin_user, dry_run=False)
    assert not outcome.ok
    return messages(outcome)


@pytest.mark.django_db
def test_bad_files_get_a_clear_message(admin_user):
    report = first_report()
    code = report.indicator.code
    good = [YEAR, code, report.quarter, "5", ""]

    def csv_bytes(rows, headers=RESULT_HEADERS):
        return tablib.Dataset(*rows, headers=headers).export("csv").encode()

    assert "ขาดคอลัมน์ “ไตรมาส”" in bad(
        "a.csv", csv_bytes([[YEAR, code, "5"]], ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ผลงาน"]), admin_user
    )
    assert "คอลัมน์ “ผลงานรวม”: ไม่รู้จักหัวคอลัมน์นี้" in bad(
        "a.csv", csv_bytes([[*good, 1]], [*RESULT_HEADERS, "ผลงานรวม"]), admin_user
    )
    assert "แถว 2 คอลัมน์ “ไตรมาส”: ต้องเป็น 1 ถึง 4" in bad(
        "a.csv", csv_bytes([[YEAR, code, 5, "1", ""]]), admin_user
    )
    assert "ไม่พบตัวชี้วัดรหัส “9999-1”" in bad(
        "a.csv", csv_bytes([[YEAR, "9999-1", 1, "1", ""]]), admin_user
    )
    assert "แถว 3 คอลัมน์ “ปีงบประมาณ, รหัสตัวชี้วัด, ไตรมาส”: ซ้ำกับแถว 2" in bad(
        "a.csv", csv_bytes([good, good]), admin_user
    )
    assert "ไม่มีแถวข้อมูล" in bad("a.csv", csv_bytes([["", "", "", "", ""]]), admin_user)
    assert "เซลล์ D2 เป็นสูตร" in bad("a.xlsx", xlsx_bytes([[YEAR, code, 1, "=1+1", ""]]), admin_user)
    merged = xlsx_bytes([good], build=lambda sheet: sheet.merge_cells("A2:B2"))
    assert "ผสานกัน (A2:B2)" in bad("a.xlsx", merged, admin_user)
    assert "ไม่ใช่ไฟล์ Excel" in bad("a.xlsx", b"not a zip", admin_user)
    assert "รองรับเฉพาะไฟล์" in bad("a.pdf", b"%PDF", admin_user)
    assert "ไฟล์ใหญ่เกินไป" in bad("a.csv", b"x" * (MAX_IMPORT_BYTES + 1), admin_user)
    assert not QuarterReport.objects.filter(value=5, pk=report.pk).exists()


@pytest.mark.django_db
def test_fifty_megabyte_upload_is_refused_before_reading(admin_user):
    big = SimpleUploadedFile("big.xlsx", b"")
    big.size = 50 * 1024 * 1024
    outcome = import_run(file=big, by=admin_user, dry_run=True)
    assert "ไฟล์ใหญ่เกินไป (50.0 MB)" in messages(outcome)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "tis-620"])
def test_csv_encodings_import(encoding, admin_user):
    report = first_report()
    rows = [[YEAR, report.indicator.code, report.quarter, "๑๒", "ผลการดำเนินงานภาษาไทย"]]
    outcome = import_run(file=csv_file(rows, encoding=encoding), by=admin_user, dry_run=False)
    assert outcome.ok, messages(outcome)
    report.refresh_from_db()
    assert (report.value, report.narrative) == (Decimal(12), "ผลการดำเนินงานภาษาไทย")


@pytest.mark.django_db
def test_empty_rows_are_skipped(admin_user):
    report = first_report()
    rows = [["", "", "", "", ""], [YEAR, report.indicator.code, report.quarter, "3", ""]]
    outcome = import_run(file=csv_file(rows), by=admin_user, dry_run=True)
    assert outcome.ok and outcome.empty_rows == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["agencies", "strategy", "indicators", "results"])
def test_templates_carry_the_headers(kind):
    content = template_bytes(kind, "csv").decode("utf-8-sig")
    assert content.startswith(("ปีงบประมาณ", "รหัส"))


@pytest.mark.django_db
def test_commands_round_trip_and_fail_loudly(tmp_path, admin_user):
    out = tmp_path / "results.xlsx"
    call_command("kpi_export", year=YEAR, what="results", format="xlsx", output=out)
    call_command("kpi_import", str(out), "--dry-run")
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xef\xbb\xbfnot,the,headers\n1,2,3\n")
    with pytest.raises(Exception, match="nothing written"):
        call_command("kpi_import", str(broken))


IMPORT_URL = "/imports/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin_user", 200), ("auditor", 200), ("manager", 403), ("reporter5030", 403)],
)
def test_import_page_is_for_administrators_and_auditors(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(IMPORT_URL).status_code == status


@pytest.mark.django_db
def test_import_page_sends_anonymous_visitors_to_log_in(client):
    assert client.get(IMPORT_URL).status_code == 302


@pytest.mark.django_db
def test_upload_preview_then_confirm(client, auditor):
    report = first_report()
    client.force_login(auditor)
    rows = [[YEAR, report.indicator.code, report.quarter, "42", "จากหน้าเว็บ"]]
    page = client.post(IMPORT_URL, {"file": csv_file(rows)})
    assert page.status_code == 200
    assert "ยืนยันการนำเข้า" in page.text
    report.refresh_from_db()
    assert report.narrative != "จากหน้าเว็บ"
    batch = ImportBatch.objects.get(status=ImportStatus.PREVIEWED)
    response = client.post(f"/imports/{batch.pk}/confirm/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.value, report.narrative) == (Decimal(42), "จากหน้าเว็บ")
    batch.refresh_from_db()
    assert (batch.status, batch.updated_count, batch.created_by) == ("committed", 1, auditor)
    client.post(f"/imports/{batch.pk}/revert/")
    report.refresh_from_db()
    assert report.narrative != "จากหน้าเว็บ"


@pytest.mark.django_db
def test_upload_with_errors_shows_row_column_and_problem(client, admin_user):
    client.force_login(admin_user)
    page = client.post(IMPORT_URL, {"file": csv_file([[YEAR, "0000-0", "๕", "x", ""]])})
    assert "ไม่พบตัวชี้วัดรหัส" in page.text
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in page.text
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["agencies", "strategy", "indicators", "results"])
def test_template_download_is_a_workbook(client, admin_user, kind):
    client.force_login(admin_user)
    response = client.get(f"/imports/template/{kind}.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_open_data_streams_published_years_only(client):
    from indicators.models import FiscalYear

    response = client.get(f"/open-data/{YEAR}/indicators.csv")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.startswith('"fiscal_year","code","agency_code"')
    assert text.count("\n") == Indicator.objects.filter(fiscal_year_id=YEAR).count() + 1
    import json

    records = json.loads(
        b"".join(client.get(f"/open-data/{YEAR}/indicators.json").streaming_content)
    )
    assert len(records) == Indicator.objects.filter(fiscal_year_id=YEAR).count()
    FiscalYear.objects.filter(year=YEAR).update(is_published=False)
    assert client.get(f"/open-data/{YEAR}/indicators.csv").status_code == 404
    assert client.get("/open-data/2400/indicators.json").status_code == 404


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_round_trips_as_text(admin_user):
    report = first_report()
    QuarterReport.objects.filter(pk=report.pk).update(narrative="=SUM(A1:A3) คือผลรวม")
    content = export_bytes(export_dataset("results", YEAR), "xlsx")
    outcome = import_run(file=upload("r.xlsx", content), by=admin_user, dry_run=True)
    assert outcome.ok, messages(outcome)
    assert outcome.unchanged == outcome.total


@pytest.mark.django_db
def test_open_data_csv_does_not_run_formulas(client):
    indicator = Indicator.objects.filter(fiscal_year_id=YEAR).first()
    Indicator.objects.filter(pk=indicator.pk).update(name_th='=HYPERLINK("http://x")')
    response = client.get(f"/open-data/{YEAR}/indicators.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_revert_is_refused_after_later_changes(admin_user):
    from indicators.spreadsheets.imports import ImportRevertError

    report = first_report()
    rows = [[YEAR, report.indicator.code, report.quarter, "61", "รอบแรก"]]
    first = import_run(file=csv_file(rows), by=admin_user, dry_run=False)
    rows[0][4] = "รอบสอง"
    import_run(file=csv_file(rows), by=admin_user, dry_run=False)
    with pytest.raises(ImportRevertError, match="ย้อนกลับไม่ได้"):
        import_revert(batch=first.batch, by=admin_user)
    report.refresh_from_db()
    assert report.narrative == "รอบสอง"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "reporter5030"])
def test_others_cannot_confirm_revert_or_download_templates(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    batch = ImportBatch.objects.create(file_name="x.csv", file_format="csv")
    assert client.post(f"/imports/{batch.pk}/confirm/").status_code == 403
    assert client.post(f"/imports/{batch.pk}/revert/").status_code == 403
    assert client.get("/imports/template/results.xlsx").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["agencies", "strategy"])
def test_reference_data_round_trips(what, admin_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        content = export_bytes(export_dataset(what), "csv")
    outcome = import_run(file=upload("r.csv", content), by=admin_user, dry_run=False)
    assert outcome.ok, messages(outcome)
    assert outcome.total > 0 and outcome.unchanged == outcome.total


@pytest.mark.django_db
def test_new_strategy_node_finds_its_parent(admin_user):
    headers = ["รหัสแผน", "รหัส", "ระดับ", "ชื่อ (ไทย)"]
    from indicators.models import Plan, StrategyNode

    plan = Plan.objects.first()
    parent = StrategyNode.objects.filter(plan=plan, level=1).first()
    rows = [[plan.code, f"{parent.code}.๙", "มิติ", "มิติใหม่"], [plan.code, "99.1", "มิติ", "x"]]
    outcome = import_run(file=csv_file(rows, headers), by=admin_user, dry_run=True)
    assert "แถว 3 คอลัมน์ “รหัส”: ไม่พบยุทธศาสตร์แม่รหัส “99”" in messages(outcome)
    outcome = import_run(file=csv_file(rows[:1], headers), by=admin_user, dry_run=False)
    assert outcome.ok, messages(outcome)
    assert StrategyNode.objects.get(plan=plan, code=f"{parent.code}.9").parent == parent


@pytest.mark.django_db
def test_import_page_queries_do_not_grow_with_batches(
    client, admin_user, django_assert_max_num_queries
):
    for n in range(5):
        ImportBatch.objects.create(
            created_by=admin_user, file_name=f"{n}.csv", file_format="csv", status="committed"
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get(IMPORT_URL).status_code == 200


@pytest.mark.django_db
def test_result_import_costs_no_query_per_row(admin_user, django_assert_max_num_queries):
    content = export_bytes(export_dataset("results", YEAR), "csv")
    rows = content.decode("utf-8-sig").count("\n") - 1
    assert rows > 100
    with django_assert_max_num_queries(30):
        outcome = import_run(file=upload("r.csv", content), by=admin_user, dry_run=False)
    assert outcome.ok


@pytest.mark.django_db
def test_changed_indicator_row_updates_fields_and_links(admin_user):
    from indicators.models import Project

    dataset = export_dataset("indicators", YEAR)
    row = list(dataset[0])
    headers = dataset.headers
    projects = list(Project.objects.values_list("code", flat=True)[:2])
    row[headers.index("ค่าเป้าหมาย")] = "๙๙"
    row[headers.index("โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด")] = ", ".join(reversed(projects))
    changed = tablib.Dataset(row, headers=headers)
    outcome = import_run(
        file=upload("i.csv", export_bytes(changed, "csv")), by=admin_user, dry_run=False
    )
    assert outcome.ok, messages(outcome)
    assert outcome.updated == 1
    indicator = Indicator.objects.get(fiscal_year_id=YEAR, code=row[headers.index("รหัสตัวชี้วัด")])
    assert indicator.target == Decimal(99)
    linked = [link.project.code for link in indicator.indicatorproject_set.order_by("order")]
    assert linked == list(reversed(projects))
    again = import_run(
        file=upload("i.csv", export_bytes(changed, "csv")), by=admin_user, dry_run=False
    )
    assert again.unchanged == 1
