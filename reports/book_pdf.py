"""Agency books: cover, contents and summary, then every sheet from a new page.

Sheets are laid out one by one (they do not depend on each other) and their pages joined,
which costs less than one long document. Page numbers run through the book, so each sheet
is laid out twice: first to count its pages (and to see whether it spills a few lines onto
a page of their own, when a tighter setting is tried), then numbered from its first page
with the book's total, which the contents page cites too.
"""

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from indicators import access
from indicators.models import Agency, FiscalYear
from indicators.summaries import ROUTINE_MISSION, IndicatorSummary, detail_queryset, summarize
from reports.pdf import common_context, document, render, sheet_context, write

Progress = Callable[[int, int], None]
# A tighter sheet also has narrower top and bottom margins (the .tight rules in pdf.css).
TIGHT_PAGE = "@page { margin-top: 17mm; margin-bottom: 17mm; }\n"
SHEET = "reports/pdf/sheet.html"
FRONT = "reports/pdf/book.html"
# A sheet whose last page ends above this share of the page (a third: some ten lines
# under the header) is tried tighter.
NEAR_EMPTY = 0.35


@dataclass
class Planned:
    """How a sheet is set in the book: tighter or not, how many pages, from which page."""

    summary: IndicatorSummary
    tight: bool = False
    pages: int = 0
    first_page: int = 0


def book_path(agency: Agency, year: int) -> str:
    return reverse("reports:agency-book", kwargs={"year": year, "code": agency.prefix})


def agency_indicators(agency: Agency, year: int):
    """A book is a publication, shared by every reader: it holds what the public may see."""
    return (
        detail_queryset(access.PUBLIC_SCOPE)
        .filter(agency=agency, fiscal_year_id=year)
        .order_by("number")
    )


def numbering_css(first_page: int, total: int) -> str:
    """Number a part of the book from `first_page`, out of the book's `total` pages."""
    return (
        f"@page :first {{ counter-reset: page {first_page}; }}\n"
        "@page { @bottom-right { content: string(printed) ' · ' string(page-label) ' ' "
        f"counter(page) ' ' string(page-of) ' {total}'; }} }}"
    )


def ends_near_top(laid_out) -> bool:
    """More than one page, and the last one holds only a few lines."""
    if len(laid_out.pages) < 2:
        return False
    last = laid_out.pages[-1]
    ends = [y for name, (_x, y, _x2, _y2) in last.anchors.items() if name.startswith("end-")]
    return bool(ends) and ends[0] / last.height < NEAR_EMPTY


def _sheet(plan: Planned, path: str, extra_css: str = ""):
    context = sheet_context(plan.summary, path) | {"tight": plan.tight}
    return document(SHEET, context, (TIGHT_PAGE if plan.tight else "") + extra_css)


def plan_sheet(plan: Planned, path: str) -> Planned:
    """Count the sheet's pages; set it tighter when that saves a nearly empty page."""
    laid_out = _sheet(plan, path)
    plan.pages = len(laid_out.pages)
    if ends_near_top(laid_out):
        tighter = _sheet(Planned(plan.summary, tight=True), path)
        if len(tighter.pages) < plan.pages:
            plan.tight, plan.pages = True, len(tighter.pages)
    return plan


# Sheets counted in child processes (fork: they share the summaries, nothing is sent over).
_JOB: tuple[list[Planned], str] = ([], "")
_INHERITED: list = []  # the parent's database connections, kept referenced and never used
PARALLEL_MIN = 8  # fewer sheets than this are not worth starting processes for


def _detach_database() -> None:
    """In a child: drop the parent's connections without closing them (that would end them
    for the parent too); laying out a sheet needs no query, a stray one opens its own."""
    for connection in connections.all(initialized_only=True):
        _INHERITED.append(connection.connection)
        connection.connection = None


def _plan_index(index: int) -> tuple[bool, int]:
    plans, path = _JOB
    plan = plan_sheet(plans[index], path)
    return plan.tight, plan.pages


def plan_sheets(plans: list[Planned], path: str, report: Progress) -> None:
    """Count every sheet's pages, in BOOK_LAYOUT_PROCESSES processes when the book is large."""
    processes = min(settings.BOOK_LAYOUT_PROCESSES, os.cpu_count() or 1)
    total = len(plans)
    if processes < 2 or total < PARALLEL_MIN:
        for done, plan in enumerate(plans, start=1):
            plan_sheet(plan, path)
            report(done // 2, total)
        return
    global _JOB
    _JOB = (plans, path)
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_detach_database)
    with pool:
        results = pool.imap(_plan_index, range(total))
        for done, (plan, (tight, pages)) in enumerate(zip(plans, results, strict=True), 1):
            plan.tight, plan.pages = tight, pages
            report(done // 2, total)
    _JOB = ([], "")


def _front(context: dict, plans: list[Planned], extra_css: str = ""):
    html = render_to_string(FRONT, context | {"plans": plans})
    return render(html, extra_css=extra_css)


def agency_book_pdf(agency: Agency, year: int, progress: Progress | None = None) -> bytes:
    """The agency's book; `progress(done, total)` follows the sheets through both passes."""
    report = progress or (lambda done, total: None)
    fiscal_year = FiscalYear.objects.get(pk=year)
    path = book_path(agency, year)
    plans = [Planned(summarize(i, with_paths=True)) for i in agency_indicators(agency, year)]
    total = len(plans)
    context = _front_context(agency, fiscal_year, [p.summary for p in plans], path)
    plan_sheets(plans, path, report)
    draft = _front(context, plans)  # the contents' numbers change no line, nor the page count
    context["summary_page"] = next(
        number for number, page in enumerate(draft.pages, start=1) if "summary" in page.anchors
    )
    page = len(draft.pages) + 1
    for plan in plans:
        plan.first_page, page = page, page + plan.pages
    pages_in_book = page - 1
    front = _front(context, plans, numbering_css(1, pages_in_book))
    pages = list(front.pages)
    for done, plan in enumerate(plans, start=1):
        pages += _sheet(plan, path, numbering_css(plan.first_page, pages_in_book)).pages
        report((total + done) // 2, total)
    return write(front.copy(pages))


def _front_context(agency: Agency, fiscal_year: FiscalYear, summaries: list, path: str) -> dict:
    return {
        **common_context(path),
        "agency": agency,
        "fiscal_year": fiscal_year,
        "summaries": summaries,
        "routine_mission": ROUTINE_MISSION,
        "title": gettext("สมุดตัวชี้วัด %(agency)s ปีงบประมาณ %(year)s")
        % {"agency": agency.name, "year": fiscal_year.year},
    }
