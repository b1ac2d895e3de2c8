"""Background jobs of the indicators app (run by `manage.py db_worker` in production)."""

from django.tasks import task

from indicators import standing


@task
def refresh_standings() -> list[int]:
    """Compute again the stored standings of every year a write left behind (imports,
    rollovers, the admin), so that the year's next reader does not wait for it; the years
    refreshed."""
    return standing.refresh_all()
