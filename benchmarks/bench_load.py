"""HTTP load: gunicorn with production settings on loopback, wrk from a second process.

50 concurrent clients for 60 s on a mix of detail, list and dashboard pages, then the same load
on /healthz (one SELECT 1) as the ceiling, then on detail pages as a signed-in manager (who gets
no cached page). Bounded in time; loopback only. Ports stay below
32768, clear of the ephemeral range that a load run fills with closing sockets.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from benchmarks.harness import record
from indicators.access import MANAGER
from indicators.models import Indicator

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "18080"))
BASE = f"http://127.0.0.1:{PORT}"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
DURATION = int(os.environ.get("BENCH_SECONDS", "60"))
WORKERS = os.cpu_count() or 2  # gunicorn sync workers: one a core
LUA = """
%s
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("KPI p95_ms=%%.1f p50_ms=%%.1f errors=%%d requests=%%d\\n",
    latency:percentile(95) / 1000, latency:percentile(50) / 1000, errors, summary.requests))
end
"""


def mix_paths() -> list[str]:
    year = Indicator.objects.order_by("-fiscal_year_id").values_list("fiscal_year", flat=True)[0]
    codes = Indicator.objects.filter(fiscal_year=year).values_list("code", flat=True)[:200:10]
    paths = [f"/indicators/{year}/{code}/" for code in codes]
    paths += [f"/indicators/?year={year}", f"/indicators/?year={year}&page=2"]
    paths += [f"/dashboard/{year}/"] * 2
    return paths


def server_env(static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "kpi_portal.settings",
        # The bench's own key, so that the session it signs in below is valid for the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "KPI_VAR_DIR": static_root,
        "LOG_LEVEL": "WARNING",
    }


def wait_until_up() -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)  # noqa: S310  (loopback)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def signed_in_session() -> str:
    """A manager's session key, stored in the bench database the server reads."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = User.objects.get_or_create(username="bench-manager", defaults={"is_active": True})
    user.groups.add(Group.objects.get_or_create(name=MANAGER)[0])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def run_wrk(paths: list[str], session_key: str = "") -> dict[str, float]:
    headers = (
        f'wrk.headers["Cookie"] = "{settings.SESSION_COOKIE_NAME}={session_key}"'
        if session_key
        else ""
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (headers, ", ".join(f'"{p}"' for p in paths)))
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "10s"]
    output = subprocess.run(
        [*command, "-s", script.name, BASE], capture_output=True, text=True, check=True
    ).stdout
    numbers = dict(re.findall(r"(\w+)=([\d.]+)", output.split("KPI", 1)[1]))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return {"rps": rps, **{k: float(v) for k, v in numbers.items()}}


def run() -> None:
    if not shutil.which("wrk"):
        record("HTTP load", "skipped: wrk not installed (apt-get install wrk)")
        return
    paths = mix_paths()
    var_dir = tempfile.mkdtemp(prefix="kpi-load-")
    env = server_env(var_dir)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kpi_portal.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up()
        pages = run_wrk(paths)
        detail_paths = [p for p in paths if p.count("/") == 4]
        detail = run_wrk(detail_paths)
        ceiling = run_wrk(["/healthz"])
        signed_in = run_wrk(detail_paths, signed_in_session())
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratio = detail["rps"] / ceiling["rps"]
    record(
        f"HTTP mix (detail, list, dashboard), {CONNECTIONS} clients, {DURATION} s",
        f"{pages['rps']:.0f} req/s, p95 {pages['p95_ms']:.0f} ms, {pages['errors']:.0f} errors "
        f"of {pages['requests']:.0f}",
        "0 errors",
        pages["errors"] == 0,
    )
    record(
        "HTTP ceiling /healthz, same load",
        f"{ceiling['rps']:.0f} req/s, p95 {ceiling['p95_ms']:.0f} ms, {ceiling['errors']:.0f} errors",
    )
    record(
        "HTTP detail pages only, same load",
        f"{detail['rps']:.0f} req/s, p95 {detail['p95_ms']:.0f} ms, {detail['errors']:.0f} errors",
        "0 errors",
        detail["errors"] == 0,
    )
    record("detail / ceiling throughput", f"{ratio:.2f}", "≥ 0.50", ratio >= 0.5)
    # Staff are signed in: their pages are rendered for them each time (no page cache).
    record(
        "HTTP detail pages, signed-in manager, same load",
        f"{signed_in['rps']:.0f} req/s, p95 {signed_in['p95_ms']:.0f} ms, "
        f"{signed_in['errors']:.0f} errors",
        "0 errors",
        signed_in["errors"] == 0,
    )
