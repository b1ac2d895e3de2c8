"""Backup and restore with pg_dump / pg_restore keeps every indicator, report, score and history row.

Follows the procedure in docs/operations.md. PostgreSQL only: CI runs the suite on PostgreSQL.
"""

import subprocess

import psycopg2
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

TABLES = [
    "indicators_indicator",
    "indicators_quarterreport",
    "indicators_assessment",
    "indicators_historicalindicator",
    "indicators_historicalquarterreport",
    "indicators_historicalassessment",
    "indicators_agency",
    "indicators_strategynode",
    "auth_user",
]


def counts(cursor) -> dict[str, int]:
    result = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (fixed table names)
        result[table] = cursor.fetchone()[0]
    return result


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL (CI runs on it)"
)
def test_dump_and_restore_keeps_every_row(tmp_path):
    db = connection.settings_dict
    source = db["NAME"]
    target = f"{source}_restore"
    host = ["-h", db["HOST"] or "127.0.0.1", "-U", db["USER"] or "postgres"]
    dump = tmp_path / "kpi.dump"
    subprocess.run(["pg_dump", *host, "-Fc", "-f", str(dump), source], check=True)  # noqa: S603, S607
    admin = psycopg2.connect(host=host[1], user=host[3], dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(  # noqa: S603
            ["pg_restore", *host, "--no-owner", "-d", target, str(dump)],  # noqa: S607
            check=True,
        )
        restored = psycopg2.connect(host=host[1], user=host[3], dbname=target)
        with restored.cursor() as cursor:
            restored_counts = counts(cursor)
            cursor.execute(
                "SELECT value, narrative FROM indicators_quarterreport r "
                "JOIN indicators_indicator i ON i.id = r.indicator_id "
                "WHERE i.code = '0100-814' AND i.fiscal_year_id = 2564 ORDER BY quarter"
            )
            seed_rows = cursor.fetchall()
        restored.close()
        with connection.cursor() as cursor:
            assert restored_counts == counts(cursor)
        assert restored_counts["indicators_indicator"] > 100
        assert restored_counts["indicators_historicalindicator"] > 0
        assert [float(value) for value, _ in seed_rows] == [15, 20, 20, 3]
        assert seed_rows[2][1].startswith("ชลอการดำเนินการ")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.close()
