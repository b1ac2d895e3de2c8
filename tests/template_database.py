"""One migrated demo database per code version, cloned by every test worker.

Migrating and loading the demo costs each pytest-xdist worker about 14 s of a quiet machine. The
suite's controller builds the database once, in a subprocess with the suite's frozen clock, under a
name made of a hash of the code, data and installed packages it depends on; each worker's test
database is then made with PostgreSQL's `CREATE DATABASE … TEMPLATE` (Django's TEST TEMPLATE
setting), a file copy of a second. A later run of the same code finds the database already there;
any change to the code, the fixtures or a package makes a new name, so a stale copy is never used.

Run as a script it builds the database its first argument names (the controller calls it so).
"""

import contextlib
import datetime
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
# What the demo database is made from: the apps' code and migrations, reference data, the
# suite's settings and clock.
SOURCES = ["kpi_portal", "indicators", "reports", "fixtures", "pyproject.toml"]
TEST_SOURCES = ["conftest.py", "demo_database.py", "helpers.py", "settings.py", Path(__file__).name]
PREFIX = "kpi_test_template_"
LOCK = 4_710_2570  # a PostgreSQL advisory lock number: two suites never build at once


def _files() -> list[Path]:
    files = [ROOT / "tests" / name for name in TEST_SOURCES]
    for source in SOURCES:
        path = ROOT / source
        files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [path for path in files if path.suffix not in {".pyc", ".mo"}]


def template_name() -> str:
    digest = hashlib.sha256()
    for path in _files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    packages = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    return PREFIX + digest.hexdigest()[:16]


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def ensure_template(url: str) -> str | None:
    """The name of an up-to-date demo database on `url`'s server, built if missing; None where
    the suite runs on SQLite or the server refuses (each worker then loads the demo itself)."""
    if not url.startswith("postgres"):
        return None
    name = template_name()
    try:
        connection = psycopg2.connect(_server_url(url, "postgres"), connect_timeout=5)
    except psycopg2.OperationalError:
        return None  # the workers' own setup then says what is wrong with the server
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
            if not _exists(cursor, name):
                _build(cursor, url, name)
            _drop_others(cursor, name)
    finally:
        connection.close()
    return name


def _build(cursor, url: str, name: str) -> None:
    building = name + "_building"
    cursor.execute(f'DROP DATABASE IF EXISTS "{building}"')
    cursor.execute(f'CREATE DATABASE "{building}"')
    environment = {**os.environ, "DATABASE_URL": _server_url(url, building)}
    subprocess.run(
        [sys.executable, "-m", "tests.template_database"], cwd=ROOT, env=environment, check=True
    )
    cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{int(time.time())}'")


def _drop_others(cursor, keep: str) -> None:
    """Other versions' databases built over a day ago: a suite of other code (another branch's
    checkout) may still be cloning a newer one."""
    cursor.execute(
        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
        " WHERE datname LIKE %s AND datname <> %s",
        [PREFIX + "%", keep],
    )
    for name, built in cursor.fetchall():
        if (built or "").isdigit() and time.time() - int(built) > 24 * 3600:
            with contextlib.suppress(psycopg2.Error):  # in use right now: next time
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def build() -> None:
    """Migrate DATABASE_URL's database and load the demo, just before the suite's instant."""
    import django
    import time_machine

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from django.core.management import call_command

    from indicators.demo_data import load_demo
    from tests.helpers import SUITE_NOW

    # An hour before the suite's instant (the same day and quarter): what the tests write must
    # come after the demo's rows, as it did when each worker loaded the demo itself, or "the
    # latest history row" would be the demo's.
    with time_machine.travel(SUITE_NOW - datetime.timedelta(hours=1), tick=True):
        call_command("migrate", verbosity=0, interactive=False)
        load_demo()


if __name__ == "__main__":
    build()
