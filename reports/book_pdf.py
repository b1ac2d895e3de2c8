"""Agency books: cover, contents and summary, then every sheet from a new page.

Each sheet is laid out once, on its own (sheets do not depend on each other, and many small
documents lay out faster than one long one). A sheet that spills a few lines onto a page of
their own is laid out once more, tighter, and the shorter one kept.

Page numbers run through the book, and the contents cite them, yet no sheet is laid out again
to number it: once every part is laid out, the front matter is laid out citing their pages, and
each other page takes its number as a line laid out apart (book_numbers.py). The summary table
is a document of its own so that it is laid out while a long book's child process lays out
sheets (parallel.py); both processes paint their pages before the one write (paint_ahead.py).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from indicators import access
from indicators.models import Agency, FiscalYear
from indicators.summaries import ROUTINE_MISSION, IndicatorSummary, detail_queryset, summarize
from reports import book_numbers, collector, paint_ahead, parallel
from reports.pdf import common_context, document, sheet_context, write

Progress = Callable[[int, int], None]
SetAside = Callable[[], None]
SHEET = "reports/pdf/sheet.html"
SUMMARY = "reports/pdf/book_summary.html"
# A tighter sheet also has narrower top and bottom margins (the .tight rules in pdf.css).
TIGHT_PAGE = "@page { margin-top: 17mm; margin-bottom: 17mm; }\n"
# Every page of a sheet or of the summary lays out its own running header and address (the same
# on every page of the book, and laid out beside the child process), and an empty box where
# its page number, which counts the whole book, is put once the book is laid out.
OWN_MARGIN_BOXES = book_numbers.EMPTY_NUMBER_BOX
# Books of at least this many sheets are laid out in two processes (parallel.py). Only the
# background worker builds them (books.INLINE_BOOK_MAX): a web worker never forks.
PARALLEL_MIN = 24
SUMMARY_ROWS = 12
# A sheet whose last page ends above this share of the page (a third: some ten lines
# under the header) is tried tighter.
NEAR_EMPTY = 0.35


@dataclass
class Planned:
    """A sheet as set in the book: laid out tighter or not, its number of pages."""

    summary: IndicatorSummary
    tight: bool = False
    laid_out: Any = None  # WeasyPrint's Document
    pages: int = 0  # known before `laid_out` when a child lays the sheet out
    first_page: int = 0  # in the book


def book_path(agency: Agency, year: int) -> str:
    return reverse("reports:agency-book", kwargs={"year": year, "code": agency.prefix})


def agency_indicators(agency: Agency, year: int):
    """A book is a publication, shared by every reader: it holds what the public may see."""
    return (
        detail_queryset(access.PUBLIC_SCOPE)
        .filter(agency=agency, fiscal_year_id=year)
        .order_by("number")
    )


def ends_near_top(laid_out) -> bool:
    """More than one page, and the last one holds only a few lines."""
    if len(laid_out.pages) < 2:
        return False
    last = laid_out.pages[-1]
    ends = [y for name, (_x, y, _x2, _y2) in last.anchors.items() if name.startswith("end-")]
    return bool(ends) and ends[0] / last.height < NEAR_EMPTY


def _sheet(summary: IndicatorSummary, path: str, tight: bool):
    context = sheet_context(summary, path) | {"tight": tight}
    return document(SHEET, context, (TIGHT_PAGE if tight else "") + OWN_MARGIN_BOXES)


def lay_out_sheet(plan: Planned, path: str) -> Planned:
    """Lay the sheet out; set it tighter when that saves a nearly empty page."""
    plan.laid_out = _sheet(plan.summary, path, tight=False)
    if ends_near_top(plan.laid_out):
        tighter = _sheet(plan.summary, path, tight=True)
        if len(tighter.pages) < len(plan.laid_out.pages):
            plan.tight, plan.laid_out = True, tighter
    plan.pages = len(plan.laid_out.pages)
    return plan


@contextmanager
def sheets_laid_out[T](
    plans: list[Planned],
    path: str,
    report: Progress,
    here_first: Callable[[], T],
    set_aside: SetAside = lambda: None,
    language: str = "th",
) -> Iterator[T]:
    """Lay `here_first` out, then every sheet; yield what `here_first` returned.

    Inside the block the sheets' page counts are known, after it the laid-out sheets. A long
    book's second half is laid out in a forked child meanwhile. The child sends the page counts
    first, then its sheets laid out and painted: the front matter, which needs only the counts,
    is laid out here while the child paints. `set_aside()` runs after each sheet, in both
    processes (collector.py).
    """
    if len(plans) < PARALLEL_MIN or not parallel.available():
        first = here_first()
        _lay_out_in_turn(plans, path, report, len(plans), set_aside)
        yield first
        return
    # `here_first` (the summary table) takes about as long as a sheet per SUMMARY_ROWS rows.
    # Each process paints the sheets it lays out; the front matter here, once the counts are
    # in, costs about what the child spends packing its sheets up.
    ours_count = (len(plans) - len(plans) // SUMMARY_ROWS) // 2
    ours, theirs = plans[:ours_count], plans[ours_count:]

    def child(send: parallel.Send) -> None:
        # No progress from here: reporting it writes to the database, which the child may not use.
        _lay_out_in_turn(theirs, path, lambda done, total: None, len(theirs), set_aside)
        send(parallel.dumps([(plan.tight, plan.pages) for plan in theirs]))
        paint_ahead.paint(_pages(theirs), language)
        send(parallel.dumps([plan.laid_out for plan in theirs]))

    with parallel.forked(child) as receive:
        first = here_first()
        _lay_out_in_turn(ours, path, report, len(plans), set_aside)
        # Painting needs no page numbers: it is done while the child ends its sheets.
        paint_ahead.paint(_pages(ours), language)
        for plan, (tight, pages) in zip(theirs, parallel.loads(receive()), strict=True):
            plan.tight, plan.pages = tight, pages
        report(len(plans), len(plans))
        yield first
        for plan, laid_out in zip(theirs, parallel.loads(receive()), strict=True):
            plan.laid_out = laid_out


def _pages(plans: list[Planned]) -> list:
    return [page for plan in plans for page in plan.laid_out.pages]


def _lay_out_in_turn(
    plans: list[Planned], path: str, report: Progress, total: int, set_aside: SetAside
) -> None:
    for done, plan in enumerate(plans, start=1):
        lay_out_sheet(plan, path)
        set_aside()
        report(done, total)


def agency_book_pdf(agency: Agency, year: int, progress: Progress | None = None) -> bytes:
    """The agency's book; `progress(done, total)` follows the sheets as they are laid out."""
    report = progress or (lambda done, total: None)
    fiscal_year = FiscalYear.objects.get(pk=year)
    path = book_path(agency, year)
    plans = [Planned(summarize(i, with_paths=True)) for i in agency_indicators(agency, year)]
    context = _book_context(agency, fiscal_year, plans, path)
    lay_out_summary = partial(document, SUMMARY, context, OWN_MARGIN_BOXES)
    with collector.sets_aside_what_lives() as set_aside:
        laying_out = sheets_laid_out(
            plans, path, report, lay_out_summary, set_aside, context["language"]
        )
        with laying_out as summary:
            front, total = book_numbers.lay_out_front(context, plans, len(summary.pages))
            numbers = book_numbers.lay_out_numbers(context, len(front.pages) + 1, total)
            # The contents' dotted leaders are thousands of boxes: painted while the child
            # paints, not in the serial write.
            paint_ahead.paint([*front.pages, *summary.pages], context["language"])
        body = [*summary.pages, *_pages(plans)]
        book = front.copy([*front.pages, *book_numbers.number(body, numbers)])
        set_aside()
        return write(book)


def _book_context(agency: Agency, fiscal_year: FiscalYear, plans: list, path: str) -> dict:
    return {
        **common_context(path),
        "agency": agency,
        "fiscal_year": fiscal_year,
        "plans": plans,
        "summaries": [plan.summary for plan in plans],
        "routine_mission": ROUTINE_MISSION,
        "title": gettext("สมุดตัวชี้วัด %(agency)s ปีงบประมาณ %(year)s")
        % {"agency": agency.name, "year": fiscal_year.year},
    }
