"""Cheap guard tests for the whole project: health, migrations, admin pages, settings."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from indicators.models import Indicator
from kpi_portal import views

pytestmark = pytest.mark.django_db
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backends and sessions are PostgreSQL's (CI runs on it)",
)


@pytest.fixture
def probe():
    """/healthz with no kept connection before and after: each test sees its own probes."""
    views.close_probe_connection()
    yield
    views.close_probe_connection()


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The connections /healthz opens, one entry each."""
    calls: list[str] = []
    create = connections.create_connection

    def counted(alias):
        calls.append(alias)
        return create(alias)

    monkeypatch.setattr(connections, "create_connection", counted)
    return calls


def probe_backend_pid() -> int:
    """The PostgreSQL backend of the kept connection, asked on the checker thread that owns it."""

    def pid() -> int:
        return views._probe["wrapper"].connection.info.backend_pid

    return views._health_checker.submit(pid).result(timeout=5)


def session_open(pid: int) -> bool:
    """Whether the backend `pid` still has a session on the test database. By its pid, not by
    counting sessions: another test's closed connection may still be leaving meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else one snapshot per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid = %s",
            [pid],
        )
        return cursor.fetchone()[0] == 1


def test_healthz_answers_when_the_database_answers(client, probe):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_keeps_its_connection_between_probes(client, probe, opened):
    """One connection for many probes: a backend forked per probe capped /healthz at ~200/s."""
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert opened == ["default"]


@needs_postgresql
def test_healthz_replaces_a_connection_the_server_closed(client, probe, opened):
    """After a database restart the kept connection is dead: the same probe opens a new one and
    answers 200, rather than a false 503 to the load balancer."""
    assert client.get("/healthz").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [probe_backend_pid()])
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert opened == ["default", "default"]


def test_healthz_reports_a_broken_database(client, probe, monkeypatch):
    from django.db import DatabaseError

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(
        type(connections["default"]), "cursor", broken_cursor
    )  # every thread's connection
    response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_opens_a_new_connection_after_an_error(client, probe, opened, monkeypatch):
    from django.db import DatabaseError

    assert client.get("/healthz").status_code == 200
    wrapper_class = type(connections["default"])
    healthy_cursor = wrapper_class.cursor

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(wrapper_class, "cursor", broken_cursor)
    assert client.get("/healthz").status_code == 503  # the kept one and a new one both fail
    monkeypatch.setattr(wrapper_class, "cursor", healthy_cursor)
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert opened == ["default"] * 3


def test_healthz_drops_a_connection_that_timed_out(client, probe, opened, monkeypatch, settings):
    """A probe that answered too late: its connection is not trusted with the next probe."""
    assert client.get("/healthz").status_code == 200
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.2
    release = threading.Event()
    select_one = views._select_one

    def slow(wrapper):
        release.wait(5)
        return select_one(wrapper)

    monkeypatch.setattr(views, "_select_one", slow)
    assert client.get("/healthz").status_code == 503
    release.set()
    monkeypatch.setattr(views, "_select_one", select_one)
    assert client.get("/healthz").status_code == 200
    assert opened == ["default", "default"]


@needs_postgresql
def test_healthz_connection_closes_before_the_database_is_dropped(client, probe):
    """The kept connection would stop the test database from being dropped at the end of a run:
    close_probe_connection (a session fixture calls it) leaves no session behind."""
    assert client.get("/healthz").status_code == 200
    pid = probe_backend_pid()
    assert session_open(pid)
    views.close_probe_connection()
    deadline = time.monotonic() + 5  # a closed session leaves pg_stat_activity shortly after
    while session_open(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not session_open(pid)


def test_healthz_answers_503_in_time_when_the_database_hangs(client, probe, monkeypatch, settings):
    """A server that accepts connections and never answers, as a frozen PostgreSQL does."""
    silent = socket.create_server(("127.0.0.1", 0))
    frozen = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": silent.getsockname()[1]}
    frozen["OPTIONS"] = {**frozen.get("OPTIONS", {}), "connect_timeout": 2}
    wrapper_class = type(connections["default"])
    monkeypatch.setattr(
        connections, "create_connection", lambda alias: wrapper_class(frozen, alias)
    )
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    first = client.get("/healthz")
    second = client.get("/healthz")  # the first probe is still stuck: answered in time too
    elapsed = time.monotonic() - started
    assert (first.status_code, second.status_code) == (503, 503)
    assert elapsed < 1.5
    time.sleep(2.5)  # let the stuck probe give up before the next test's check
    silent.close()
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200


def test_postgresql_connections_carry_timeouts():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert options["connect_timeout"] == settings.DB_CONNECT_TIMEOUT
        assert f"statement_timeout={settings.DB_STATEMENT_TIMEOUT_MS}" in options["options"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "30s"


def test_postgresql_connections_do_without_jit():
    """The roll-up statements would spend longer compiling than running (settings.py)."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


