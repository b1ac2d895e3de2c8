"""The pages a signed-in manager reads, rendered and then served from the kept fragments.

Rendered: no cache at all (harness.cache_mode). Kept: the page's title and content
as kept for the manager's role scope (indicators/fragments.py); the header is rendered each
time, and the session and user come from the cache (indicators/sessions.py).
"""

from django.contrib.auth.models import Group, User
from django.test import Client

from benchmarks import budgets
from benchmarks.harness import measure_page
from indicators import access
from indicators.models import Indicator


def _manager_client() -> Client:
    user, _ = User.objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get_or_create(name=access.MANAGER)[0])
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(user)
    return client


def run() -> None:
    indicator = (
        Indicator.objects.select_related("agency")
        .order_by("-fiscal_year_id", "agency__prefix", "number")
        .first()
    )
    assert indicator is not None, "run bench_data first"
    year, prefix = indicator.fiscal_year_id, indicator.agency.prefix
    client = _manager_client()
    pages = [
        ("detail", f"/indicators/{year}/{indicator.code}/", budgets.DETAIL_MS),
        ("list, year", f"/indicators/?year={year}", budgets.PAGE_MS),
        ("agency", f"/agencies/{prefix}/{year}/", budgets.PAGE_MS),
        ("strategy", f"/strategy/{year}/", budgets.PAGE_MS),
        ("dashboard", f"/dashboard/{year}/", budgets.page_ms("dashboard")),
    ]
    for name, url, budget in pages:
        measure_page(client, f"manager: {name}, rendered", url, p95_budget_ms=budget)
        kept = f"manager: {name}, kept fragment"
        measure_page(client, kept, url, p95_budget_ms=budget, cached=True)
