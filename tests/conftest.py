"""Shared fixtures: the demo data set loaded once per run, and the demo personas.

Personas follow the demo logins: reporter5030 owns Bang Kho Laem's indicators, reporter0100 the
council secretariat's (an "other agency" for 5030), auditor, manager and admin.
"""

import os

# Playwright runs an event loop in the test thread; ORM calls from tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils import timezone, translation
from whitenoise.storage import CompressedManifestStaticFilesStorage

from indicators.demo_data import load_demo
from indicators.models import Indicator, QuarterReport, fiscal_year_of, quarter_of
from kpi_portal.views import close_probe_connection
from tests.demo_database import Copy, put_back, take_copy
from tests.helpers import SUITE_NOW
from tests.template_database import ensure_template

CHROMIUM = "/usr/bin/chromium"
CLOCK = pytest.StashKey[time_machine.travel]()
DEMO_COPY = pytest.StashKey[Copy]()


def pytest_configure(config: pytest.Config) -> None:
    """Freeze the calendar for the whole run, before the demo data loads: the same demo, the
    same open quarter, whatever day the suite runs. The clock ticks, so timestamps still move;
    a test that needs another day travels with the `time_machine` fixture. The controller first
    makes sure the demo database the workers copy exists (tests/template_database.py)."""
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        template = ensure_template(os.environ.get("DATABASE_URL", ""))
        if template:
            os.environ["KPI_TEST_TEMPLATE"] = template
            connections["default"].settings_dict["TEST"]["TEMPLATE"] = template
    config.stash[CLOCK] = time_machine.travel(SUITE_NOW, tick=True)
    config.stash[CLOCK].start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if CLOCK in config.stash:
        config.stash[CLOCK].stop()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run tests that flush the database (transactional, live server) after all the others.

    pytest-django orders them last, but a later plugin's reordering can pull a browser test
    back among the tests that rely on the session's demo data.
    """

    def flushes(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", [])
        return bool(marker and marker.kwargs.get("transaction")) or "live_server" in fixtures

    items.sort(key=flushes)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The reference data, the two seed indicators, the demo set and users: copied from the
    template database where there is one, else loaded once per worker."""
    with django_db_blocker.unblock():
        if not User.objects.filter(username="reporter5030").exists():
            load_demo()
        request.config.stash[DEMO_COPY] = take_copy()


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    """The production storage (hashed names, manifest, strict) without its gzip/brotli pass:
    compressing 370 files costs 25 s of CPU and proves nothing about this project's files."""

    def compress_files(self, paths):
        return iter(())


@pytest.fixture(scope="session")
def hashed_static_root(tmp_path_factory) -> Path:
    """Static files collected once per worker as `make demo` and production collect them."""
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "tests.conftest.HashedStaticFiles"}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture(scope="session", autouse=True)
def healthz_probe_closed(django_db_setup):
    """/healthz keeps its own database connection in its checker thread: closed before the
    session's test database is dropped (set up after it, so torn down first)."""
    yield
    close_probe_connection()


@pytest.fixture
def hashed_static(settings, hashed_static_root) -> Path:
    """Pages and PDFs served from the collected files, by their hashed names."""
    settings.STATIC_ROOT = hashed_static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "tests.conftest.HashedStaticFiles"},
    }
    return hashed_static_root


@pytest.fixture
def demo_database(transactional_db, request) -> None:
    """The session's demo rows, committed, for a test that runs its own transactions (a live
    server, threads): pytest-django empties the database after each such test."""
    put_back(request.config.stash[DEMO_COPY])


@pytest.fixture
def reporter5030(db) -> User:
    return User.objects.get(username="reporter5030")


@pytest.fixture
def reporter0100(db) -> User:
    return User.objects.get(username="reporter0100")


@pytest.fixture
def auditor(db) -> User:
    return User.objects.get(username="auditor")


@pytest.fixture
def manager(db) -> User:
    return User.objects.get(username="manager")


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.get(username="admin")


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def indicator(db, today) -> Indicator:
    """5030-2001 of the current year: a percent indicator, cumulative, Q1 target 25."""
    return Indicator.objects.get(fiscal_year_id=fiscal_year_of(today), code="5030-2001")


@pytest.fixture
def report(indicator, today) -> QuarterReport:
    """The demo's empty draft of the current quarter, open for reporting."""
    return QuarterReport.objects.get(indicator=indicator, quarter=quarter_of(today))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def thai_first():
    """Each test starts in the site's language: a request in English leaves English active in
    the thread (the locale middleware activates, nothing deactivates), and a later test of the
    same worker would read English messages where it expects Thai."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages or figures: a test's writes are rolled back, but
    the data version they raised (when a test runs its commit callbacks) may be reached again."""
    cache.clear()


@pytest.fixture
def public_page_cache(settings):
    """The cache of pages rendered for anonymous readers, as production runs it."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit: the test's own transaction never commits.

    Every edit of a test goes through it: one left outside is one transaction with the others.
    """

    def run(edit) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            edit()

    return run


@pytest.fixture
def staff_page_cache(settings):
    """The page fragments kept for signed-in readers of one role scope, as production runs it."""
    settings.STAFF_PAGE_CACHE_SECONDS = 600
