"""Agency books: cover, contents and summary, then every sheet from a new page.

Each sheet is laid out once, on its own (sheets do not depend on each other, and many small
documents lay out faster than one long one). A sheet that spills a few lines onto a page of
their own is laid out once more, tighter, and the shorter one kept.

Page numbers run through the book, and the contents cite them, yet no sheet is laid out again
to number it. The front matter (cover, contents) is one document that ends with a blank
stand-in page for every page of the summary and of every sheet; WeasyPrint numbers it as the
whole book (`counter(page)`, `counter(pages)`, `target-counter()` in the contents). Each
summary and sheet page then takes the page margin boxes (running header and footer) of its
stand-in, and the stand-ins are dropped. The summary table is a document of its own so that it
is laid out while a long book's child process lays out sheets (parallel.py).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from weasyprint.formatting_structure.boxes import MarginBox

from indicators import access
from indicators.models import Agency, FiscalYear
from indicators.summaries import ROUTINE_MISSION, IndicatorSummary, detail_queryset, summarize
from reports import collector, paint_ahead, parallel
from reports.pdf import common_context, document, render, sheet_context, write

Progress = Callable[[int, int], None]
SetAside = Callable[[], None]
SHEET = "reports/pdf/sheet.html"
FRONT = "reports/pdf/book.html"
SUMMARY = "reports/pdf/book_summary.html"
# A tighter sheet also has narrower top and bottom margins (the .tight rules in pdf.css); its
# stand-in pages are named `tight` so their header and footer sit where the sheet's would.
TIGHT_MARGINS = "margin-top: 17mm; margin-bottom: 17mm;"
TIGHT_PAGE = f"@page {{ {TIGHT_MARGINS} }}\n"
# Every page of a sheet or of the summary lays out its own running header and address (the same
# on every page of the book, and laid out beside the child process); only the page number,
# which counts the whole book, comes from its stand-in, whose page lays out nothing else.
OWN_MARGIN_BOXES = "@page { @bottom-right { content: none; } }\n"
STAND_IN_MARGIN_BOXES = (
    "@top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; }"
)
FRONT_CSS = (
    f"@page stand-in {{ {STAND_IN_MARGIN_BOXES} }}\n"
    f"@page tight {{ {TIGHT_MARGINS} {STAND_IN_MARGIN_BOXES} }}\n"
)
# Books of at least this many sheets are laid out in two processes (parallel.py). Only the
# background worker builds them (books.INLINE_BOOK_MAX): a web worker never forks.
PARALLEL_MIN = 24
SUMMARY_ROWS = 12
# Painting a sheet's pages costs about a quarter of laying the sheet out.
PAINT_SHARE = 0.25
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

    @property
    def stand_ins(self) -> range:
        return range(self.pages)


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
    first, then its laid-out sheets: the front matter, which needs only the counts, is laid
    out here while the child packs the sheets up. `set_aside()` runs after each sheet, in
    both processes (collector.py).
    """
    if len(plans) < PARALLEL_MIN or not parallel.available():
        first = here_first()
        _lay_out_in_turn(plans, path, report, len(plans), set_aside)
        yield first
        return
    # `here_first` (the summary table) takes about as long as a sheet per SUMMARY_ROWS rows,
    # and this process paints its sheets before the child's counts arrive, the child after.
    ours_count = round((len(plans) - len(plans) // SUMMARY_ROWS) / (2 + PAINT_SHARE))
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


def with_margins_of(page, stand_in):
    """`page` with the page margin box of `stand_in` (the page number) beside its own."""
    margins = tuple(c for c in stand_in._page_box.children if isinstance(c, MarginBox))
    page._page_box.children = (*page._page_box.children, *margins)
    return page


def join(front, laid_out: list) -> list:
    """The front pages, then every page of the laid-out documents numbered by its stand-in."""
    first_stand_in = len(front.pages) - sum(len(part.pages) for part in laid_out)
    pages = list(front.pages[:first_stand_in])
    stand_ins = iter(front.pages[first_stand_in:])
    for part in laid_out:
        pages += [with_margins_of(page, next(stand_ins)) for page in part.pages]
    return pages


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
            context["summary_stand_ins"] = range(len(summary.pages))
            front = render(render_to_string(FRONT, context), extra_css=FRONT_CSS)
            # The contents' dotted leaders are thousands of boxes: painted while the child
            # paints, not in the serial write.
            stand_ins = len(summary.pages) + sum(plan.pages for plan in plans)
            own = front.pages[: len(front.pages) - stand_ins] + summary.pages
            paint_ahead.paint(own, context["language"])
        book = front.copy(join(front, [summary, *(plan.laid_out for plan in plans)]))
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
