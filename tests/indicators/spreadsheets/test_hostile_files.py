"""Hostile spreadsheets: each is refused quickly with a Thai message naming the limit, no 500."""

import io
import json
import resource
import time
import zipfile

import pytest
import tablib
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.admin import IndicatorAdmin
from indicators.models import ImportBatch, Indicator, QuarterReport
from indicators.spreadsheets.exports import export_bytes, export_dataset
from indicators.spreadsheets.imports import import_run
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
RESULT_HEADERS = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส", "ผลงาน", "รายงานผลการดำเนินงาน"]
SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(build) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(RESULT_HEADERS)
    build(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def far_corner(sheet) -> None:
    sheet["XFD1048576"] = 1


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The same workbook with one part of the zip replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = content if item.filename == name else source.read(item.filename)
            target.writestr(item, body)
    return out.getvalue()


def good_xlsx() -> bytes:
    return workbook_bytes(lambda sheet: sheet.append([2564, "5030-1052", 1, 10, "x"]))


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>"""
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY a "ha">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def csv_bytes(rows) -> bytes:
    return tablib.Dataset(*rows, headers=RESULT_HEADERS).export("csv").encode()


HOSTILE_FILES = {
    "far corner": ("a.xlsx", lambda: workbook_bytes(far_corner), "1,048,576"),
    "column XFD": (
        "a.xlsx",
        lambda: workbook_bytes(lambda s: s.__setitem__("XFD2", 1)),
        "100 คอลัมน์",
    ),
    "broken xml": (
        "a.xlsx",
        lambda: replace_member(good_xlsx(), SHEET, b"<worksheet><sheetData><row"),
        "ไม่ใช่ไฟล์ Excel",
    ),
    "xxe": ("a.xlsx", lambda: replace_member(good_xlsx(), SHEET, XXE), "ไม่ใช่ไฟล์ Excel"),
    "billion laughs": (
        "a.xlsx",
        lambda: replace_member(good_xlsx(), SHEET, LAUGHS),
        "ไม่ใช่ไฟล์ Excel",
    ),
    "csv field": ("a.csv", lambda: csv_bytes([[2564, "x" * 140_000, 1, 1, ""]]), "32,767 ตัวอักษร"),
    "csv field of 40,000": (
        "a.csv",
        lambda: csv_bytes([[2564, "x", 1, 1, "y" * 40_000]]),
        "32,767 ตัวอักษร",
    ),
    "json depth": ("a.json", lambda: b"[" * 100_000 + b"]" * 100_000, "ซ้อนกันลึกเกินไป"),
    "json nested value": (
        "a.json",
        lambda: json.dumps([{"ผลงาน": [[1]]}]).encode(),
        "ซ้อนกันลึกเกินไป",
    ),
    "json number": ("a.json", lambda: b'[{"\xe0\xb8\x9c": ' + b"9" * 5000 + b"}]", "40 หลัก"),
    "json float": ("a.json", lambda: b'[{"a": 1.' + b"5" * 5000 + b"}]", "40 หลัก"),
    "json NaN": ("a.json", lambda: b'[{"a": NaN}]', "NaN"),
    "nul in csv": ("a.csv", lambda: csv_bytes([[2564, "50\x0030", 1, 1, ""]]), "NUL"),
}


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_hostile_file_is_refused_with_its_limit(case, admin_user):
    name, build, expected = HOSTILE_FILES[case]
    before = (ImportBatch.objects.count(), list(QuarterReport.objects.values_list("value")))
    started = time.monotonic()
    response = client_for(admin_user).post(
        reverse("indicators:import-upload"), {"file": SimpleUploadedFile(name, build())}
    )
    assert time.monotonic() - started < 10
    assert response.status_code == 400
    assert expected in response.text, response.text[-2000:]
    assert "ยังไม่ได้บันทึกข้อมูลใด ๆ" in response.text
    assert (ImportBatch.objects.count(), list(QuarterReport.objects.values_list("value"))) == before


def test_far_corner_file_is_read_without_walking_the_grid(admin_user):
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = import_run(
        file=SimpleUploadedFile("a.xlsx", workbook_bytes(far_corner)), by=admin_user, dry_run=True
    )
    assert "1,048,576" in str(outcome.problems[0])
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 100_000


def test_styled_whole_columns_and_rows_read_like_a_plain_file(admin_user):
    def styled(sheet) -> None:
        sheet["F1"] = "เหตุผลการแก้ไข"  # 2564's quarters are approved: a change names its reason
        sheet.append([2564, "5030-1052", 1, 10, "x", "แก้ตามเอกสาร"])
        sheet.column_dimensions["A"].font = Font(bold=True)
        for column in ("Z", "AZ", "XFD"):
            sheet[f"{column}2"].font = Font(italic=True)  # a styled cell with no value
        sheet["A300000"].font = Font(bold=True)

    data = workbook_bytes(styled)
    started = time.monotonic()
    outcome = import_run(file=SimpleUploadedFile("a.xlsx", data), by=admin_user, dry_run=True)
    assert time.monotonic() - started < 10
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.total == 1


def test_row_and_cell_limits_come_from_settings(admin_user, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [[2564, "5030-1052", 1, n, ""] for n in range(4)]
    outcome = import_run(
        file=SimpleUploadedFile("a.csv", csv_bytes(rows)), by=admin_user, dry_run=True
    )
    assert "เกิน 3 แถว (พบแถวที่ 5)" in str(outcome.problems[0])
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELLS = 100, 12
    outcome = import_run(
        file=SimpleUploadedFile("a.csv", csv_bytes(rows)), by=admin_user, dry_run=True
    )
    assert "เซลล์เกิน 12 เซลล์" in str(outcome.problems[0])


def test_a_zip_that_unpacks_too_large_is_refused_before_parsing(admin_user, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024
    outcome = import_run(
        file=SimpleUploadedFile("a.xlsx", good_xlsx()), by=admin_user, dry_run=True
    )
    assert "เมื่อคลายออกมีขนาดเกิน" in str(outcome.problems[0])


def test_kpi_import_refuses_the_far_corner_file(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook_bytes(far_corner))
    with pytest.raises(CommandError, match="nothing written"):
        call_command("kpi_import", str(path), "--dry-run", stderr=io.StringIO())


@pytest.mark.parametrize("case", ["far corner", "xxe", "csv field", "json depth"])
def test_the_admins_import_reads_through_the_same_limits(case, admin_user):
    name, build, expected = HOSTILE_FILES[case]
    formats = [f().get_title() for f in IndicatorAdmin(Indicator, site).get_import_formats()]
    data = {"format": formats.index(name.rsplit(".", 1)[1]), "resource": 0}
    data["import_file"] = SimpleUploadedFile(name, build())
    before = list(QuarterReport.objects.values_list("pk", "value", "narrative"))
    started = time.monotonic()
    response = client_for(admin_user).post(reverse("admin:indicators_indicator_import"), data)
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert expected in response.text
    assert list(QuarterReport.objects.values_list("pk", "value", "narrative")) == before


def test_the_admins_import_still_previews_a_good_file(admin_user):
    content = export_bytes(export_dataset("indicators", 2564), "csv")
    data = {"format": 0, "resource": 0, "import_file": SimpleUploadedFile("i.csv", content)}
    response = client_for(admin_user).post(reverse("admin:indicators_indicator_import"), data)
    assert response.status_code == 200
    assert "errorlist" not in response.text
    assert "confirm" in response.text.lower()
