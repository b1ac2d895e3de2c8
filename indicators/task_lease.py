"""Background tasks survive a dead worker: a lease per running task, and a reaper.

A worker holds a PostgreSQL advisory lock for the task it runs, on its own session. When the
worker dies (killed, out of memory, machine lost) PostgreSQL ends that session and the lock
goes with it; the reaper in every live worker (`manage.py db_worker`) then finds the task
RUNNING without its lock and queues it again, or fails it after MAX_ATTEMPTS workers died on it.
"""

import datetime
import logging
import threading
import zlib

from django.db import connection, connections, transaction
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
# A task claimed this recently may not hold its lock yet (claim and lock are two steps).
CLAIM_GRACE = datetime.timedelta(seconds=30)
REAP_EVERY_SECONDS = 15.0
LOCK_SPACE = 1_710_017  # the first key of the two-key advisory lock: "task leases"


def lease_key(task_id) -> int:
    """A stable 32-bit key for a task's UUID (the second key of the advisory lock)."""
    return zlib.crc32(str(task_id).encode()) - 2**31


def supported() -> bool:
    return connection.vendor == "postgresql"


def hold_lease(sender, task_result, **kwargs) -> None:
    """task_started: the worker's own session locks the task for as long as it lives."""
    if supported():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, lease_key(task_result.id)]
            )


def release_lease(sender, task_result, **kwargs) -> None:
    """task_finished: the task ended, successfully or not; its lease is given back."""
    if supported():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, lease_key(task_result.id)]
            )


def task_alive(task_path: str, args: list) -> bool | None:
    """Whether a queued or running task with these arguments exists; None if not knowable."""
    from django.tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    live = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    tasks = DBTaskResult.objects.filter(task_path=task_path, args_kwargs__args=args)
    return tasks.filter(status__in=live).exists()


def connect_signals() -> None:
    task_started.connect(hold_lease, dispatch_uid="task-lease-hold")
    task_finished.connect(release_lease, dispatch_uid="task-lease-release")


def _orphaned(task: DBTaskResult) -> bool:
    """Whether no live session holds the task's lease (taking it for a moment to see)."""
    key = lease_key(task.id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, key])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, key])
    return free


def requeue_lost_tasks() -> tuple[int, int]:
    """Queue again every RUNNING task whose worker died; fail it after MAX_ATTEMPTS deaths."""
    if not supported():
        return 0, 0
    requeued = failed = 0
    claimed_before = timezone.now() - CLAIM_GRACE
    running = DBTaskResult.objects.running().filter(started_at__lt=claimed_before)
    for task in running.only("id", "worker_ids", "started_at"):
        if not _orphaned(task):
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                pk=task.pk, status=TaskResultStatus.RUNNING
            )
            current = locked.first()
            if current is None:
                continue
            if len(current.worker_ids) >= MAX_ATTEMPTS:
                current.set_failed(WorkerLost(len(current.worker_ids)))
                failed += 1
            else:
                locked.update(status=TaskResultStatus.READY, started_at=None)
                requeued += 1
            log.warning("Task %s lost its worker: %s", task.pk, current.status)
    return requeued, failed


class WorkerLost(Exception):
    """Recorded on a task that every worker running it died on."""

    def __init__(self, attempts: int) -> None:
        super().__init__(f"the worker died while running this task ({attempts} attempts)")


class Reaper(threading.Thread):
    """Runs requeue_lost_tasks at start and every REAP_EVERY_SECONDS, on its own connection."""

    def __init__(self, interval: float = REAP_EVERY_SECONDS) -> None:
        super().__init__(name="task-reaper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                requeue_lost_tasks()
            except Exception:
                log.exception("Reaping lost tasks failed; trying again later")
                connections.close_all()
            self.stopped.wait(self.interval)
