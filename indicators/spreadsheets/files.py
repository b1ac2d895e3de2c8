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
    if file_format == "xlsx":
        raw = read_xlsx(data)
    elif file_format == "csv":
        raw = list(csv.reader(io.StringIO(decode_text(data), newline="")))
    else:
        raw = read_json(data)
    return build_table(file_format, raw)


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
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่เปิดได้")) from None
    sheet = workbook.worksheets[0]
    if sheet.merged_cells.ranges:
        ranges = ", ".join(str(r) for r in list(sheet.merged_cells.ranges)[:5])
        raise ImportFileError(
            _("ไฟล์มีเซลล์ที่ผสานกัน (%(ranges)s): ยกเลิกการผสานเซลล์แล้วนำเข้าใหม่") % {"ranges": ranges}
        )
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                raise ImportFileError(
                    _("เซลล์ %(cell)s เป็นสูตร: คัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า")
                    % {"cell": cell.coordinate}
                )
        rows.append([cell.value for cell in row])
    return rows


def read_json(data: bytes) -> list[list[Any]]:
    try:
        records = json.loads(decode_text(data))
    except json.JSONDecodeError:
        raise ImportFileError(_("ไฟล์ JSON ไม่ถูกต้อง")) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportFileError(_("ไฟล์ JSON ต้องเป็นรายการของแถว (list of objects)"))
    headers: list[str] = []
    for record in records:
        headers.extend(key for key in record if key not in headers)
    return [headers, *([record.get(h) for h in headers] for record in records)]


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
