from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from indicators import access
from indicators.cache import remember
from indicators.models import Indicator
from indicators.scorecards.views import agency_card, chosen_round
from indicators.summaries import load_details, one_indicator_queryset
from reports import books, pdf, scorecards
from reports.models import BookStatus


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def indicator_sheet(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The printable detail sheet of an indicator (รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล).

    What it prints depends only on the reader's scope (which quarters they may see), so it is
    kept per scope, data version, language and day (the print date): repeated requests cost
    a query or two.
    """
    scope = access.report_scope(request.user)
    indicator = access.visible_indicator(request.user, Indicator.objects.only("pk"), year, code)

    def build() -> bytes:
        return pdf.indicator_sheet_pdf(
            load_details(one_indicator_queryset(scope).get(pk=indicator.pk))
        )

    parts = [year, code, scope.key, get_language(), timezone.localdate().isoformat()]
    data = remember("sheet-pdf", "|".join(map(str, parts)), build, year=year, scope=scope)
    return pdf_response(data, f"indicator-{code}-{year}.pdf")


def _book(request: HttpRequest, year: int, code: str, *, rebuild: bool = False):
    agency, fiscal_year = access.visible_agency_year_or_404(request.user, year, code)
    return books.book_request(
        agency=agency, fiscal_year=fiscal_year, language=get_language(), rebuild=rebuild
    )


def agency_book(request: HttpRequest, year: int, code: str) -> HttpResponseBase:
    """The agency's book when ready; otherwise the page that follows its progress."""
    book = _book(request, year, code)
    if book.status != BookStatus.READY:
        return redirect("reports:agency-book-status", year=year, code=code)
    response = FileResponse(
        book.file.open("rb"),
        content_type="application/pdf",
        filename=f"agency-{code}-{year}.pdf",
        as_attachment=False,
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def agency_book_status(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """How far the book's build is, refreshed until the download is ready."""
    book = _book(request, year, code)
    return render(
        request,
        "reports/book_status.html",
        {"book": book, "under_way": book.status in (BookStatus.PENDING, BookStatus.BUILDING)},
    )


@require_POST
def agency_book_rebuild(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """Build a failed book again, on request (the failure page's button)."""
    _book(request, year, code, rebuild=True)
    return redirect("reports:agency-book-status", year=year, code=code)


def scorecard_agreement(request: HttpRequest, year: int, prefix: str) -> HttpResponse:
    """The performance agreement of an agency-year (คำรับรองการปฏิบัติราชการ)."""
    card = agency_card(request, year, prefix)
    return pdf_response(scorecards.agreement_pdf(card), f"agreement-{prefix}-{year}.pdf")


def scorecard_result(request: HttpRequest, year: int, prefix: str) -> HttpResponse:
    """One round's scores of an agency-year (`?round=6|9|12`)."""
    card = agency_card(request, year, prefix)
    round_ = chosen_round(request, [card])
    data = scorecards.result_pdf(card, round_)
    return pdf_response(data, f"scorecard-{prefix}-{year}-{round_}.pdf")
