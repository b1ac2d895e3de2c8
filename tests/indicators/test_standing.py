"""The stored standings (indicators/standing.py) equal a fresh computation after every writer.

Services refresh the indicators they wrote in their own transaction and leave the year current;
every other writer leaves the year behind its data version, and the background worker refreshes
it (indicators/tasks.py), or its next reader if that comes first.
"""

from collections.abc import Callable
from decimal import Decimal

import psycopg2
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.tasks import task_backends

from indicators import data_versions, rollups, standing
from indicators.access import PUBLIC_SCOPE, PUBLIC_STATUSES, STAFF_SCOPE, ReportScope
from indicators.data_versions import raise_after_commit, read_versions, standing_is_current
from indicators.models import (
    Agency,
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
    Standing,
)
from indicators.rollover.plan import Selection
from indicators.rollover.services import rollover_year
from indicators.scorecards.services import self_assessment_save
from indicators.spreadsheets.imports import import_run
from indicators.workflow import appeals, services
from tests.helpers import put, standing_differences, target_appeal

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2570  # the suite's current fiscal year (tests/helpers.SUITE_NOW)


@pytest.fixture
def worker_not_run_yet(settings):
    """Background jobs are queued and left (the suite otherwise runs them at once): what the
    year's next reader finds when it comes before the worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def is_current(year: int = YEAR) -> bool:
    """Whether the committed markers say `year`'s standings hold the committed data."""
    return standing_is_current(year, read_versions())


def test_every_demo_year_is_stored_as_computed():
    years = sorted(set(Indicator.objects.values_list("fiscal_year_id", flat=True)))
    assert len(years) >= 6
    for year in years:
        assert is_current(year), year  # load_demo computed them once committed
        assert standing_differences(year) == [], year
    assert Standing.objects.filter(year=YEAR).count() == 4 * 3 * len(
        Indicator.objects.filter(fiscal_year_id=YEAR)
    )


# --- services: refreshed in their own transaction, the year left current ---------------------


def _save(report, reporter5030, auditor) -> None:
    services.report_save(
        report=report, by=reporter5030, value=D("41"), narrative="ทำแล้ว", version=report.version
    )


def _submit(report, reporter5030, auditor) -> None:
    services.report_submit(
        report=report, by=reporter5030, value=D("42"), narrative="ทำแล้ว", version=report.version
    )


def _return(report, reporter5030, auditor) -> None:
    report = put(report, ReportStatus.SUBMITTED)
    services.report_return(report=report, by=auditor, reason="แก้ตัวเลข", version=report.version)


def _approve(report, reporter5030, auditor) -> None:
    report = put(report, ReportStatus.SUBMITTED)
    services.report_approve(report=report, by=auditor, version=report.version)


def _score(report, reporter5030, auditor) -> None:
    report = put(report, ReportStatus.SUBMITTED)
    services.assessment_record(
        report=report,
        by=auditor,
        score=D(55),
        score_2_1=None,
        score_2_2=None,
        reason="ตามหลักฐาน",
        version=report.version,
    )


def _unlock(report, reporter5030, auditor) -> None:
    report = put(report, ReportStatus.APPROVED)
    services.report_unlock(report=report, by=auditor, reason="แก้ไข", version=report.version)


def _audit_quarter(report, reporter5030, auditor) -> None:
    services.indicator_set_audit_quarter(indicator=report.indicator, by=auditor, quarter=1)


def _appeal(report, reporter5030, auditor) -> None:
    appeal = target_appeal(report.indicator, reporter5030)
    appeals.appeal_decide(appeal=appeal, by=auditor, accept=True, note="รับ")


def _self_assessment(report, reporter5030, auditor) -> None:
    self_assessment_save(
        indicator=report.indicator, round_=6, rating=D(4), note="ประเมินตนเอง", by=reporter5030
    )


SERVICES: dict[str, Callable] = {
    "save": _save,
    "submit": _submit,
    "return": _return,
    "approve": _approve,
    "score": _score,
    "unlock": _unlock,
    "audit-quarter": _audit_quarter,
    "appeal": _appeal,
    "self-assessment": _self_assessment,
}


@pytest.mark.parametrize("write", list(SERVICES.values()), ids=list(SERVICES))
def test_a_service_keeps_the_year_current(write, report, reporter5030, auditor, commits):
    put(report, ReportStatus.DRAFT, "12")  # the value the service's write changes
    before = standing_differences(YEAR)
    commits(lambda: write(report, reporter5030, auditor))
    # No reader ran: the service's own transaction refreshed its indicator,
    assert standing_differences(YEAR) == []
    assert before != []  # (put() bypassed the services: the stored rows were behind)
    # and the marker followed the year's version: the next reader refreshes nothing.
    assert is_current()


