"""Background jobs of the reports app (run by `manage.py db_worker` in production)."""

from django.tasks import task

from reports.books import book_build


@task
def build_agency_book(book_id: int) -> None:
    """Build one agency book; progress and the file are kept on its AgencyBook row."""
    book_build(book_id)
