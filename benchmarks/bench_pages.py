"""The pages everyone reads, on city-scale data: detail, list, agency and strategy tree.

Each is timed as rendered (benchmarks.settings turns the public page cache off), and the detail
page once more as the cache serves it.
"""

from django.test import Client, override_settings

from benchmarks.harness import measure_page
from indicators.models import Indicator

DETAIL_BUDGET_MS = 50
PAGE_BUDGET_MS = 150


def run() -> None:
    indicator = (
        Indicator.objects.filter(fiscal_year__is_published=True)
        .select_related("agency")
        .order_by("-fiscal_year_id", "agency__prefix", "number")
        .first()
    )
    year, prefix = indicator.fiscal_year_id, indicator.agency.prefix
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    measure_page(
        client,
        "detail",
        f"/indicators/{year}/{indicator.code}/",
        p95_budget_ms=DETAIL_BUDGET_MS,
    )
    # What the next anonymous reader of the same page gets (the HTTP load test's case).
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=600):
        measure_page(
            client,
            "detail, kept for anonymous readers",
            f"/indicators/{year}/{indicator.code}/",
            p95_budget_ms=DETAIL_BUDGET_MS,
        )
    pages = [
        ("list", "/indicators/"),
        ("list, year", f"/indicators/?year={year}"),
        ("list, status filter", f"/indicators/?year={year}&status=off_track&sort=name"),
        ("list, search", "/indicators/?q=%E0%B8%A3%E0%B9%89%E0%B8%AD%E0%B8%A2%E0%B8%A5%E0%B8%B0"),
        ("agency", f"/agencies/{prefix}/{year}/"),
        ("strategy", f"/strategy/{year}/"),
        ("home", "/"),
    ]
    for name, url in pages:
        measure_page(client, name, url, p95_budget_ms=PAGE_BUDGET_MS)
