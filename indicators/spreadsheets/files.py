"""Reading an uploaded spreadsheet into rows, with a clear Thai message for every bad file."""

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from indicators.spreadsheets import limits
from indicators.spreadsheets.cells import restored_cell

MAX_IMPORT_BYTES = 10 * 1024 * 1024
FORMATS = ("xlsx", "csv", "json")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Table:
    file_format: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    # The spreadsheet's own row number of each row, so errors name the row the user sees.
    row_numbers: list[int] = field(default_factory=list)
    empty_rows: int = 0


def file_format_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ImportFileError(
            _("รองรับเฉพาะไฟล์ .xlsx, .csv และ .json (ไฟล์นี้เป็น “%(suffix)s”)")
            % {"suffix": suffix or _("ไม่มีนามสกุล")}
        )
    return suffix


def read_limited(stream) -> bytes:
    """The file's bytes; refuses one over the limit without reading all of it."""
    size = getattr(stream, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise ImportFileError(too_large_message(size))
    data = stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(too_large_message(size or len(data)))
    if not data:
        raise ImportFileError(_("ไฟล์ว่าง ไม่มีข้อมูล"))
    return data


def too_large_message(size: int) -> str:
    return _("ไฟล์ใหญ่เกินไป (%(size).1f MB) ขนาดสูงสุด %(limit)d MB: แบ่งเป็นหลายไฟล์") % {
        "size": size / 1024 / 1024,
        "limit": MAX_IMPORT_BYTES // 1024 // 1024,
    }


def read_table(name: str, stream) -> Table:
    file_format = file_format_of(name)
    data = read_limited(stream)
    try:
        if file_format == "xlsx":
            raw = read_xlsx(data)
        elif file_format == "csv":
            raw = read_csv(data)
        else:
            raw = read_json(data)
    except limits.LimitExceeded as error:
        raise ImportFileError(str(error)) from None
    return build_table(file_format, raw)


def read_csv(data: bytes) -> list[list[Any]]:
    """Rows of a CSV file, stopping at the first row or field past the limits."""
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    rows = []
    cells = limits.CellCounter()
    try:
        for number, row in enumerate(reader, start=1):
            limits.check_row(number)
            cells.add(len(row))
            for value in row:
                limits.check_field(value, number)
            rows.append(row)
    except csv.Error:
        # The csv module's own field limit (131,072) is the only error it raises on text.
        raise limits.LimitExceeded(limits.field_too_long_message(reader.line_num)) from None
    return rows


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, else TIS-620/cp874 (what Thai Excel writes)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("อ่านตัวอักษรในไฟล์ไม่ได้: บันทึกเป็น CSV แบบ UTF-8 หรือ TIS-620 (Windows-874)")
        ) from None


