"""HTTP load: gunicorn with production settings on loopback, wrk from a second process.

50 clients for BENCH_SECONDS (30) on each mix in turn: `/healthz` (one SELECT 1) as the ceiling,
the public's pages, the staff's (reporters on their work list, entry forms and detail pages,
auditors on the review queue and review forms, managers on the dashboard and detail pages, each
signed in with a session made up front), then each role's alone. Throughout, reporters save
results (benchmarks.writer), so caches are emptied as at quarter's end. Each mix is reported as
a ratio to `/healthz`; errors are non-2xx/3xx answers, timeouts and broken connections. Every
address is requested once before the timed runs (bench_first times first requests).
"""

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import budgets, personas
from benchmarks.harness import record
from benchmarks.server import BASE, Server, first_byte, session_cookie
from benchmarks.writer import Writer
from indicators import fragments
from indicators.models import Indicator, ReportStatus

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
DURATION = int(os.environ.get("BENCH_SECONDS", "30"))
REPORTER_AGENCIES = ("5030", "5001", "5011", "0100", "2200", "0800")
LUA = """
local requests = {%s}
local i = 0
request = function()
  i = i %% #requests + 1
  return wrk.format("GET", requests[i][1], {["Cookie"] = requests[i][2]})
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("KPI p95_ms=%%.1f p50_ms=%%.1f errors=%%d requests=%%d\\n",
    latency:percentile(95) / 1000, latency:percentile(50) / 1000, errors, summary.requests))
end
"""
Mix = list[tuple[str, str]]  # (path, cookie)


def public_mix(years: personas.Years) -> Mix:
    codes = Indicator.objects.filter(fiscal_year=years.closed).values_list("code", flat=True)
    paths = [f"/indicators/{years.closed}/{code}/" for code in codes.order_by("code")[:400:20]]
    pages = dict(personas.public_pages(years))
    paths += [pages[name] for name in ("list, year", "list, status filter", "agency", "strategy")]
    paths += [pages["home"], f"/dashboard/{years.closed}/"]
    return [(path, "") for path in paths]


def reporter_mix(years: personas.Years) -> Mix:
    mix: Mix = []
    for prefix in REPORTER_AGENCIES:
        cookie = session_cookie(personas.reporter(prefix))
        drafts = personas.open_reports(years.current, ReportStatus.DRAFT, prefix)[:3]
        mix.append(("/my/", cookie))
        for report in drafts:
            mix.append((personas.report_url("indicators:report-edit", report), cookie))
            mix.append((personas.detail(report.indicator), cookie))
    return mix


def auditor_mix(years: personas.Years) -> Mix:
    mix: Mix = []
    sent = list(personas.open_reports(years.current, ReportStatus.SUBMITTED)[:400:40])
    for n in (1, 2, 3):
        cookie = session_cookie(personas.auditor(n))
        mix.append(("/review/", cookie))
        for report in sent[n - 1 :: 3]:
            mix.append((personas.report_url("indicators:report-review", report), cookie))
    return mix


def manager_mix(years: personas.Years) -> Mix:
    mix: Mix = []
    codes = Indicator.objects.filter(fiscal_year=years.current).values_list("code", flat=True)
    for n in (1, 2):
        cookie = session_cookie(personas.manager(n))
        mix += [(f"/dashboard/{years.current}/", cookie), (f"/dashboard/{years.closed}/", cookie)]
        mix += [
            (f"/indicators/{years.current}/{code}/", cookie)
            for code in codes.order_by("code")[n * 7 : 700 : 100]
        ]
    return mix


def warm_up(mix: Mix) -> None:
    """Each address once before the timed runs, its answer checked (a signed-out staff cookie
    would time the login page). First requests are timed apart, in bench_first."""
    statuses = Counter(first_byte(path, cookie)[1] for path, cookie in dict.fromkeys(mix))
    record(
        f"HTTP warm-up: every address of the mixes once ({len(mix)})", f"answers {dict(statuses)}"
    )
    if set(statuses) != {200}:
        raise RuntimeError(f"the mixes must answer 200, not {dict(statuses)}")


RENEWAL_SAVES = 12


