"""Measurements with budgets: each benchmark module adds rows to one printed table.

Every row carries the machine's load average (1 minute) when it was recorded: the machine is
shared, and a figure means little without the load it was measured under.
"""

import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

# Cache off: nothing kept between requests (pages, fragments, figures), so each is rendered.
NO_CACHE = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    "PUBLIC_PAGE_CACHE_SECONDS": 0,
    "STAFF_PAGE_CACHE_SECONDS": 0,
}
SLOW_MS = 300  # a page whose first request took longer is timed fewer times
SLOW_RUNS = 10


@dataclass
class Row:
    name: str
    measured: str
    budget: str
    passed: bool | None  # None: informational, no budget
    load: float = field(default_factory=lambda: os.getloadavg()[0])


ROWS: list[Row] = []


def record(
    name: str,
    measured: str,
    budget: str = "",
    passed: bool | None = None,
    load: float | None = None,
) -> None:
    """One row; `load` is the load average when the figure was taken (default: now)."""
    row = Row(name, measured, budget, passed)
    if load is not None:
        row.load = load
    ROWS.append(row)
    shown = f"  {name}: {measured}" + (f"  (budget {budget})" if budget else "")
    print(f"{shown}  [load {row.load:.1f}]", flush=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


@contextlib.contextmanager
def cache_mode(cached: bool) -> Iterator[None]:
    """Production caches (served), or none at all (rendered)."""
    if cached:
        yield
        return
    with override_settings(**NO_CACHE):
        yield


def measure_page(
    client: Client,
    name: str,
    url: str,
    *,
    runs: int = 30,
    p95_budget_ms: float,
    cached: bool = False,
) -> None:
    """Server time p50/p95 of a page through Django's test client, and its query count."""
    with cache_mode(cached):
        started = time.perf_counter()
        response = client.get(url)  # the first request is timed too: no warm-up hides it
        first = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        # Count now: the capture reads the connection's log lazily, and the loop below empties it.
        query_count = len(captured)
        times = []
        for _ in range(runs if first < SLOW_MS else SLOW_RUNS):
            times.append(timed(lambda: client.get(url)) * 1000)
            reset_queries()
    how = "served" if cached else "rendered"
    record(
        f"{name}, {how} {url}",
        f"first {first:.0f} ms, p50 {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms, "
        f"{query_count} quer{'y' if query_count == 1 else 'ies'}",
        f"p95 < {p95_budget_ms:.0f} ms",
        p95(times) < p95_budget_ms,
    )


def table() -> str:
    lines = [
        "| measurement | result | budget | pass | load (1 min) |",
        "|---|---|---|---|---|",
    ]
    for row in ROWS:
        verdict = {True: "pass", False: "FAIL", None: ""}[row.passed]
        lines.append(f"| {row.name} | {row.measured} | {row.budget} | {verdict} | {row.load:.1f} |")
    return "\n".join(lines)
