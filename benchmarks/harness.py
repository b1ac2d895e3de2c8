"""Measurements with budgets: each benchmark module adds rows to one printed table."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Row:
    name: str
    measured: str
    budget: str
    passed: bool | None  # None: informational, no budget


ROWS: list[Row] = []


def record(name: str, measured: str, budget: str = "", passed: bool | None = None) -> None:
    ROWS.append(Row(name, measured, budget, passed))
    print(f"  {name}: {measured}" + (f"  (budget {budget})" if budget else ""), flush=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure_page(
    client: Client, name: str, url: str, *, runs: int = 30, p95_budget_ms: float
) -> None:
    """Server time p50/p95 of a page through Django's test client, and its query count."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Count now: the capture reads the connection's log lazily, and the loop below empties it.
    query_count = len(captured)
    times = []
    for _ in range(runs):
        times.append(timed(lambda: client.get(url)) * 1000)
        reset_queries()
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    record(
        f"{name} {url}",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, {query_count} quer{'y' if query_count == 1 else 'ies'}",
        f"p95 < {p95_budget_ms:.0f} ms",
        p95 < p95_budget_ms,
    )


def table() -> str:
    lines = ["| measurement | result | budget | pass |", "|---|---|---|---|"]
    for row in ROWS:
        verdict = {True: "pass", False: "FAIL", None: ""}[row.passed]
        lines.append(f"| {row.name} | {row.measured} | {row.budget} | {verdict} |")
    return "\n".join(lines)