@pytest.mark.usefixtures("worker_not_run_yet")
def test_a_service_write_after_an_unrefreshed_write_leaves_the_year_behind(
    report, reporter5030, auditor, commits
):
    """A bulk write's raise in between: the service's raise is not the one after the marker."""
    commits(lambda: raise_after_commit(years={YEAR}))
    commits(lambda: _save(report, reporter5030, auditor))
    assert not is_current()


# --- other writers: the background worker refreshes the year, or its next reader -------------


def _results_import(report, auditor) -> None:
    report = put(report, ReportStatus.SUBMITTED)
    headers = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส", "ผลประเมินตัวชี้วัด", "เหตุผลการแก้ไข"]
    row = [YEAR, report.indicator.code, report.quarter, "64", "มติ"]
    content = tablib.Dataset(row, headers=headers).export("csv").encode()
    outcome = import_run(file=SimpleUploadedFile("r.csv", content), by=auditor, dry_run=False)
    assert outcome.ok, outcome.problems


def _admin_edit(report, auditor) -> None:
    """A save outside the services (the admin, a shell): signals, but no refresh."""
    indicator = report.indicator
    indicator.target = D(1)
    indicator.save()


def _bulk_update(report, auditor) -> None:
    """A bulk writer: no signal, one raise of the year (as generate_city_data, imports)."""
    QuarterReport.objects.filter(indicator__fiscal_year_id=YEAR).update(
        value=D(99), status=ReportStatus.APPROVED
    )
    raise_after_commit(years={YEAR})


def _rating_bands(report, auditor) -> None:
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    fiscal_year.rating_bands = [50, 40, 30, 20]
    fiscal_year.save()


OTHERS: dict[str, Callable] = {
    "results-import": _results_import,
    "admin-edit": _admin_edit,
    "bulk-update": _bulk_update,
    "rating-bands": _rating_bands,
}


def _fixture_stored(report, commits) -> None:
    Assessment.of(put(report, ReportStatus.APPROVED, "20"), score=D(80)).save()
    Indicator.objects.filter(pk=report.indicator_id).update(audit_quarter=report.quarter)
    commits(lambda: standing.refresh_year(YEAR))  # the fixture's writes, stored


@pytest.mark.parametrize("write", list(OTHERS.values()), ids=list(OTHERS))
def test_the_worker_refreshes_after_other_writers(write, report, auditor, commits):
    """No reader waits: the write's commit queued the refresh, and the worker ran it."""
    _fixture_stored(report, commits)
    commits(lambda: write(report, auditor))
    assert is_current()
    assert standing_differences(YEAR) == []


@pytest.mark.parametrize("write", list(OTHERS.values()), ids=list(OTHERS))
def test_one_refresh_is_queued_after_other_writers(
    write, report, auditor, commits, worker_not_run_yet
):
    _fixture_stored(report, commits)
    queued = len(worker_not_run_yet.results)
    commits(lambda: write(report, auditor))
    assert [r.task.name for r in worker_not_run_yet.results[queued:]] == ["refresh_standings"]


def test_reference_data_queues_a_refresh_of_every_year(commits, worker_not_run_yet):
    """Agencies and plans are part of every year's standings' key (standing_is_current)."""
    commits(Agency.objects.get(prefix="5030").save)
    assert [r.task.name for r in worker_not_run_yet.results] == ["refresh_standings"]
    assert not is_current()
    worker_not_run_yet.results[0].task.call()  # what the worker runs
    assert is_current() and is_current(YEAR - 1)


def test_a_service_queues_no_refresh(report, reporter5030, auditor, commits, worker_not_run_yet):
    commits(lambda: _save(report, reporter5030, auditor))
    assert worker_not_run_yet.results == []


@pytest.mark.usefixtures("worker_not_run_yet")
@pytest.mark.parametrize("write", list(OTHERS.values()), ids=list(OTHERS))
def test_the_next_reader_refreshes_after_other_writers(write, report, auditor, commits):
    _fixture_stored(report, commits)
    commits(lambda: write(report, auditor))
    assert not is_current()
    assert standing_differences(YEAR) != []
    rollups.year_ids_of_status(YEAR, PUBLIC_SCOPE, "achieved")  # a reader: the status filter
    assert is_current()
    assert standing_differences(YEAR) == []