def read_xlsx(data: bytes) -> list[list[Any]]:
    """The first sheet's rows, streamed: only rows and cells present in the file are walked."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            limits.check_zip(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return _sheet_rows(workbook)
        finally:
            workbook.close()
    except limits.LimitExceeded:
        raise
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError):
        # SyntaxError: broken XML (ParseError); ValueError: defusedxml's refusal of entities.
        raise ImportFileError(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่เปิดได้")) from None


def _sheet_rows(workbook) -> list[list[Any]]:
    # openpyxl's read-only sheet pads every missing row and column up to the declared
    # dimension (XFD1048576 means 17 billion cells); its row parser yields only present rows.
    from openpyxl.worksheet._reader import WorkSheetParser

    sheet = workbook.worksheets[0]
    parser = WorkSheetParser(
        sheet._get_source(),
        sheet._shared_strings,
        data_only=False,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    rows: list[list[Any]] = []
    cells = limits.CellCounter()
    for number, row_cells in parser.parse():
        cells.add(len(row_cells))  # styled empty cells cost parsing too
        present = [cell for cell in row_cells if cell["value"] is not None]
        if not present:
            continue  # a formatted but empty row, however far down, is no data
        limits.check_row(number)
        rows.extend([] for _ in range(number - 1 - len(rows)))  # rows skipped in the file
        rows.append(_row_values(present, number))
    _refuse_merged(parser)
    return rows


def _row_values(present: list[dict], number: int) -> list[Any]:
    width = max(cell["column"] for cell in present)
    limits.check_column(width, number)
    values: list[Any] = [None] * width
    for cell in present:
        if cell["data_type"] == "f":
            raise ImportFileError(
                _("เซลล์ %(cell)s เป็นสูตร: คัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า")
                % {"cell": f"{get_column_letter(cell['column'])}{number}"}
            )
        limits.check_field(cell["value"], number)
        values[cell["column"] - 1] = cell["value"]
    return values


def _refuse_merged(parser) -> None:
    merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    if merged:
        ranges = ", ".join(str(cell.ref) for cell in merged[:5])
        raise ImportFileError(
            _("ไฟล์มีเซลล์ที่ผสานกัน (%(ranges)s): ยกเลิกการผสานเซลล์แล้วนำเข้าใหม่") % {"ranges": ranges}
        )


def read_json(data: bytes) -> list[list[Any]]:
    """A list of flat objects; numbers are checked for length before they are converted."""
    try:
        records = json.loads(
            decode_text(data),
            parse_int=lambda text: int(limits.check_json_number(text)),
            parse_float=lambda text: float(limits.check_json_number(text)),
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise limits.LimitExceeded(limits.json_too_deep_message()) from None
    except json.JSONDecodeError:
        raise ImportFileError(_("ไฟล์ JSON ไม่ถูกต้อง")) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFileError(_("ไฟล์ JSON ต้องเป็นรายการของแถว (list of objects)"))
    limits.check_row(len(records) + 1)
    headers: list[str] = []
    for number, record in enumerate(records, start=2):
        _check_record(record, number)
        headers.extend(key for key in record if key not in headers)
    limits.check_column(len(headers), 1)
    limits.CellCounter().add(len(headers) * len(records))
    return [headers, *([record.get(h) for h in headers] for record in records)]


def _check_record(record: dict, number: int) -> None:
    for value in record.values():
        if isinstance(value, list | dict):
            raise limits.LimitExceeded(limits.json_too_deep_message())
        limits.check_field(value, number)


def _refuse_constant(name: str) -> None:
    raise ImportFileError(_("ไฟล์ JSON มีค่า %(name)s ซึ่งไม่ใช่ตัวเลข") % {"name": name})


def clean_header(value: Any) -> str:
    return " ".join(str(value or "").replace("\ufeff", "").split())


def build_table(file_format: str, raw: list[list[Any]]) -> Table:
    if not raw or not any(clean_header(v) for v in raw[0]):
        raise ImportFileError(_("ไม่พบแถวหัวคอลัมน์ในแถวแรกของไฟล์"))
    headers = [clean_header(v) for v in raw[0]]
    while headers and not headers[-1]:
        headers.pop()
    check_headers(headers)
    table = Table(file_format, headers)
    for number, values in enumerate(raw[1:], start=2):
        values = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            table.empty_rows += 1
            continue
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ImportFileError(
                _("แถว %(row)d มีอักขระ NUL ซึ่งระบบไม่รับ: บันทึกไฟล์ใหม่จากโปรแกรมตารางคำนวณ")
                % {"row": number}
            )
        values = [restored_cell(v) for v in values]
        table.rows.append([v.strip() if isinstance(v, str) else v for v in values])
        table.row_numbers.append(number)
    if not table.rows:
        raise ImportFileError(_("ไฟล์มีแต่หัวคอลัมน์ ไม่มีแถวข้อมูล"))
    return table


def check_headers(headers: list[str]) -> None:
    if "" in headers:
        position = headers.index("") + 1
        raise ImportFileError(_("คอลัมน์ที่ %(position)d ไม่มีหัวคอลัมน์") % {"position": position})
    seen = set()
    for header in headers:
        if header in seen:
            raise ImportFileError(_("หัวคอลัมน์ “%(header)s” ซ้ำกัน") % {"header": header})
        seen.add(header)
