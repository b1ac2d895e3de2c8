"""First request of a fresh worker: a new gunicorn process, ready, that has served nothing.

Time to first byte of a public page, a reporter's page and an indicator sheet PDF, each against
a worker of its own: what the first reader after a deploy or a worker restart waits.
"""

from django.urls import reverse

from benchmarks import budgets, personas
from benchmarks.harness import record
from benchmarks.server import Server, first_byte, session_cookie
from indicators.models import Indicator


def _first(name: str, path: str, cookie: str = "") -> None:
    with Server(workers=1):
        seconds, status = first_byte(path, cookie)
        again, _ = first_byte(path, cookie)
    budget = budgets.FIRST_REQUEST_S
    record(
        f"first request of a fresh worker: {name} {path}",
        f"{seconds * 1000:.0f} ms to first byte (HTTP {status}); second {again * 1000:.0f} ms",
        f"< {budget * 1000:.0f} ms" if budget else "",
        None if budget is None else (seconds < budget and status == 200),
    )


def run() -> None:
    years = personas.Years.of_data()
    pages = dict(personas.public_pages(years))
    _first("public detail", pages["detail"])
    mine = dict(personas.reporter_pages(years))["my work"]
    _first("reporter's work", mine, session_cookie(personas.reporter()))
    indicator = Indicator.objects.filter(fiscal_year=years.closed).order_by("code").first()
    sheet = reverse("reports:indicator-sheet", args=[years.closed, indicator.code])
    _first("indicator sheet PDF", sheet)
