"""A task whose worker died is queued again (or failed), and the book page says so."""

import datetime
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from indicators import task_lease
from indicators.models import Agency
from reports import books
from reports.models import AgencyBook, BookStatus
from reports.tasks import build_agency_book

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="leases are PostgreSQL advisory locks; the SQLite demo runs tasks at once (CI runs on PostgreSQL)",
    ),
]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings):
    """Tasks queued in the database, as production runs them (tests run them immediately)."""
    settings.TASKS = DB_TASKS


def running_task(workers: list[str], started_minutes_ago: float = 1) -> DBTaskResult:
    """A task a worker claimed: RUNNING, as a killed worker leaves it."""
    result = build_agency_book.using(backend="default").enqueue(1)
    started = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=workers
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_whose_worker_died_is_queued_again(db_tasks):
    task = running_task(["worker-1"])
    assert task_lease.requeue_lost_tasks() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # the next worker takes it


def test_a_task_of_a_live_worker_is_left_alone(db_tasks):
    task = running_task(["worker-1"])
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)",
                [task_lease.LOCK_SPACE, task_lease.lease_key(task.pk)],
            )
        assert task_lease.requeue_lost_tasks() == (0, 0)
    finally:
        other.close()  # the worker dies: its session ends and the lease with it
    for _ in range(50):  # the server ends the session a moment after the client goes
        if task_lease.requeue_lost_tasks() == (1, 0):
            break
        time.sleep(0.1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_task_just_claimed_is_given_time_to_take_its_lease(db_tasks):
    running_task(["worker-1"], started_minutes_ago=0)
    assert task_lease.requeue_lost_tasks() == (0, 0)


def test_a_task_three_workers_died_on_is_failed(db_tasks):
    task = running_task(["w1", "w2", "w3"])
    assert task_lease.requeue_lost_tasks() == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert "WorkerLost" in task.exception_class_path


def test_hold_and_release_use_the_workers_own_session(db_tasks):
    task = running_task(["worker-1"])
    task_lease.hold_lease(None, task)
    checker = connections.create_connection(DEFAULT_DB_ALIAS)
    key = [task_lease.LOCK_SPACE, task_lease.lease_key(task.pk)]
    try:
        with checker.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            assert cursor.fetchone()[0] is False
            task_lease.release_lease(None, task)
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            assert cursor.fetchone()[0] is True
    finally:
        checker.close()


def status_url() -> str:
    return reverse("reports:agency-book-status", kwargs={"year": 2564, "code": "5030"})


def test_a_lost_book_build_shows_a_failure_and_a_rebuild_button(client, db_tasks, monkeypatch):
    monkeypatch.setattr(books, "INLINE_BOOK_MAX", 1)
    client.get(status_url())  # queued in the database; no worker runs in tests
    book = AgencyBook.objects.get(agency__prefix="5030", fiscal_year=2564)
    assert book.status == BookStatus.PENDING
    task = DBTaskResult.objects.get(task_path=books.TASK_PATH, args_kwargs__args=[book.pk])
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.FAILED)
    AgencyBook.objects.filter(pk=book.pk).update(
        status=BookStatus.BUILDING,
        done=3,
        requested_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    page = client.get(status_url())
    assert b'http-equiv="refresh"' not in page.content
    assert "จัดทำสมุดไม่สำเร็จ" in page.text
    rebuild = reverse("reports:agency-book-rebuild", kwargs={"year": 2564, "code": "5030"})
    assert rebuild in page.text
    assert client.get(status_url()).status_code == 200  # looking again does not rebuild
    assert AgencyBook.objects.get(pk=book.pk).status == BookStatus.FAILED
    assert client.post(rebuild).status_code == 302
    assert AgencyBook.objects.get(pk=book.pk).status == BookStatus.PENDING
    live = DBTaskResult.objects.ready().filter(args_kwargs__args=[book.pk])
    assert live.count() == 1


def test_a_book_whose_task_is_running_keeps_refreshing(client, db_tasks, monkeypatch):
    monkeypatch.setattr(books, "INLINE_BOOK_MAX", 1)
    client.get(status_url())
    book = AgencyBook.objects.get(agency=Agency.objects.get(prefix="5030"), fiscal_year=2564)
    AgencyBook.objects.filter(pk=book.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = client.get(status_url())
    assert b'http-equiv="refresh"' in page.content
