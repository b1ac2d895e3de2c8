"""Helpers tests share: clients signed in as a persona, files, reports forced into a state."""

import datetime
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.models import Appeal, AppealKind, AppealRound, Indicator, QuarterReport

if TYPE_CHECKING:
    from playwright.sync_api import Page

BANGKOK = ZoneInfo("Asia/Bangkok")
# The instant the whole suite runs at (tests/conftest.py): fiscal year 2570, inside quarter 1's
# reporting window (opens 1 Oct 2026, due 15 Jan 2027), so the demo's Q1 drafts are open.
SUITE_NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=BANGKOK)

# Browser tests keep their screenshots only when this names a folder (`make screenshots` sets it
# to docs/screenshots): PNG encoding costs the suite seconds, and a test run must leave the
# repository's files as they were.
SCREENSHOTS = os.environ.get("KPI_SCREENSHOTS", "")

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def bangkok(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """An instant of `day` in Bangkok, for a test that travels to another day."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BANGKOK)


def report_url(report: QuarterReport, name: str, quarter: int | None = None) -> str:
    """The URL of a quarter report's page, e.g. name="report-edit" or "report-review"."""
    kwargs = {
        "year": report.indicator.fiscal_year_id,
        "code": report.indicator.code,
        "quarter": quarter or report.quarter,
    }
    return reverse(f"indicators:{name}", kwargs=kwargs)


def pdf(name: str = "evidence.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def target_appeal(indicator: Indicator, by) -> Appeal:
    """A pending mid-year appeal of the year's target, with a PDF as its evidence."""
    return Appeal.objects.create(
        indicator=indicator,
        kind=AppealKind.TARGET,
        round=AppealRound.MID_YEAR,
        requested_value=1,
        reason="x",
        created_by=by,
        evidence=pdf("appeal.pdf"),
    )


def put(report: QuarterReport, status: str, value: str | None = "30") -> QuarterReport:
    """Force a report into a state for a test, bypassing the services."""
    QuarterReport.objects.filter(pk=report.pk).update(
        status=status,
        value=Decimal(value) if value is not None else None,
        narrative="ดำเนินการตามแผน" if value is not None else "",
    )
    report.refresh_from_db()
    return report


def log_in(page: "Page", base_url: str, username: str) -> None:
    """Sign a demo persona in through the login form, in place of whoever was signed in."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    assert "/accounts/login/" not in page.url
    # Chromium runs on the real clock, the server on the suite's fixed one: the cookies must
    # not hang on an Expires date (the session lasts the browser, CSRF's carries a Max-Age).
    kept = {cookie["name"] for cookie in page.context.cookies()}
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= kept


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def screenshot(page: "Page", name: str, **options: Any) -> None:
    """Save `name`.png into KPI_SCREENSHOTS, when it is set, for a person to look at."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), **options)


def standing_differences(year: int) -> list[tuple]:
    """The rows where `year`'s stored standings (indicators/standing.py) and a fresh
    computation of rollups' SQL disagree, every level and quarter (none: they are equal)."""
    from django.db import connection

    from indicators import rollups, standing
    from indicators.access import STANDING_SCOPES
    from indicators.models import FiscalYear

    names = ", ".join(standing.COLUMNS)
    thresholds = FiscalYear.objects.get(year=year).rating_thresholds()
    fresh: set[tuple] = set()
    with connection.cursor() as cursor:
        for level, scope in STANDING_SCOPES.items():
            sql, params = rollups.quarters_rows_sql(
                year=year, quarters=[1, 2, 3, 4], thresholds=thresholds, scope=scope
            )
            cursor.execute(f"SELECT {int(level)}, id, quarter, {names} FROM ({sql}) f", params)  # noqa: S608
            fresh |= {_comparable(row) for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT level, indicator_id, as_of, {names} FROM indicators_standing WHERE year = %s",  # noqa: S608
            [year],
        )
        stored = {_comparable(row) for row in cursor.fetchall()}
    return sorted(fresh ^ stored, key=repr)


def _comparable(row: tuple) -> tuple:
    """SQLite gives a computed time as text and a stored one as a datetime: one form."""
    return tuple(
        value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value for value in row
    )


def first_draft(year: int, prefix: str) -> QuarterReport:
    """The first saved draft of the agency's quarter 1 of `year` (the demo leaves them open)."""
    from indicators.models import ReportStatus

    return (
        QuarterReport.objects.filter(
            indicator__fiscal_year_id=year,
            indicator__agency__prefix=prefix,
            status=ReportStatus.DRAFT,
            quarter=1,
        )
        .select_related("indicator__agency")
        .order_by("indicator__number")
        .first()
    )


def raised_versions(commits, edit) -> dict[str, int]:
    """The data versions `edit` raised, by how much; the stored standings' markers, which a
    service's save moves on with its year (indicators/standing.py), are no data versions."""
    from indicators.data_versions import versions

    before = versions()
    commits(edit)
    after = versions()
    return {
        key: after[key] - before.get(key, 0)
        for key in after
        if after[key] != before.get(key) and not key.startswith("standing.")
    }


def rendered_context(response) -> Any:
    """The context of the templates a response rendered; empty for a page served wholly kept
    (its parts and its shell: indicators/fragments.py), which renders none."""
    return response.context or {}
