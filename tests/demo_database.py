"""The demo database copied once per run and put back for tests that empty it.

Tests that need committed rows (a live server, real threads) run in transactions of their own,
and pytest-django empties the database after each. Loading the demo again costs seconds;
copying its rows back with PostgreSQL's COPY costs a fraction of one.
"""

import io

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from indicators.demo_data import load_demo

Copy = dict[str, str]


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def take_copy() -> Copy:
    """Every table's rows in COPY's text format; empty on SQLite, which reloads instead."""
    if connection.vendor != "postgresql":
        return {}
    copy: Copy = {}
    with connection.cursor() as cursor:
        for table in _tables():
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
            copy[table] = buffer.getvalue()
    return copy


def put_back(copy: Copy) -> None:
    """Replace every row with the copy's and move the id sequences past them."""
    if not copy:
        load_demo()
        return
    names = [connection.ops.quote_name(table) for table in copy]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(names)}")
        for table, name in zip(copy, names, strict=True):
            if copy[table]:
                cursor.copy_expert(f"COPY {name} FROM STDIN", io.StringIO(copy[table]))
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
