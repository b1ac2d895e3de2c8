"""Imports and exports at city scale: 10,000 result rows in, 120,000 rows streamed out.

The import goes into a fiscal year of its own inside a transaction that is rolled back, so the
shared benchmark data set is the same afterwards.
"""

import resource
import tracemalloc
from decimal import Decimal

import tablib
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction

from benchmarks.harness import record, timed
from indicators.models import Agency, FiscalYear, Indicator, QuarterReport
from indicators.spreadsheets.exports import results_rows, stream_csv
from indicators.spreadsheets.imports import import_run

BENCH_YEAR = 2690
RESULT_ROWS = 10_000
QS = (1, 2, 3, 4)
EXPORT_ROWS = 120_000
IMPORT_BUDGET_S = 30
EXPORT_BUDGET_S = 20
HEADERS = [
    "ปีงบประมาณ",
    "รหัสตัวชี้วัด",
    "ไตรมาส",
    "ผลงาน",
    "รายงานผลการดำเนินงาน",
    "ผลประเมินตัวชี้วัด",
    "คะแนน 2.1",
    "คะแนน 2.2",
    "เหตุผลการแก้ไข",
]


class Rollback(Exception):
    """Leave the benchmark database as it was."""


def _indicators(count: int) -> list[str]:
    year = FiscalYear.objects.create(year=BENCH_YEAR)
    agencies = list(Agency.objects.all())
    indicators = []
    for n in range(count):
        agency = agencies[n % len(agencies)]
        number = 1 + n // len(agencies)
        indicators.append(
            Indicator(
                fiscal_year=year,
                agency=agency,
                number=number,
                code=Indicator.build_code(agency.prefix, number),
                name_th=f"ตัวชี้วัดทดสอบ {n}",
                unit="ร้อยละ",
                measure="percent",
                target=Decimal(80),
                kind="routine",
                result_level="output",
            )
        )
    Indicator.objects.bulk_create(indicators, batch_size=1000)
    # Scores go only on submitted reports (issue 13): the file fills in reports awaiting review.
    QuarterReport.objects.bulk_create(
        [QuarterReport.of(i, q, status="submitted") for i in indicators for q in QS],
        batch_size=1000,
    )
    return [i.code for i in indicators]


def _auditor() -> User:
    """Scores are imported by a named auditor or administrator."""
    return User.objects.create_superuser("bench-importer", password=None)


def _results_file(codes: list[str], fmt: str) -> ContentFile:
    rows = [
        [
            BENCH_YEAR,
            code,
            q,
            f"{q * 20}.5",
            f"ผลการดำเนินงานไตรมาส {q} ของ {code}",
            95,
            90,
            100,
            "ตามมติคณะกรรมการ",  # the scores differ from the suggested ones: a reason per row
        ]
        for code in codes
        for q in QS
    ]
    data = tablib.Dataset(*rows, headers=HEADERS).export(fmt)
    return ContentFile(data.encode("utf-8") if isinstance(data, str) else data, name=f"r.{fmt}")


def _import(file: ContentFile, *, dry_run: bool):
    file.seek(0)
    by = User.objects.get(username="bench-importer")
    outcome = import_run(file=file, by=by, dry_run=dry_run)
    assert outcome.ok, outcome.problems[:3]
    return outcome


def bench_import() -> None:
    try:
        with transaction.atomic():
            _auditor()
            codes = _indicators(RESULT_ROWS // 4)
            csv_file = _results_file(codes, "csv")
            dry = timed(lambda: _import(csv_file, dry_run=True))
            commit = timed(lambda: _import(csv_file, dry_run=False))
            assert QuarterReport.objects.filter(indicator__fiscal_year_id=BENCH_YEAR).count() == (
                RESULT_ROWS
            )
            again = timed(lambda: _import(csv_file, dry_run=False))
            xlsx = timed(lambda: _import(_results_file(codes, "xlsx"), dry_run=True))
            raise Rollback
    except Rollback:
        pass
    record(
        f"import {RESULT_ROWS:,} result rows (CSV): dry run, then commit",
        f"dry run {dry:.1f} s, commit {commit:.1f} s",
        f"each < {IMPORT_BUDGET_S} s",
        dry < IMPORT_BUDGET_S and commit < IMPORT_BUDGET_S,
    )
    record("re-import of the same file (all unchanged)", f"{again:.1f} s")
    record(f"dry run of the same {RESULT_ROWS:,} rows as XLSX", f"{xlsx:.1f} s")


def _drain(chunks) -> int:
    size = 0
    for chunk in chunks:
        size += len(chunk)
    return size


def bench_export() -> None:
    rows = QuarterReport.objects.count()
    headers = [*HEADERS[:2], "ชื่อตัวชี้วัด", *HEADERS[2:]]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = 0

    def run() -> None:
        nonlocal size
        size = _drain(stream_csv(headers, results_rows(None)))

    seconds = timed(run)
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    tracemalloc.start()
    _drain(stream_csv(headers, results_rows(None)))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    record(
        f"streamed CSV export of {rows:,} result rows ({size / 1e6:.0f} MB)",
        f"{seconds:.1f} s; peak RSS growth {rss_growth:.1f} MB, "
        f"traced Python peak {peak / 1e6:.1f} MB",
        f"< {EXPORT_BUDGET_S} s, flat memory",
        seconds < EXPORT_BUDGET_S and peak < 50e6,
    )


def run() -> None:
    bench_export()  # first: peak RSS only grows, so the import's peak would hide the export's
    bench_import()
