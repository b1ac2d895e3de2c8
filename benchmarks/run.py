"""`make bench`: city-scale data on PostgreSQL, then every benchmark module, as one table.

`make bench` runs at 30,000 indicators in database kpi_bench, `make bench SCALE=100000` at
100,000 in kpi_bench_100k (BENCH_SCALE); each is created and generated when missing and reused
afterwards. Set BENCH_DATABASE_URL to use another database. The HTTP part needs wrk; its length
is BENCH_SECONDS (30) a mix, BENCH_CONNECTIONS (50) clients, BENCH_SAVES_PER_SECOND (1) saves.
Name modules to run only those (`python benchmarks/run.py bench_pages`, or `bench_detail`: the
detail page of each reader alone); only a full run
rewrites benchmarks/results/latest.md (latest-100000.md at SCALE=100000).
"""

import importlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Order matters: data first, then pages, documents, fresh workers, imports and exports, load.
MODULES = [
    "bench_data",
    "bench_pages",
    "bench_staff_pages",
    "bench_dashboard",
    "bench_pdf",
    "bench_first",
    "bench_imports",
    "bench_load",
]
# Named only, never in the full run: a part of a module above, alone (bench_detail: the detail
# page of each reader).
SINGLE_MODULES = ["bench_detail"]


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def describe_machine() -> str:
    """Cores, processor, memory, Python and PostgreSQL: what a reader needs to weigh the numbers."""
    from django.db import connection

    from benchmarks.server import WORKERS

    def first(path: str, key: str) -> str:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            return "unknown"
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), "")

    memory_kb = first("/proc/meminfo", "MemTotal").split()[0] or "0"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({first('/proc/cpuinfo', 'model name')}), "
        f"{int(memory_kb) / 1024**2:.0f} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {postgres} on the same machine; "
        f"HTTP load: gunicorn with {WORKERS} sync workers and wrk on the same cores"
    )


def default_url() -> str:
    """kpi_bench at 30,000 indicators, kpi_bench_100k at `make bench SCALE=100000`."""
    scale = int(os.environ.get("BENCH_SCALE", "30000"))
    name = "kpi_bench" if scale == 30_000 else f"kpi_bench_{scale // 1000}k"
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def describe_load() -> str:
    """The load average around the run: the machine is shared, and the numbers show it."""
    from benchmarks.harness import ROWS

    loads = [row.load for row in ROWS] or [os.getloadavg()[0]]
    return (
        f"1-minute load average {min(loads):.1f}–{max(loads):.1f} during the run on "
        f"{os.cpu_count()} cores (each row's is in its last column); `uptime` at the end: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}."
    )


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL") or default_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.harness import ROWS, table

    call_command("migrate", verbosity=0)
    chosen = sys.argv[1:] or MODULES
    unknown = set(chosen) - set(MODULES) - set(SINGLE_MODULES)
    if unknown:
        print(f"Unknown benchmark modules: {', '.join(sorted(unknown))}; choose from {MODULES}")
        return 2
    for name in chosen:
        print(f"{name}:", flush=True)
        importlib.import_module(f"benchmarks.{name}").run()
    from benchmarks.budgets import GOALS

    report = (
        f"# Benchmark results\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, database "
        f"{url.split('@')[-1]}, `make bench SCALE={os.environ.get('BENCH_SCALE', '30000')}`\n\n"
        f"Machine: {describe_machine()}.\n\nLoad: {describe_load()}\n\n"
        f"Goals (issue 14):\n\n{GOALS}\n\nMeasured:\n\n{table()}\n"
    )
    if chosen == MODULES:
        scale = os.environ.get("BENCH_SCALE", "30000")
        out = (
            ROOT
            / "benchmarks"
            / "results"
            / ("latest.md" if scale == "30000" else f"latest-{scale}.md")
        )
        out.write_text(report, encoding="utf-8")
    print("\n" + report)
    failed = [row.name for row in ROWS if row.passed is False]
    if failed:
        print(f"Over budget: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
