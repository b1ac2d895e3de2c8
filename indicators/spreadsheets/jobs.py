"""Large imports in the background: the same preview → confirm → revert, with progress.

A file of more than IMPORT_BACKGROUND_ROWS rows, its confirmation and its revert each become an
ImportJob run by `manage.py db_worker`; the job's page follows its progress and then shows the
same preview the import page shows for small files. A job whose worker died is run again
(indicators.task_lease): each step is safe to repeat.
"""

import logging
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from indicators.models import (
    ImportBatch,
    ImportJob,
    ImportJobAction,
    ImportJobStatus,
    ImportStatus,
)
from indicators.spreadsheets.files import ImportFileError, read_table
from indicators.spreadsheets.imports import (
    MAX_PROBLEMS_SHOWN,
    ImportOutcome,
    ImportRevertError,
    Problem,
    import_confirm,
    import_revert,
    import_run,
)

log = logging.getLogger(__name__)
# Set while a job runs: KpiResource.import_row calls it once per row.
import_progress: ContextVar[Callable[[], None] | None] = ContextVar("import_progress", default=None)
PROGRESS_EVERY = 500


def row_count(file) -> int | None:
    """Rows of data in the upload, or None when it cannot be read (the preview says why)."""
    try:
        count = len(read_table(Path(file.name).name, file).rows)
    except ImportFileError:
        count = None
    file.seek(0)
    return count


def runs_in_background(rows: int) -> bool:
    return rows > settings.IMPORT_BACKGROUND_ROWS


def job_start(*, batch: ImportBatch, action: str, by: User, total: int) -> ImportJob:
    """Queue one step of a large import; the worker runs it."""
    from indicators.spreadsheets.tasks import run_import_job  # the task module imports this one

    job = ImportJob.objects.create(batch=batch, action=action, created_by=by, total=total)
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def preview_later(*, file, by: User, rows: int) -> ImportJob:
    """Keep the upload as a batch waiting for its check, and queue the check."""
    name = Path(file.name).name
    batch = ImportBatch(created_by=by, file_name=name, file_format=Path(name).suffix.lstrip("."))
    batch.file.save(name, file, save=True)
    return job_start(batch=batch, action=ImportJobAction.PREVIEW, by=by, total=rows)


def job_run(job_id: int) -> None:
    """Run a queued (or lost and queued again) job to its end, recording its outcome."""
    job = ImportJob.objects.select_related("batch", "created_by").get(pk=job_id)
    if not job.under_way:
        return
    _update(job_id, status=ImportJobStatus.RUNNING, done=0)
    progress = ProgressWriter(job_id, job.total)
    token = import_progress.set(progress.tick)
    try:
        status, outcome = STEPS[job.action](job)
    except Exception as error:
        _update(job_id, status=ImportJobStatus.FAILED, outcome={"message": repr(error)[:500]})
        raise
    finally:
        import_progress.reset(token)
        progress.close()
    _update(job_id, status=status, outcome=outcome, done=job.total, finished_at=timezone.now())


def _update(job_id: int, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


def _preview(job: ImportJob) -> tuple[str, dict]:
    with job.batch.file.open("rb") as stored:
        content = ContentFile(stored.read(), name=job.batch.file_name)
    outcome = import_run(file=content, by=job.created_by, dry_run=True)
    ImportBatch.objects.filter(pk=job.batch_id).update(
        kind=outcome.kind,
        total_rows=outcome.total,
        created_count=outcome.created,
        updated_count=outcome.updated,
        unchanged_count=outcome.unchanged,
        error_count=len(outcome.problems),
    )
    return ImportJobStatus.DONE, outcome_record(outcome)


def _confirm(job: ImportJob) -> tuple[str, dict]:
    batch = ImportBatch.objects.get(pk=job.batch_id)
    if batch.status != ImportStatus.PREVIEWED:  # run again after a lost worker: already done
        return ImportJobStatus.DONE, batch_record(batch)
    outcome = import_confirm(batch=batch, by=_owner(job))
    return ImportJobStatus.DONE, outcome_record(outcome)


def _revert(job: ImportJob) -> tuple[str, dict]:
    batch = ImportBatch.objects.get(pk=job.batch_id)
    if batch.status == ImportStatus.REVERTED:
        return ImportJobStatus.DONE, {"ok": True}
    try:
        import_revert(batch=batch, by=_owner(job))
    except ImportRevertError as error:
        return ImportJobStatus.FAILED, {"ok": False, "message": str(error)}
    return ImportJobStatus.DONE, {"ok": True}


def _owner(job: ImportJob) -> User:
    """Who asked for the step; history names them (a job of a deleted user is not run)."""
    if job.created_by is None:
        raise RuntimeError(f"import job {job.pk}: the user who started it no longer exists")
    return job.created_by


STEPS: dict[str, Callable[[ImportJob], tuple[str, dict]]] = {
    ImportJobAction.PREVIEW: _preview,
    ImportJobAction.CONFIRM: _confirm,
    ImportJobAction.REVERT: _revert,
}


def outcome_record(outcome: ImportOutcome) -> dict:
    """An outcome as JSON for the job row: counts and the first problems."""
    return {
        "ok": outcome.ok,
        "kind": outcome.kind,
        "total": outcome.total,
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "empty_rows": outcome.empty_rows,
        "problem_count": len(outcome.problems),
        "problems": [[p.row, p.column, p.message] for p in outcome.problems[:MAX_PROBLEMS_SHOWN]],
    }


def batch_record(batch: ImportBatch) -> dict:
    return {
        "ok": batch.status == ImportStatus.COMMITTED,
        "kind": batch.kind,
        "total": batch.total_rows,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "problem_count": batch.error_count,
        "problems": [],
    }


def outcome_of(job: ImportJob) -> ImportOutcome:
    """The job's recorded outcome as the ImportOutcome the preview page shows."""
    record = job.outcome
    outcome = ImportOutcome(
        file_name=job.batch.file_name,
        kind=record.get("kind", ""),
        total=record.get("total", 0),
        created=record.get("created", 0),
        updated=record.get("updated", 0),
        unchanged=record.get("unchanged", 0),
        empty_rows=record.get("empty_rows", 0),
        problems=[Problem(*problem) for problem in record.get("problems", [])],
        batch=job.batch,
    )
    return outcome


class ProgressWriter:
    """Writes a job's progress on a connection of its own: the import's transaction is open."""

    def __init__(self, job_id: int, total: int) -> None:
        self.job_id, self.total, self.count = job_id, total, 0
        self.connection: BaseDatabaseWrapper | None = None

    def tick(self) -> None:
        self.count += 1
        if self.count % PROGRESS_EVERY:
            return
        if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
            return  # SQLite has one writer: the import's own transaction holds it
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE indicators_importjob SET done = %s WHERE id = %s",
                    [min(self.count, self.total), self.job_id],
                )
        except Exception:
            log.warning("Progress of import job %s not recorded", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
