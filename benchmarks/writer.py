"""Reporters saving results while the HTTP load runs: the service an entry form calls.

A thread saves drafts of the reporters' agencies (value and narrative, through
`workflow.services.report_save`, as the entry form does) at BENCH_SAVES_PER_SECOND (1), so every
save raises the data version and the caches see the writes of quarter's end.
"""

import os
import statistics
import threading
import time
from decimal import Decimal

from django.db import close_old_connections, connection

from benchmarks import personas
from benchmarks.harness import p95
from indicators.models import QuarterReport, ReportStatus
from indicators.workflow.services import report_save

# Quarter's end: 6,000 reports saved about three times each over the last working days is
# some 0.2 saves a second on average; 1 a second is the busy hour.
SAVES_PER_SECOND = float(os.environ.get("BENCH_SAVES_PER_SECOND", "1"))


class Writer:
    def __init__(self, year: int, prefixes: tuple[str, ...]) -> None:
        self.drafts: list[tuple[int, object]] = []
        for prefix in prefixes:
            user = personas.reporter(prefix)
            reports = personas.open_reports(year, ReportStatus.DRAFT, prefix)[:20]
            self.drafts += [(report.pk, user) for report in reports]
        self.stop = threading.Event()
        self.times: list[float] = []
        self.failures: list[str] = []
        self.thread = threading.Thread(target=self._run, name="bench-writer", daemon=True)

    def __enter__(self) -> "Writer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)

    def save(self, n: int) -> None:
        """The n-th save of the run, here and now (benchmarks count what one save renews)."""
        self._save(n)

    def _save(self, n: int) -> None:
        pk, user = self.drafts[n % len(self.drafts)]
        report = QuarterReport.objects.select_related("indicator__fiscal_year").get(pk=pk)
        started = time.perf_counter()
        report_save(
            report=report,
            by=user,
            value=Decimal(n % 97),
            narrative=f"บันทึกระหว่างการทดสอบภาระ ครั้งที่ {n}",
            version=report.version,
        )
        self.times.append(time.perf_counter() - started)

    def _run(self) -> None:
        n = 0
        try:
            while not self.stop.wait(1 / SAVES_PER_SECOND):
                try:
                    self._save(n)
                except Exception as error:  # counted and shown, never hidden
                    self.failures.append(f"{type(error).__name__}: {error}")
                n += 1
        finally:
            close_old_connections()
            connection.close()

    def summary(self) -> str:
        if not self.times:
            return f"none saved; {len(self.failures)} failed {self.failures[:1]}"
        ms = [t * 1000 for t in self.times]
        return (
            f"{len(ms)} saves ({SAVES_PER_SECOND:g}/s), median {statistics.median(ms):.0f} ms, "
            f"p95 {p95(ms):.0f} ms, {len(self.failures)} failed {self.failures[:1] or ''}"
        )