def renewed_per_save(mix: Mix, writer: Writer) -> tuple[float, float, int]:
    """How many of the mix's pages one save makes render again, and how many cost more than
    the one query of a kept page (mean over RENEWAL_SAVES saves, in this process with its own
    cache). It counts work, not time, so it does not depend on the machine's load."""
    clients: dict[str, Client] = {}
    for _path, cookie in mix:
        if cookie not in clients:
            clients[cookie] = Client()
            if cookie:
                clients[cookie].cookies.load(cookie)
    for path, cookie in mix:
        clients[cookie].get(path)  # every page kept once
    rendered = queried = 0
    with mock.patch.object(fragments, "_render_parts", wraps=fragments._render_parts) as render:
        for n in range(RENEWAL_SAVES):
            writer.save(n)
            for path, cookie in mix:
                before = render.call_count
                with CaptureQueriesContext(connection) as queries:
                    clients[cookie].get(path)
                rendered += render.call_count > before
                queried += len(queries) > 1
    return rendered / RENEWAL_SAVES, queried / RENEWAL_SAVES, len(mix)


def run_wrk(mix: Mix) -> dict[str, float]:
    entries = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in mix)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % entries)
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "10s"]
    output = subprocess.run(
        [*command, "-s", script.name, BASE], capture_output=True, text=True, check=True
    ).stdout
    numbers = dict(re.findall(r"(\w+)=([\d.]+)", output.split("KPI", 1)[1]))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    load = os.getloadavg()[0]  # at the end of the run: the minute it ran in
    return {"rps": rps, "load": load, **{k: float(v) for k, v in numbers.items()}}


def _record_mix(name: str, result: dict, ceiling: float, ratio: float | None, p95: float | None):
    share = result["rps"] / ceiling
    checks = [result["errors"] == 0]
    budget = ["0 errors"]
    if ratio is not None:
        checks.append(share >= ratio)
        budget.insert(0, f"≥ {ratio} of /healthz")
    if p95 is not None:
        checks.append(result["p95_ms"] < p95)
        budget.insert(1, f"p95 < {p95:.0f} ms")
    record(
        f"HTTP {name}, {CONNECTIONS} clients, {DURATION} s, saves running",
        f"{result['rps']:.0f} req/s = {share:.2f} of /healthz, p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, {result['errors']:.0f} errors of "
        f"{result['requests']:.0f}",
        ", ".join(budget),
        all(checks),
        load=result["load"],
    )


def run() -> None:
    if not shutil.which("wrk"):
        record("HTTP load", "skipped: wrk not installed (apt-get install wrk)")
        return
    years = personas.Years.of_data()
    roles = {
        "reporters": reporter_mix(years),
        "auditors": auditor_mix(years),
        "managers": manager_mix(years),
    }
    staff = [entry for mix in roles.values() for entry in mix]
    public_entries = public_mix(years)
    rendered, queried, pages = renewed_per_save(staff, Writer(years.current, REPORTER_AGENCIES))
    record(
        f"staff mix: pages rendered again after each save (in-process, mean of {RENEWAL_SAVES})",
        f"{rendered:.1f} of {pages} rendered, {queried:.1f} with more than one query",
    )
    with Server(), Writer(years.current, REPORTER_AGENCIES) as writer:
        warm_up(public_entries + staff)
        ceiling = run_wrk([("/healthz", "")])
        public = run_wrk(public_entries)
        staff_result = run_wrk(staff)
        alone = {name: run_wrk(mix) for name, mix in roles.items()}
    record(
        f"HTTP ceiling /healthz, {CONNECTIONS} clients, {DURATION} s, saves running",
        f"{ceiling['rps']:.0f} req/s, p95 {ceiling['p95_ms']:.0f} ms, {ceiling['errors']:.0f} errors",
        load=ceiling["load"],
    )
    _record_mix("public mix", public, ceiling["rps"], budgets.PUBLIC_RATIO, None)
    _record_mix(
        "staff mix", staff_result, ceiling["rps"], budgets.STAFF_RATIO, budgets.STAFF_P95_MS
    )
    for name, result in alone.items():
        _record_mix(f"{name} alone", result, ceiling["rps"], None, None)
    record("saves during the HTTP runs (report_save, as reporters)", writer.summary())
