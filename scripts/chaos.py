"""`make chaos`: saves and submissions under load while PostgreSQL restarts and freezes and the
worker is killed mid-book; then checks that nothing acknowledged was lost or half-written.

Everything runs on a PostgreSQL cluster of its own (initdb in a temporary directory, port
CHAOS_DB_PORT, default 55433), never on the shared server; the cluster, gunicorn and the
workers are stopped and the directory removed at the end. Prints one table.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DB_PORT = int(os.environ.get("CHAOS_DB_PORT", "55433"))
WEB_PORT = int(os.environ.get("CHAOS_WEB_PORT", "18765"))  # below 32768: see PLATFORM.md
BASE = f"http://127.0.0.1:{WEB_PORT}"
PHASE_SECONDS = float(os.environ.get("CHAOS_PHASE_SECONDS", "8"))
SAVE_THREADS = 3
PG_BIN = Path("/usr/local/bin")


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


class Cluster:
    """A throwaway PostgreSQL cluster owned by the postgres user, in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.data = root / "pgdata"
        self.socket_dir = root

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {DB_PORT} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        run(
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.socket_dir / "pg.log"),
            "-w",
            *args,
        )

    def create(self) -> None:
        run(
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.pg_ctl("start")
        run("createdb", "-h", "127.0.0.1", "-p", str(DB_PORT), "-U", "postgres", "kpi_chaos")

    def pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = run_check("pgrep", "-P", str(postmaster)).stdout.split()
        return [postmaster, *map(int, children)]

    def signal_all(self, signum: int) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)


def run_check(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


@dataclass
class Tally:
    sent: int = 0
    acknowledged: list[tuple[int, int]] = field(default_factory=list)
    refused: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Browser:
    """A signed-in session over plain urllib: cookies and the CSRF token."""

    def __init__(self, username: str) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )
        page = self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": username, "password": "demo"}, page)

    def get(self, path: str, timeout: float = 15) -> str:
        with self.opener.open(BASE + path, timeout=timeout) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, page: str, timeout: float = 15) -> int:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(BASE + path, body, headers={"Referer": BASE + path})  # noqa: S310
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def saver(browser: Browser, path: str, report_id: int, marker: str, tally: Tally, stop) -> None:
    """Save drafts one after another; a 302 is an acknowledged save."""
    number = 0
    while not stop.is_set():
        number += 1
        try:
            page = browser.get(path)
            version = re.search(r'name="version" value="(\d+)"', page).group(1)
            data = {"value": str(number), "narrative": f"{marker} {number}", "version": version}
            status = browser.post(path, data | {"action": "save"}, page)
        except (OSError, AttributeError):
            status = 0
        with tally.lock:
            tally.sent += 1
            if status == 302:
                tally.acknowledged.append((report_id, number))
            elif status in (200, 400, 409):
                tally.refused += 1
            else:
                tally.failed += 1
        time.sleep(0.05)


def healthz_seconds() -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(BASE + "/healthz", timeout=10) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


def wait_for(condition, timeout: float, step: float = 0.5) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # noqa: S110 (the database may be away; keep asking)
            pass
        time.sleep(step)
    return None


def environment(root: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{DB_PORT}/kpi_chaos",
        "SECRET_KEY": "chaos-only-secret-key",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "KPI_VAR_DIR": str(root / "var"),
        "MEDIA_ROOT": str(root / "media"),
        "DB_CONNECT_TIMEOUT": "3",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "kpi_portal.settings",
        "LOG_LEVEL": "WARNING",
    }


