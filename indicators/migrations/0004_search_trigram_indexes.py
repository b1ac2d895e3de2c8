"""Trigram indexes for the indicator list's search, on PostgreSQL only.

The search filters on `UPPER(column) LIKE UPPER('%text%')` (what `icontains` writes) and on
pg_trgm's word similarity to `name_th`; GIN trigram indexes on exactly those expressions serve
both, and ANALYZE keeps statistics of the UPPER() expressions, so the planner no longer guesses
9 rows for a word that 12,000 names contain. SQLite, the demo's database, scans and needs none.
"""

from django.db import migrations

TABLE = "indicators_indicator"
INDEXES = {
    "indicator_name_th_upper_trgm": "UPPER(name_th) gin_trgm_ops",
    "indicator_name_en_upper_trgm": "UPPER(name_en) gin_trgm_ops",
    "indicator_code_upper_trgm": "UPPER(code::text) gin_trgm_ops",
    "indicator_name_th_trgm": "name_th gin_trgm_ops",
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin ({expression})"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_imports_batch"),
    ]

    operations = [migrations.RunPython(create, drop)]
