"""The managers' dashboard on the city-scale data: server time of the page, as a manager."""

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client

from benchmarks.harness import measure_page, record, timed
from indicators.access import MANAGER, STAFF_SCOPE
from indicators.models import FiscalYear, Indicator
from reports.dashboard import figures as dashboard


def _manager() -> User:
    user, _ = User.objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get_or_create(name=MANAGER)[0])
    return user


def run() -> None:
    year = Indicator.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)[0]
    fiscal_year = FiscalYear.objects.get(year=year)
    quarter = dashboard.default_quarter(fiscal_year, scope=STAFF_SCOPE)
    count = Indicator.objects.in_year(year).count()
    cold = timed(lambda: dashboard.build(fiscal_year, quarter, scope=STAFF_SCOPE)) * 1000
    record(f"dashboard figures uncached, {year} Q{quarter} ({count} indicators)", f"{cold:.0f} ms")
    client = Client()
    client.force_login(_manager())
    cache.clear()
    measure_page(client, "dashboard", f"/dashboard/{year}/?quarter={quarter}", p95_budget_ms=200)