def start(env: dict, root: Path, name: str, *command: str) -> subprocess.Popen:
    log = (root / f"{name}.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def worker(env: dict, root: Path, name: str) -> subprocess.Popen:
    return start(env, root, name, PYTHON, "manage.py", "db_worker", "--interval", "0.5")


def prepare(env: dict) -> None:
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        run(PYTHON, "manage.py", *command, "-v", "0", cwd=ROOT, env=env)


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def editable_reports(count: int):
    from django.utils import timezone

    from indicators.models import QuarterReport, ReportStatus, fiscal_year_of, quarter_of

    today = timezone.localdate()
    reports = QuarterReport.objects.filter(
        indicator__agency__prefix="5030",
        indicator__fiscal_year_id=fiscal_year_of(today),
        quarter=quarter_of(today),
        status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
    ).select_related("indicator")
    return list(reports.order_by("pk")[:count])


def edit_path(report) -> str:
    indicator = report.indicator
    return f"/indicators/{indicator.fiscal_year_id}/{indicator.code}/q{report.quarter}/edit/"


def submitter(browser: Browser, reports, tally: Tally, stop) -> None:
    """Submit each report once, spread over the run."""
    for report in reports:
        if stop.wait(PHASE_SECONDS / 2):
            return
        try:
            page = browser.get(edit_path(report))
            version = re.search(r'name="version" value="(\d+)"', page).group(1)
            data = {"value": "7", "narrative": f"chaos submit {report.pk}", "version": version}
            status = browser.post(edit_path(report), data | {"action": "submit"}, page)
        except (OSError, AttributeError):
            status = 0
        with tally.lock:
            tally.sent += 1
            if status == 302:
                tally.acknowledged.append((report.pk, 7))
            else:
                tally.failed += 1


def book_under_fire(env: dict, root: Path) -> tuple[str, str, bool]:
    """Kill the worker while it builds the largest book; a new worker must finish it."""
    from django.db.models import Count
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from indicators.models import Agency, Indicator
    from reports.books import book_fingerprint
    from reports.models import AgencyBook, BookStatus
    from reports.tasks import build_agency_book

    largest = (
        Indicator.objects.values("agency", "fiscal_year").annotate(n=Count("id")).order_by("-n")
    )[0]
    agency = Agency.objects.get(pk=largest["agency"])
    book, _ = AgencyBook.objects.update_or_create(
        agency=agency,
        fiscal_year_id=largest["fiscal_year"],
        language="th",
        defaults={
            "status": BookStatus.PENDING,
            "fingerprint": book_fingerprint(agency, largest["fiscal_year"]),
            "total": largest["n"],
            "done": 0,
            "requested_at": timezone.now(),
        },
    )
    first = worker(env, root, "worker-1")
    result = build_agency_book.enqueue(book.pk)
    wait_for(lambda: AgencyBook.objects.get(pk=book.pk).done >= 1, 120, 0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = AgencyBook.objects.get(pk=book.pk)
    task_status = DBTaskResult.objects.get(pk=result.id).status
    second = worker(env, root, "worker-2")
    try:
        ready = wait_for(
            lambda: AgencyBook.objects.get(pk=book.pk).status == BookStatus.READY, 180, 1
        )
    finally:
        second.terminate()
        second.wait()
    task = DBTaskResult.objects.get(pk=result.id)
    label = f"worker killed mid-book ({killed.done} of {killed.total} sheets, task {task_status})"
    outcome = (
        f"book ready {ready:.0f} s after the kill; task {task.status} after "
        f"{len(task.worker_ids)} workers"
        if ready is not None
        else f"book still {AgencyBook.objects.get(pk=book.pk).status} after 180 s"
    )
    return label, outcome, ready is not None


def check_saves(tally: Tally, submits: Tally) -> list[tuple[str, str, bool]]:
    """Every acknowledged save is in the history; no row holds half of one."""
    from indicators.models import QuarterReport, ReportStatus

    history = QuarterReport.history.model
    lost = [
        (pk, n)
        for pk, n in tally.acknowledged
        if not history.objects.filter(id=pk, narrative=f"chaos {pk} {n}", value=n).exists()
    ]
    ids = {pk for pk, _ in tally.acknowledged} | {pk for pk, _ in submits.acknowledged}
    half = []
    for report in QuarterReport.objects.filter(pk__in=ids):
        latest = report.history.order_by("-history_id").first()
        number = report.narrative.rsplit(" ", 1)[-1]
        same = (latest.version, latest.narrative, latest.value) == (
            report.version,
            report.narrative,
            report.value,
        )
        pair = report.narrative.startswith("chaos submit") or str(int(report.value)) == number
        if not (same and pair):
            half.append(report.pk)
    unsubmitted = [
        pk
        for pk, _ in submits.acknowledged
        if QuarterReport.objects.get(pk=pk).status != ReportStatus.SUBMITTED
    ]
    return [
        (
            "acknowledged saves found in the database",
            f"{len(tally.acknowledged) - len(lost)} of {len(tally.acknowledged)}",
            not lost,
        ),
        (
            "acknowledged submissions in the database",
            f"{len(submits.acknowledged) - len(unsubmitted)} of {len(submits.acknowledged)}",
            not unsubmitted,
        ),
        ("reports half-written (row differs from its last history)", str(len(half)), not half),
    ]


def print_table(rows: list[tuple[str, str, bool | None]]) -> None:
    width = max(len(label) for label, _, _ in rows)
    print(f"\n{'check'.ljust(width)}  {'ok':4}  result")
    for label, result, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{label.ljust(width)}  {mark:4}  {result}")


def acknowledged_after(tally: Tally, count: int, timeout: float = 60) -> float | None:
    return wait_for(lambda: len(tally.acknowledged) > count, timeout, 0.2)


def restart_and_freeze(cluster: Cluster, tally: Tally) -> list:
    """Steady load, a restart, a freeze and a thaw, each PHASE_SECONDS; what the app did."""
    rows: list[tuple[str, str, bool | None]] = []
    time.sleep(PHASE_SECONDS)
    rows.append(("steady load: saves acknowledged", str(len(tally.acknowledged)), None))

    started = time.monotonic()
    cluster.pg_ctl("restart", "-m", "fast")
    count = len(tally.acknowledged)
    back = acknowledged_after(tally, count)
    rows.append(
        (
            "PostgreSQL restarted under load",
            f"restart {time.monotonic() - started:.1f} s; next acknowledged save "
            + (f"{back:.1f} s later" if back is not None else "never (60 s)"),
            back is not None,
        )
    )

    cluster.signal_all(signal.SIGSTOP)
    status, seconds = healthz_seconds()
    rows.append(
        (
            "/healthz while PostgreSQL is frozen",
            f"{status} in {seconds:.1f} s",
            status == 503 and seconds < 3,
        )
    )
    time.sleep(PHASE_SECONDS)
    cluster.signal_all(signal.SIGCONT)
    count = len(tally.acknowledged)
    back = acknowledged_after(tally, count)
    healthy = wait_for(lambda: healthz_seconds()[0] == 200, 60)
    rows.append(
        (
            f"PostgreSQL frozen {PHASE_SECONDS:.0f} s, then thawed",
            "next acknowledged save "
            + (f"{back:.1f} s after the thaw" if back is not None else "never (60 s)")
            + (
                f"; /healthz 200 after {healthy:.1f} s"
                if healthy is not None
                else "; /healthz not 200"
            ),
            back is not None and healthy is not None,
        )
    )
    time.sleep(PHASE_SECONDS)
    return rows


def under_load(cluster: Cluster, tally: Tally, submits: Tally) -> list:
    """Steady load, a restart, a freeze; what the app did through each."""
    rows: list[tuple[str, str, bool | None]] = []
    stop = threading.Event()
    reports = editable_reports(SAVE_THREADS + 3)
    threads = [
        threading.Thread(
            target=saver,
            args=(Browser("reporter5030"), edit_path(r), r.pk, f"chaos {r.pk}", tally, stop),
            daemon=True,  # a failed run must not leave clients hammering the port
        )
        for r in reports[:SAVE_THREADS]
    ]
    submit_to = reports[SAVE_THREADS:]
    threads.append(
        threading.Thread(
            target=submitter,
            args=(Browser("reporter5030"), submit_to, submits, stop),
            daemon=True,
        )
    )
    for thread in threads:
        thread.start()
    try:
        rows += restart_and_freeze(cluster, tally)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    rows.append(
        (
            "saves sent / acknowledged / refused / failed",
            f"{tally.sent} / {len(tally.acknowledged)} / {tally.refused} / {tally.failed}",
            None,
        )
    )
    return rows


def main() -> int:
    if os.geteuid() != 0:
        print("make chaos: run as root (initdb runs as the postgres user through runuser)")
        return 2
    root = Path(tempfile.mkdtemp(prefix="kpi-chaos-"))
    root.chmod(0o777)
    cluster = Cluster(root)
    web = None
    try:
        print(f"cluster on port {DB_PORT} in {root}; portal on {BASE}")
        cluster.create()
        env = environment(root)
        prepare(env)
        setup_django(env)
        web = start(
            env,
            root,
            "web",
            PYTHON,
            "-m",
            "gunicorn",
            "kpi_portal.wsgi",
            "--bind",
            f"127.0.0.1:{WEB_PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "30",
        )
        if wait_for(lambda: healthz_seconds()[0] == 200, 60) is None:
            print((root / "web.log").read_text()[-3000:])
            return 1
        tally, submits = Tally(), Tally()
        rows = under_load(cluster, tally, submits)
        from django.db import connection

        connection.close()  # the script's own session did not live through the restart
        rows.append(book_under_fire(env, root))
        rows += check_saves(tally, submits)
        print_table(rows)
        return 0 if all(ok is not False for _, _, ok in rows) else 1
    finally:
        stop_everything(web, cluster, root)


def stop_everything(web: subprocess.Popen | None, cluster: Cluster, root: Path) -> None:
    """Stop what this run started, whatever state it was left in."""
    if web is not None:
        web.terminate()
        web.wait()
    with contextlib.suppress(OSError, ValueError, IndexError):
        cluster.signal_all(signal.SIGCONT)  # never leave it frozen
    pg_ctl = str(PG_BIN / "pg_ctl")
    run_check(
        "runuser",
        "-u",
        "postgres",
        "--",
        pg_ctl,
        "-D",
        str(cluster.data),
        "stop",
        "-m",
        "immediate",
    )
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