def test_no_model_changes_without_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_home_page_renders_in_thai(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "th"
    assert "ตัวชี้วัดกรุงเทพมหานคร" in response.content.decode()


def admin_urls() -> list[str]:
    """Every changelist, and every add page the admin offers (axes logs, task results: read-only)."""
    superuser = SimpleNamespace(is_active=True, is_staff=True, is_superuser=True)
    request = SimpleNamespace(user=SimpleNamespace(**vars(superuser), has_perm=lambda perm: True))
    urls = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
    return urls


@pytest.mark.parametrize("url", admin_urls())
def test_every_admin_list_and_add_page_renders(client, admin_user, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "model_name",
    ["indicator", "quarterreport", "assessment", "agency", "fiscalyear", "strategynode"],
)
def test_admin_change_and_history_pages_render(client, admin_user, model_name):
    client.force_login(admin_user)
    indicator = Indicator.objects.get(fiscal_year=2564, code="0100-814")
    report = indicator.reports.get(quarter=1)
    objects = {
        "indicator": indicator,
        "quarterreport": report,
        "assessment": report.assessment,
        "agency": indicator.agency,
        "fiscalyear": indicator.fiscal_year,
        "strategynode": indicator.__class__.objects.get(
            fiscal_year=2564, code="5030-1052"
        ).strategy_nodes.get(),
    }
    obj = objects[model_name]
    change = reverse(f"admin:indicators_{model_name}_change", args=[obj.pk])
    history = reverse(f"admin:indicators_{model_name}_history", args=[obj.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert client.get(history).status_code == 200


def test_admin_search_finds_an_indicator_by_code(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:indicators_indicator_changelist"), {"q": "5030-1052"})
    assert "จำนวนเครือข่ายประชาคมที่เป็นทางการ" in response.content.decode()


def test_admin_is_in_thai(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert "ตัวชี้วัด" in response.content.decode()


def test_admin_edit_of_an_indicator_is_kept_in_history(client, admin_user):
    indicator = Indicator.objects.get(fiscal_year=2564, code="5030-1052")
    before = indicator.history.count()
    indicator.summary = "สรุปผลใหม่"
    indicator.save()
    assert indicator.history.count() == before + 1
    assert indicator.history.first().summary == "สรุปผลใหม่"


def test_thai_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "th"


def test_english_once_chosen_with_the_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert client.get("/")["Content-Language"] == "th"


def test_static_files_collect_with_hashed_names(hashed_static_root):
    """make demo and the Docker image run collectstatic with the manifest storage (strict: a
    stylesheet that names a missing file fails here)."""
    manifest = json.loads((hashed_static_root / "staticfiles.json").read_text())
    assert re.fullmatch(r"css/dashboard\.[0-9a-f]{12}\.css", manifest["paths"]["css/dashboard.css"])
    assert (hashed_static_root / manifest["paths"]["fonts/sarabun/Sarabun_400Regular.ttf"]).exists()


def test_production_serves_static_files_compressed_and_hashed():
    """The storage the test above stands in for is the one production settings choose."""
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "production-like",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    backend = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_every_migration_applies_to_a_fresh_sqlite_database_as_make_demo_runs_them(tmp_path):
    """`make demo` migrates an embedded SQLite database: an index SQLite cannot build (ordered
    NULLS LAST) once broke it while every test ran on PostgreSQL."""
    root = Path(__file__).resolve().parent.parent
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]


def test_the_review_queues_order_has_its_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the two NULLS LAST indexes are made on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'indicators_quarterreport'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"report_status_sent_idx", "report_queue_sent_idx"} <= names
