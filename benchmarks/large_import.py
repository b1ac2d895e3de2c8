"""A 100,000-row result file through the background import: preview, confirm, revert, timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_large_import .venv/bin/python benchmarks/large_import.py

Uses a database of its own (created, migrated and filled with 25,000 indicators in fiscal year
2690 on first run), production settings (statement timeout included) and the job runner the
worker calls; prints one line per step.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = 100_000


def main() -> None:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kpi_large_import")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    from benchmarks.run import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import tablib
    from django.core.files.base import ContentFile

    from benchmarks.bench_imports import BENCH_YEAR, HEADERS, _indicators
    from indicators.models import FiscalYear, ImportBatch, ImportJob, ImportJobAction, Indicator
    from indicators.spreadsheets import jobs

    if not FiscalYear.objects.filter(year=BENCH_YEAR).exists():
        call_command("load_demo", verbosity=0)
        _indicators(ROWS // 4)
    codes = list(Indicator.objects.filter(fiscal_year_id=BENCH_YEAR).values_list("code", flat=True))
    rows = [
        [BENCH_YEAR, code, q, f"{q * 20}.5", f"ไตรมาส {q} ครั้งที่ {int(time.time())}"]
        for code in codes[: ROWS // 4]
        for q in (1, 2, 3, 4)
    ]
    data = tablib.Dataset(*rows, headers=HEADERS[:5]).export("csv").encode()
    upload = ContentFile(data, name="results-100k.csv")
    print(f"file: {len(rows):,} rows, {upload.size / 1e6:.1f} MB")
    admin = django.contrib.auth.models.User.objects.get(username="admin")
    job = jobs.preview_later(file=upload, by=admin, rows=ROWS)  # queued; run here as the worker
    for action in (ImportJobAction.PREVIEW, ImportJobAction.CONFIRM, ImportJobAction.REVERT):
        if action != ImportJobAction.PREVIEW:
            batch = ImportBatch.objects.get(pk=job.batch_id)
            job = ImportJob.objects.create(batch=batch, action=action, created_by=admin, total=ROWS)
        started = time.perf_counter()
        jobs.job_run(job.pk)
        job.refresh_from_db()
        seconds = time.perf_counter() - started
        counts = {k: job.outcome.get(k) for k in ("created", "updated", "unchanged")}
        problems = job.outcome.get("problems", [])[:2]
        print(f"{action}: {job.status} in {seconds:.1f} s {counts} {problems}")
        print(f"  {job.outcome.get('message', '')}")


if __name__ == "__main__":
    main()
