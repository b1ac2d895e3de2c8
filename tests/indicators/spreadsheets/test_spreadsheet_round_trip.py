"""Files that went through LibreOffice or Excel import unchanged: codes padded, labels either way."""

import pytest
import tablib
from django.utils import translation
from openpyxl import Workbook

from indicators.models import Agency, Indicator, Measure
from indicators.spreadsheets.exports import export_bytes, export_dataset
from indicators.spreadsheets.imports import import_run
from tests.indicators.spreadsheets.test_imports import YEAR, messages, upload

pytestmark = pytest.mark.django_db


def as_a_spreadsheet_reads_it(dataset: tablib.Dataset, column: str) -> tablib.Dataset:
    """`column` as LibreOffice's CSV import reads it: digits become a number, zeros lost."""
    index = dataset.headers.index(column)
    rows = [
        [
            int(value) if i == index and str(value).isdigit() else value
            for i, value in enumerate(row)
        ]
        for row in dataset
    ]
    return tablib.Dataset(*rows, headers=dataset.headers)


def xlsx(dataset: tablib.Dataset) -> bytes:
    import io

    book = Workbook()
    sheet = book.active
    sheet.append(dataset.headers)
    for row in dataset:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_indicators_with_numeric_agency_codes_import_unchanged(admin_user):
    assert Agency.objects.filter(code__startswith="0", indicators__fiscal_year_id=YEAR).exists()
    dataset = as_a_spreadsheet_reads_it(export_dataset("indicators", YEAR), "รหัสหน่วยงาน")
    assert any(isinstance(row[dataset.headers.index("รหัสหน่วยงาน")], int) for row in dataset)
    outcome = import_run(file=upload("i.xlsx", xlsx(dataset)), by=admin_user, dry_run=True)
    assert outcome.ok, messages(outcome)
    assert (
        outcome.unchanged == outcome.total == Indicator.objects.filter(fiscal_year_id=YEAR).count()
    )


def test_agencies_with_numeric_codes_and_prefixes_import_unchanged(admin_user):
    dataset = export_dataset("agencies")
    for column in ("รหัสหน่วยงาน", "รหัสนำหน้าตัวชี้วัด"):
        dataset = as_a_spreadsheet_reads_it(dataset, column)
    content = export_bytes(dataset, "csv")
    outcome = import_run(file=upload("a.csv", content), by=admin_user, dry_run=True)
    assert outcome.ok, messages(outcome)
    assert outcome.unchanged == outcome.total == Agency.objects.count()


@pytest.mark.parametrize("vocabulary", ["code", "english"])
def test_coded_columns_read_codes_and_english_labels_too(admin_user, vocabulary):
    """The open data writes codes, an English sheet English labels: both import as Thai does."""
    dataset = export_dataset("indicators", YEAR)
    index = dataset.headers.index("ลักษณะการวัด")
    thai = {str(label): value for value, label in Measure.choices}
    with translation.override("en"):
        english = {value: str(label) for value, label in Measure.choices}
    rows = []
    for row in dataset:
        row = list(row)
        code = thai[row[index]]
        row[index] = code if vocabulary == "code" else english[code]
        rows.append(row)
    changed = tablib.Dataset(*rows, headers=dataset.headers)
    outcome = import_run(file=upload("i.xlsx", xlsx(changed)), by=admin_user, dry_run=True)
    assert outcome.ok, messages(outcome)
    assert outcome.unchanged == outcome.total
