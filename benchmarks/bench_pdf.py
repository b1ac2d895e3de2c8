"""Printable documents on city-scale data: one indicator sheet, one 86-indicator agency book."""

import os
import statistics
import time

from django.contrib.auth.models import User
from django.db.models import Count
from django.test import Client

from benchmarks import budgets
from benchmarks.harness import cache_mode, record, timed
from indicators.models import Agency, Indicator
from reports.book_pdf import agency_book_pdf

SHEET_RUNS = 11
SHEET_BUDGET_S = budgets.SHEET_MEDIAN_S
BOOK_SIZE = 86  # an agency-year of the generated data (6,000 indicators a year, 70 agencies)
BOOK_BUDGET_S = budgets.BOOK_S


def _reader() -> Client:
    user, _ = User.objects.get_or_create(username="bench-pdf", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)
    return client


def _sheet() -> None:
    indicator = (
        Indicator.objects.filter(reports__narrative__gt="")
        .order_by("-fiscal_year_id", "pk")
        .first()
    )
    url = f"/indicators/{indicator.fiscal_year_id}/{indicator.code}/sheet.pdf"
    client = _reader()
    for cached in (False, True):
        with cache_mode(cached):
            # The first is timed apart: fonts and stylesheets are parsed once per process.
            started = time.perf_counter()
            response = client.get(url)
            first = time.perf_counter() - started
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            times = [timed(lambda: client.get(url)) for _ in range(SHEET_RUNS)]
        median = statistics.median(times)
        record(
            f"indicator sheet, {'served' if cached else 'rendered'} {url}",
            f"first {first * 1000:.0f} ms, median {median * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms of {SHEET_RUNS}, {len(response.content) // 1024} KB",
            f"median < {SHEET_BUDGET_S * 1000:.0f} ms",
            median < SHEET_BUDGET_S,
        )


def _book_agency() -> tuple[Agency, int, int]:
    """The agency-year whose indicator count is nearest to BOOK_SIZE."""
    rows = Indicator.objects.values("agency", "fiscal_year").annotate(n=Count("id"))
    row = min(rows, key=lambda r: (abs(r["n"] - BOOK_SIZE), -r["fiscal_year"]))
    return Agency.objects.get(pk=row["agency"]), row["fiscal_year"], row["n"]


def _book() -> None:
    agency, year, count = _book_agency()
    sizes: list[int] = []
    cpu, child_cpu = time.process_time(), _children_cpu()
    seconds = timed(lambda: sizes.append(len(agency_book_pdf(agency, year))))
    # The machine is shared: CPU seconds say what the book costs, here and in the process that
    # lays out half of the sheets (reports/parallel.py).
    cpu = time.process_time() - cpu
    child_cpu = _children_cpu() - child_cpu
    record(
        f"agency book /reports/{year}/agencies/{agency.prefix}.pdf ({count} indicators)",
        f"{seconds:.1f} s ({seconds / count:.2f} s per indicator), {cpu:.1f} CPU s "
        f"+ {child_cpu:.1f} CPU s in a second process, {sizes[0] // 1024} KB",
        f"< {BOOK_BUDGET_S:.0f} s",
        seconds < BOOK_BUDGET_S,
    )


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def run() -> None:
    _sheet()
    _book()
