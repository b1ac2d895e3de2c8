"""Writing a resource's rows as CSV (codes quoted as text) and JSON (numbers as numbers)."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from indicators.spreadsheets.cells import neutral_cell
from indicators.spreadsheets.exports import BOM

ROWS_PER_CHUNK = 500


def plain_decimal(value: Decimal) -> str:
    """Exact digits, no exponent and no trailing zeros: 25.00 → 25, 1.580 → 1.58."""
    return format(value.normalize(), "f")


def _csv_cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _Unquoted(plain_decimal(value))
    return neutral_cell(value)


class _Unquoted(float):
    """A number that csv.QUOTE_STRINGS leaves unquoted, written with the Decimal's exact digits."""

    text: str

    def __new__(cls, text: str) -> "_Unquoted":
        number = super().__new__(cls, text)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def stream_csv(names: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """UTF-8 CSV (with a BOM, for Excel) where every text cell is quoted, so codes stay text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_STRINGS, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(names)
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(value) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_value(value):
    # Columns hold at most 15 significant digits (max_digits=15), which a double keeps
    # exactly: json writes the shortest text that reads back as the same number (1.58, not noise).
    if isinstance(value, Decimal):
        return float(value)
    return value


def stream_json(names: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """A JSON array of records; numbers are JSON numbers with the database's exact digits."""
    parts = ["["]
    for count, row in enumerate(rows):
        record = {name: _json_value(value) for name, value in zip(names, row, strict=True)}
        parts.append(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
        if len(parts) >= ROWS_PER_CHUNK:
            yield "".join(parts)
            parts = []
    parts.append("\n]\n")
    yield "".join(parts)
