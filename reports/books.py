"""Agency books: built inline when small, in the background when large, kept until stale."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.utils import timezone, translation

from indicators.models import Agency, Assessment, FiscalYear, Indicator, QuarterReport
from indicators.task_lease import task_alive
from reports.book_pdf import agency_book_pdf
from reports.models import AgencyBook, BookStatus

# Books of up to this many indicators and this much long text are built in the request (a
# few seconds at most: a thousand characters of Thai take about 0.1 s to lay out).
INLINE_BOOK_MAX = 20
INLINE_TEXT_MAX = 30_000
LONG_TEXT_FIELDS = ("summary", "definition", "calculation_method", "data_collection")
# A build that has not finished by then is taken as lost (a worker died) and started again.
BUILD_TIMEOUT = datetime.timedelta(minutes=30)
# A queued build with no task behind it after this long was lost (queue emptied, worker gone).
LOST_GRACE = datetime.timedelta(seconds=10)
TASK_PATH = "reports.tasks.build_agency_book"
WORKER_LOST = "the background worker stopped before the book was finished"
# Bump when the sheet or book layout changes, so cached books are rebuilt.
LAYOUT_VERSION = "3"


def book_fingerprint(agency: Agency, year: int) -> str:
    """A hash of the last-changed times and counts of everything a book prints."""
    indicators = Indicator.objects.filter(agency=agency, fiscal_year_id=year)
    reports = QuarterReport.objects.filter(indicator__agency=agency, indicator__fiscal_year_id=year)
    assessments = Assessment.history.filter(
        report__indicator__agency=agency, report__indicator__fiscal_year_id=year
    )
    parts = [
        LAYOUT_VERSION,
        indicators.aggregate(n=Count("id"), last=Max("updated_at")),
        reports.aggregate(n=Count("id"), last=Max("updated_at")),
        assessments.aggregate(n=Count("history_id"), last=Max("history_date")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def text_volume(agency: Agency, year: int) -> int:
    """Characters of long text the book would lay out: what its time grows with."""
    indicators = Indicator.objects.filter(agency=agency, fiscal_year_id=year)
    reports = QuarterReport.objects.filter(indicator__in=indicators)
    own = indicators.aggregate(**{f: Sum(Length(f)) for f in LONG_TEXT_FIELDS})
    narratives = reports.aggregate(n=Sum(Length("narrative")))["n"]
    return sum(value or 0 for value in [*own.values(), narratives])


def _is_lost(book: AgencyBook) -> bool:
    """Under way, but no task will finish it: its worker died for good or the queue lost it."""
    age = timezone.now() - book.requested_at
    alive = task_alive(TASK_PATH, [book.pk])
    if alive is None:  # a backend that cannot tell: only the time says so
        return age > BUILD_TIMEOUT
    return not alive and age > LOST_GRACE


def book_request(
    *, agency: Agency, fiscal_year: FiscalYear, language: str, rebuild: bool = False
) -> AgencyBook:
    """The book if current, under way or failed on this data; otherwise build it.

    A failed build is shown as such until someone asks to rebuild (or the data changes), so
    the page never refreshes forever on a build nobody runs.
    """
    fingerprint = book_fingerprint(agency, fiscal_year.year)
    with transaction.atomic():
        book, _ = AgencyBook.objects.select_for_update().get_or_create(
            agency=agency, fiscal_year=fiscal_year, language=language
        )
        if book.is_current(fingerprint):
            return book
        if book.is_under_way(fingerprint):
            if _is_lost(book):
                book.status, book.error = BookStatus.FAILED, WORKER_LOST
                book.save(update_fields=["status", "error"])
            return book
        if book.status == BookStatus.FAILED and book.fingerprint == fingerprint and not rebuild:
            return book
        book.fingerprint = fingerprint
        book.status = BookStatus.PENDING
        book.done = 0
        book.total = Indicator.objects.filter(agency=agency, fiscal_year=fiscal_year).count()
        book.error = ""
        book.requested_at = timezone.now()
        book.save()
    if book.total <= INLINE_BOOK_MAX and text_volume(agency, fiscal_year.year) <= INLINE_TEXT_MAX:
        book_build(book.pk)
    else:
        from reports.tasks import build_agency_book  # the task module imports this one

        build_agency_book.enqueue(book.pk)
    book.refresh_from_db()
    return book


def _progress(book_id: int):
    def report(done: int, total: int) -> None:
        AgencyBook.objects.filter(pk=book_id).update(done=done, total=total)

    return report


def book_build(book_id: int) -> None:
    """Lay out the book and store it, unless a newer request replaced it meanwhile."""
    book = AgencyBook.objects.select_related("agency").get(pk=book_id)
    fingerprint = book.fingerprint
    AgencyBook.objects.filter(pk=book_id).update(status=BookStatus.BUILDING)
    try:
        with translation.override(book.language):
            data = agency_book_pdf(book.agency, book.fiscal_year_id, progress=_progress(book_id))
    except Exception as error:
        AgencyBook.objects.filter(pk=book_id, fingerprint=fingerprint).update(
            status=BookStatus.FAILED, error=repr(error)[:2000]
        )
        raise
    _store(book_id, fingerprint, data)


def _store(book_id: int, fingerprint: str, data: bytes) -> None:
    with transaction.atomic():
        book = AgencyBook.objects.select_for_update().select_related("agency").get(pk=book_id)
        if book.fingerprint != fingerprint:
            return  # the data changed during the build; the newer request builds again
        if book.file:
            book.file.delete(save=False)
        name = f"{book.agency.prefix}-{book.fiscal_year_id}-{book.language}.pdf"
        book.file.save(name, ContentFile(data), save=False)
        book.status = BookStatus.READY
        book.done = book.total
        book.finished_at = timezone.now()
        book.save()
