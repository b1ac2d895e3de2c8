"""Writing indicators and results out: files that import back unchanged, streamed CSV and JSON."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

import tablib
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import translation

from indicators.models import QuarterReport
from indicators.spreadsheets.cells import neutral_cell
from indicators.spreadsheets.resources import RESOURCES, KpiResource, describe_columns

CHUNK_SIZE = 2000
BOM = "\ufeff"  # Excel reads a UTF-8 CSV as Thai only with it


def export_dataset(kind: str, year: int | None = None) -> tablib.Dataset:
    """The same columns the import reads, in Thai whatever the active language."""
    resource = RESOURCES[kind]()
    queryset = resource.get_queryset()
    if year is not None:
        lookup = "fiscal_year_id" if kind == "indicators" else "indicator__fiscal_year_id"
        queryset = queryset.filter(**{lookup: year})
    with translation.override("th"):
        return resource.export(queryset=queryset)


def export_bytes(dataset: tablib.Dataset, file_format: str) -> bytes:
    if file_format == "xlsx":
        return xlsx_bytes(dataset.headers, dataset)
    if file_format == "csv":
        return (BOM + csv_text(dataset.headers, dataset)).encode("utf-8")
    records = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    return json.dumps(records, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode()


def xlsx_bytes(headers: list[str], rows: Iterable[Iterable]) -> bytes:
    """A workbook in which text that looks like a formula (=…) stays quoted text, never runs."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutral_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(headers: list[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([neutral_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def template_bytes(kind: str, file_format: str) -> bytes:
    """An empty file with the headers; the Excel one explains each column on a second sheet."""
    resource: KpiResource = RESOURCES[kind]()
    headers = resource.import_columns()
    if file_format != "xlsx":
        return export_bytes(tablib.Dataset(headers=headers), file_format)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "ข้อมูล"
    sheet.append(headers)
    notes = book.create_sheet("คำอธิบาย")
    notes.append(["คอลัมน์", "ต้องกรอก", "วิธีกรอก"])
    for column, required, description in describe_columns(resource):
        notes.append(
            [neutral_cell(column), "ต้องกรอก" if required else "", neutral_cell(description)]
        )
    for row in (sheet[1], notes[1]):
        for cell in row:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def results_rows(queryset: QuerySet | None = None) -> Iterator[tuple]:
    """Every quarter result as plain values, streamed; for large exports and the benchmark."""
    queryset = queryset if queryset is not None else QuarterReport.objects.all()
    values = queryset.order_by("indicator_id", "quarter").values_list(
        "indicator__fiscal_year_id",
        "indicator__code",
        "indicator__name_th",
        "quarter",
        "value",
        "narrative",
        "assessment__score",
        "assessment__score_2_1",
        "assessment__score_2_2",
    )
    return values.iterator(chunk_size=CHUNK_SIZE)


def stream_csv(headers: list[str], rows: Iterator[tuple], *, rows_per_chunk: int = 500):
    """CSV text in pieces of a few hundred rows (one write per row is slow to serve)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(headers)
    for count, row in enumerate(rows, 1):
        writer.writerow([neutral_cell(v) for v in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def stream_json(headers: list[str], rows: Iterator[tuple], *, rows_per_chunk: int = 500):
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    parts = ["["]
    for count, row in enumerate(rows):
        record = {h: _plain(v) for h, v in zip(headers, row, strict=True)}
        parts.append(("," if count else "") + "\n" + encoder.encode(record))
        if len(parts) >= rows_per_chunk:
            yield "".join(parts)
            parts = []
    parts.append("\n]\n")
    yield "".join(parts)


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value
