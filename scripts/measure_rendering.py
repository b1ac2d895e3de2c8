"""CPU ms, wall ms and queries of the staff and public pages as rendered (no cache), on the
benchmark database: the before/after measure of issue 14's cheaper rendering.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_bench \
        .venv/bin/python scripts/measure_rendering.py [RUNS]

Every request starts with an empty cache, so each page is measured as a writer's first reader
after a change sees it. CPU is this process's (Django and the template), not PostgreSQL's.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kpi_bench")
os.environ["DATABASE_URL"] = URL
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"


def _user(username: str, group: str, agency=None):
    from django.contrib.auth.models import Group, User

    from indicators.models import AgencyMembership

    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    if agency is not None:
        AgencyMembership.objects.get_or_create(user=user, agency=agency)
    return user


def _measure(client, url: str, runs: int) -> str:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    cpu, wall = [], []
    for _ in range(runs):
        cache.clear()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    wall.sort()
    p95 = wall[max(0, int(len(wall) * 0.95) - 1)]
    return (
        f"cpu median {statistics.median(cpu):6.1f} ms | wall p50 {statistics.median(wall):6.1f}"
        f" p95 {p95:6.1f} ms | {queries:2d} queries"
    )


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from indicators.access import AUDITOR, MANAGER, REPORTER, STAFF_SCOPE
    from indicators.models import Agency, FiscalYear, Indicator
    from reports.dashboard import figures as dashboard

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    indicator = (
        Indicator.objects.filter(fiscal_year__is_published=True)
        .select_related("agency")
        .order_by("-fiscal_year_id", "agency__prefix", "number")
        .first()
    )
    year, prefix = indicator.fiscal_year_id, indicator.agency.prefix
    big = (
        Agency.objects.filter(indicators__fiscal_year_id=year)
        .annotate(n=django.db.models.Count("indicators"))
        .order_by("-n")
        .first()
    )
    agency = indicator.agency
    personas = {
        "public": None,
        "manager": _user("measure-manager", MANAGER),
        "auditor": _user("measure-auditor", AUDITOR),
        "reporter": _user("measure-reporter", REPORTER, agency),
    }
    pages = [
        ("detail", f"/indicators/{year}/{indicator.code}/"),
        ("list", f"/indicators/?year={year}"),
        ("status filter", f"/indicators/?year={year}&status=off_track&sort=name"),
        ("agency", f"/agencies/{prefix}/{year}/"),
        (f"agency {big.prefix} ({big.n})", f"/agencies/{big.prefix}/{year}/"),
        ("strategy", f"/strategy/{year}/"),
    ]
    print(
        f"{Indicator.objects.count()} indicators, {URL.rsplit('/', 1)[1]}, {runs} runs", flush=True
    )
    print(f"load average {os.getloadavg()}")
    for persona, user in personas.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="th")
        if user is not None:
            client.force_login(user)
        for name, url in pages:
            print(f"{persona:8s} {name:22s} {_measure(client, url, runs)}", flush=True)
    fiscal_year = FiscalYear.objects.get(year=year)
    quarter = dashboard.default_quarter(fiscal_year, scope=STAFF_SCOPE)
    times = []
    for _ in range(max(3, runs // 2)):
        started = time.perf_counter()
        dashboard.build(fiscal_year, quarter, scope=STAFF_SCOPE)
        times.append((time.perf_counter() - started) * 1000)
    print(f"dashboard.build {year} Q{quarter}: median {statistics.median(times):.0f} ms")
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(personas["manager"])
    print(f"manager  dashboard page        {_measure(client, f'/dashboard/{year}/', runs)}")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
