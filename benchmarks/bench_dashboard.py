"""The dashboard's figures computed with no cache: the year in progress and the last full one."""

import statistics

from benchmarks import budgets
from benchmarks.harness import record, timed
from benchmarks.personas import Years
from indicators.access import STAFF_SCOPE
from indicators.models import FiscalYear, Indicator
from reports.dashboard import figures as dashboard

RUNS = 5


def _figures(year: int) -> None:
    fiscal_year = FiscalYear.objects.get(year=year)
    quarter = dashboard.default_quarter(fiscal_year, scope=STAFF_SCOPE)
    count = Indicator.objects.in_year(year).count()
    times = [timed(lambda: dashboard.build(fiscal_year, quarter, scope=STAFF_SCOPE)) * 1000]
    times += [
        timed(lambda: dashboard.build(fiscal_year, quarter, scope=STAFF_SCOPE)) * 1000
        for _ in range(RUNS - 1 if times[0] < 2000 else 1)
    ]
    record(
        f"dashboard figures uncached, {year} Q{quarter} ({count:,} indicators)",
        f"first {times[0]:.0f} ms, median {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms of {len(times)}",
        f"< {budgets.DASHBOARD_FIGURES_MS} ms",
        max(times) < budgets.DASHBOARD_FIGURES_MS,
    )


def run() -> None:
    years = Years.of_data()
    _figures(years.current)
    _figures(years.closed)