@pytest.mark.usefixtures("worker_not_run_yet")
def test_a_rolled_over_year_is_computed_by_its_first_reader(auditor, commits):
    commits(lambda: rollover_year(Selection(YEAR, YEAR + 1, agencies=("5030",)), by=auditor))
    assert not Standing.objects.filter(year=YEAR + 1).exists()
    totals = rollups.agency_status_totals(
        FiscalYear.objects.get(year=YEAR + 1), Agency.objects.get(prefix="5030"), STAFF_SCOPE
    )
    assert sum(totals.values()) == Indicator.objects.filter(fiscal_year_id=YEAR + 1).count() > 0
    assert standing_differences(YEAR + 1) == []
    assert is_current(YEAR + 1)


def test_a_transaction_reads_its_own_writes(report, reporter5030):
    """Within one transaction (no commit yet) a reader refreshes what it wrote itself."""
    indicator = report.indicator
    report.value, report.status, report.narrative = D(500), ReportStatus.APPROVED, "x"
    report.save()
    achieved = rollups.year_ids_of_status(YEAR, PUBLIC_SCOPE, "achieved")
    assert indicator.pk in achieved
    assert standing_differences(YEAR) == []


# --- who sees what ---------------------------------------------------------------------------


def _seen(scope: ReportScope, indicator: Indicator) -> tuple:
    sql, params = standing.rows_sql(
        year=YEAR, quarters=[1], scope=scope, thresholds=lambda: [], agency_ids=None
    )
    with connection.cursor() as cursor:
        chosen = f"SELECT value, status FROM ({sql}) r WHERE id = %s"  # noqa: S608
        cursor.execute(chosen, [*params, indicator.pk])
        return cursor.fetchone()


def test_each_reader_sees_the_standing_of_the_reports_they_may_see(report, reporter5030, commits):
    """A draft counts for the agency's own reporters only; a submitted report for staff too;
    the public (and other agencies' reporters) see neither."""
    indicator = report.indicator
    own = ReportScope(PUBLIC_STATUSES, frozenset({indicator.agency_id}))
    other = ReportScope(PUBLIC_STATUSES, frozenset({Agency.objects.get(prefix="0100").pk}))
    commits(lambda: _save(report, reporter5030, None))
    assert _seen(own, indicator)[0] == D(41)
    assert _seen(STAFF_SCOPE, indicator)[0] is None
    assert _seen(PUBLIC_SCOPE, indicator) == _seen(other, indicator) == (None, "not_reported")
    report.refresh_from_db()
    commits(lambda: _submit(report, reporter5030, None))
    assert _seen(STAFF_SCOPE, indicator)[0] == _seen(own, indicator)[0] == D(42)
    assert _seen(PUBLIC_SCOPE, indicator) == _seen(other, indicator) == (None, "not_reported")


def test_a_scope_no_level_matches_is_computed():
    scope = ReportScope(frozenset({ReportStatus.SUBMITTED}))
    assert scope.standing_sql() is None
    sql, _params = standing.rows_sql(
        year=YEAR, quarters=[4], scope=scope, thresholds=FiscalYear(year=YEAR).rating_thresholds
    )
    assert "indicators_standing" not in sql


# --- two workers -----------------------------------------------------------------------------


def _other_connection():
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"],
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the refresh lock is a PostgreSQL advisory lock; SQLite runs one writer at a time"
    " and has none (CI runs on PostgreSQL)",
)
def test_a_refresh_of_the_year_excludes_every_other_refresh_of_it(report, reporter5030, commits):
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            # A service's refresh (shared) lets other services' refreshes through, not a
            # refresh of the whole year.
            commits(lambda: _save(report, reporter5030, None))
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock_shared(%s, %s)", [standing.LOCK_SPACE, YEAR]
            )
            assert cursor.fetchone() == (True,)
            other.rollback()
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [standing.LOCK_SPACE, YEAR])
            assert cursor.fetchone() == (False,)
            other.rollback()
            # A refresh of the whole year excludes both until its transaction ends.
            raise_after_commit(years={YEAR})
            assert standing.refresh_year(YEAR) is True
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock_shared(%s, %s)", [standing.LOCK_SPACE, YEAR]
            )
            assert cursor.fetchone() == (False,)
            other.rollback()
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", [standing.LOCK_SPACE, YEAR + 1]
            )
            assert cursor.fetchone() == (True,)  # another year's refresh goes on
    finally:
        other.close()


@pytest.mark.usefixtures("worker_not_run_yet")
def test_a_worker_that_waited_for_the_lock_finds_the_year_done(commits):
    commits(lambda: raise_after_commit(years={YEAR}))
    assert standing.refresh_year(YEAR) is True
    assert standing.refresh_year(YEAR) is False  # the second worker, once the first is done
    assert data_versions.pending_writes() is None
