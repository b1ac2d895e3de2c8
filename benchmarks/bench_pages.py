"""Every page each reader uses, on city-scale data: rendered (cache off) and served (cache on).

The public reads the last full year; a reporter, an auditor and a manager, signed in, work on
the year in progress (benchmarks.personas). Budgets: issue 14's goals (benchmarks.budgets).
"""

from django.contrib.auth.models import User
from django.test import Client

from benchmarks import budgets, personas
from benchmarks.harness import measure_page


def _client(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    if user is not None:
        client.force_login(user)
    return client


def _measure(reader: str, client: Client, pages: list[tuple[str, str]]) -> None:
    for cached in (False, True):
        for name, url in pages:
            budget = budgets.page_ms(name)
            measure_page(client, f"{reader}: {name}", url, p95_budget_ms=budget, cached=cached)


def run() -> None:
    years = personas.Years.of_data()
    _measure("public", _client(None), personas.public_pages(years))
    _measure("reporter", _client(personas.reporter()), personas.reporter_pages(years))
    _measure("auditor", _client(personas.auditor()), personas.auditor_pages(years))
    _measure("manager", _client(personas.manager()), personas.manager_pages(years))
