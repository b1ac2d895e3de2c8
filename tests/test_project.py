"""Cheap guard tests for the whole project: health, migrations, admin pages, settings."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_healthz_answers_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import DatabaseError

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


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


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    """make demo and the Docker image run collectstatic with the manifest storage."""
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "collectstatic-test",
        "KPI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()
