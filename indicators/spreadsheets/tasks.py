"""Background jobs of the spreadsheets (run by `manage.py db_worker` in production)."""

from django.tasks import task

from indicators.spreadsheets.jobs import job_run


@task
def run_import_job(job_id: int) -> None:
    """One step (check, confirm or revert) of a large import; progress is on the ImportJob."""
    job_run(job_id)
