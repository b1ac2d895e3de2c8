"""How much of an uploaded spreadsheet is read at most, and the Thai message for each limit.

Every limit is checked while the file streams in (or before, from the zip's directory), so a
small hostile file can never make the reader walk a huge grid or build a deep structure.
"""

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _


class LimitExceeded(Exception):
    """The file passes one of the limits below; the message names it."""


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def max_columns() -> int:
    return settings.IMPORT_MAX_COLUMNS


def max_cells() -> int:
    return settings.IMPORT_MAX_CELLS


def max_field_chars() -> int:
    return settings.IMPORT_MAX_FIELD_CHARS


MAX_JSON_NUMBER_DIGITS = 40  # far more than any value, score or code has
MAX_ZIP_MEMBERS = 2000


def check_row(number: int) -> None:
    """Refuse the file at the first row past the limit (the header row counts as row 1)."""
    if number > max_rows() + 1:
        raise LimitExceeded(
            _("ไฟล์มีข้อมูลเกิน %(limit)s แถว (พบแถวที่ %(row)s): แบ่งเป็นหลายไฟล์")
            % {"limit": f"{max_rows():,}", "row": f"{number:,}"}
        )


def check_column(number: int, row: int) -> None:
    if number > max_columns():
        raise LimitExceeded(
            _("ไฟล์มีข้อมูลเกิน %(limit)d คอลัมน์ (แถว %(row)s คอลัมน์ที่ %(column)s)")
            % {"limit": max_columns(), "row": f"{row:,}", "column": f"{number:,}"}
        )


class CellCounter:
    """Counts the cells walked; refuses the file once they pass the limit."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, cells: int) -> None:
        self.count += cells
        if self.count > max_cells():
            raise LimitExceeded(
                _("ไฟล์มีเซลล์เกิน %(limit)s เซลล์: ลบแถวหรือคอลัมน์ที่ไม่ใช้ หรือแบ่งเป็นหลายไฟล์")
                % {"limit": f"{max_cells():,}"}
            )


def check_field(value: object, row: int) -> None:
    if isinstance(value, str) and len(value) > max_field_chars():
        raise LimitExceeded(field_too_long_message(row))


def field_too_long_message(row: int | None) -> str:
    where = _(" (แถว %(row)s)") % {"row": f"{row:,}"} if row else ""
    return _("ข้อความในช่องหนึ่งยาวเกิน %(limit)s ตัวอักษร%(where)s") % {
        "limit": f"{max_field_chars():,}",
        "where": where,
    }


def check_zip(archive: zipfile.ZipFile) -> None:
    """Before any XML is parsed: the members' count and their size once unpacked."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise LimitExceeded(_("ไฟล์ Excel มีส่วนประกอบเกิน %(limit)d ส่วน") % {"limit": MAX_ZIP_MEMBERS})
    unpacked = sum(member.file_size for member in members)
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise LimitExceeded(
            _("ไฟล์ Excel เมื่อคลายออกมีขนาดเกิน %(limit)d MB (%(size)d MB)")
            % {"limit": limit // 1024 // 1024, "size": unpacked // 1024 // 1024}
        )


def check_json_number(text: str) -> str:
    if len(text) > MAX_JSON_NUMBER_DIGITS:
        raise LimitExceeded(
            _("ตัวเลขในไฟล์ JSON ยาวเกิน %(limit)d หลัก (“%(start)s…”)")
            % {"limit": MAX_JSON_NUMBER_DIGITS, "start": text[:12]}
        )
    return text


def json_too_deep_message() -> str:
    return _(
        'ไฟล์ JSON ซ้อนกันลึกเกินไป: รับเฉพาะรายการของแถว [{"หัวคอลัมน์": ค่า}, …] '
        "ที่ค่าเป็นข้อความหรือตัวเลข (ซ้อนได้ไม่เกิน 2 ชั้น)"
    )
