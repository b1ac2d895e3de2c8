"""gunicorn with production settings on loopback, for the HTTP benchmarks.

`Server` starts it and knows when each worker has loaded the application (a gunicorn hook
touches a file), so a first request can be timed against a worker that is ready but has served
nothing yet. Ports stay below 32768, clear of the ephemeral range a load run fills.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "18080"))
BASE = f"http://127.0.0.1:{PORT}"
WORKERS = os.cpu_count() or 2  # gunicorn sync workers: one a core
HOOK = """
from pathlib import Path

def post_worker_init(worker):
    Path({ready!r}, str(worker.pid)).touch()
"""


def server_env(var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "kpi_portal.settings",
        # The bench's own key, so that the sessions it signs in are valid for the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "KPI_VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
    }


class Server:
    """`with Server(workers=1) as server:` … the server runs; it is stopped on leaving."""

    _static_dir: str | None = None  # collected once per bench run

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self.ready = Path(tempfile.mkdtemp(prefix="kpi-ready-"))
        self.process: subprocess.Popen | None = None

    @classmethod
    def static_dir(cls) -> str:
        if cls._static_dir is None:
            cls._static_dir = tempfile.mkdtemp(prefix="kpi-load-")
            collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
            subprocess.run(collect, cwd=ROOT, env=server_env(cls._static_dir), check=True)
        return cls._static_dir

    def __enter__(self) -> "Server":
        config = self.ready / "gunicorn.conf.py"
        config.write_text(HOOK.format(ready=str(self.ready / "workers")))
        (self.ready / "workers").mkdir()
        command = [sys.executable, "-m", "gunicorn", "kpi_portal.wsgi", "-c", str(config)]
        command += ["-b", f"127.0.0.1:{PORT}", "-w", str(self.workers), "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_env(self.static_dir()))
        self.wait_until_ready()
        return self

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(list((self.ready / "workers").iterdir())) < self.workers:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def session_cookie(user) -> str:
    """A signed-in session for `user`, made up front with the configured session engine."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def first_byte(path: str, cookie: str = "") -> tuple[float, int]:
    """Seconds to the response's first byte (status line and headers), and the status."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Cookie": cookie, "Accept-Language": "th"} if cookie else {"Accept-Language": "th"}
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    seconds = time.perf_counter() - started
    response.read()
    connection.close()
    return seconds, response.status
