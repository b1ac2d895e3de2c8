"""The indicator detail page alone, for each reader, rendered (cache off) and served: the rows of
bench_pages for "detail", quick to repeat when working on that page (not part of `make bench`).

`python benchmarks/run.py bench_detail`
"""

from benchmarks import budgets, personas
from benchmarks.bench_pages import _client
from benchmarks.harness import measure_page


def run() -> None:
    years = personas.Years.of_data()
    readers = [
        ("public", None, dict(personas.public_pages(years))["detail"]),
        (
            "reporter",
            personas.reporter(),
            dict(personas.reporter_pages(years))["detail, own indicator"],
        ),
        ("auditor", personas.auditor(), dict(personas.auditor_pages(years))["detail, in review"]),
        ("manager", personas.manager(), dict(personas.manager_pages(years))["detail"]),
    ]
    for reader, user, url in readers:
        client = _client(user)
        for cached in (False, True):
            measure_page(
                client, f"{reader}: detail", url, p95_budget_ms=budgets.DETAIL_MS, cached=cached
            )
