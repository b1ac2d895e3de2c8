"""Many rows into one table at once: COPY on PostgreSQL, bulk_create elsewhere.

For generated data whose primary keys nobody reads back (history rows, links, comments). COPY
writes the values as given, `auto_now_add` fields included, and sends no signals: the caller
raises the data version itself (`indicators.cache.raise_after_commit`).
"""

import datetime
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import cast

from django.db import connection
from django.db.models import Field, Model

NULL = "\\N"
SPECIAL = re.compile(r"[\\\t\n\r]")
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return NULL
    if type(value) is str:  # the common case first: most texts need no escaping
        return value.translate(ESCAPES) if SPECIAL.search(value) else value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).translate(ESCAPES)


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (values in the order of `columns`, attribute names) into `model`'s table."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=1000
        )
        return len(rows)
    fields = [cast("Field", model._meta.get_field(name)) for name in columns]
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(copy_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
    return len(rows)
