"""Printable documents: one function per document, one template per document.

WeasyPrint reads only files under the static directories (fonts and CSS): no network, no
dependence on fonts installed on the server. Documents are tagged PDF/UA-1 with a title and
language, so screen readers and text extraction follow the reading order.
"""

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from indicators import access
from indicators.dates import thai_date  # the one rule for Buddhist Era dates
from indicators.models import Agency, FiscalYear, Indicator
from indicators.summaries import (
    ROUTINE_MISSION,
    IndicatorSummary,
    detail_queryset,
    summarize,
)
from reports import pdf_text  # noqa: F401  (installs the extractable text stream)
from reports.fonts import pdf_font_bytes

PDF_VARIANT = "pdf/ua-1"
FONT_CSS = "css/fonts.css"
PDF_CSS = "css/pdf.css"

Progress = Callable[[int, int], None]


def _static_roots() -> list[Path]:
    return [Path(root).resolve() for root in settings.STATICFILES_DIRS]


def static_base() -> str:
    """The address that relative URLs in the documents and stylesheets resolve against."""
    return _static_roots()[0].as_uri() + "/"


def _static_path(url: str) -> Path | None:
    """The file on disk behind a file:// address inside the static files, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path)).resolve()
    inside = any(path.is_relative_to(root) for root in _static_roots())
    return path if inside and path.is_file() else None


class StaticFetcher(URLFetcher):
    """Serve static files from disk; refuse everything else (no HTTP, no file:// roaming)."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = _static_path(url)
        if path is None:
            raise ValueError(f"refused: {url}")
        if path.suffix == ".ttf":
            return URLFetcherResponse(url, pdf_font_bytes(path))
        return URLFetcherResponse(url, path.read_bytes())


url_fetcher = StaticFetcher()


class _Styles:
    """Fonts and stylesheets parsed once per process: parsing them costs more than a page."""

    _cache: tuple[FontConfiguration, list[CSS]] | None = None

    @classmethod
    def get(cls) -> tuple[FontConfiguration, list[CSS]]:
        if cls._cache is None:
            fonts = FontConfiguration()
            sheets = [
                CSS(url=static_base() + name, url_fetcher=url_fetcher, font_config=fonts)
                for name in (FONT_CSS, PDF_CSS)
            ]
            cls._cache = (fonts, sheets)
        return cls._cache


def _document(template: str, context: dict):
    html = render_to_string(template, context)
    fonts, sheets = _Styles.get()
    return HTML(string=html, base_url=static_base(), url_fetcher=url_fetcher).render(
        stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT
    )


def _write(document) -> bytes:
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


def sheet_path(indicator: Indicator) -> str:
    return reverse(
        "reports:indicator-sheet",
        kwargs={"year": indicator.fiscal_year_id, "code": indicator.code},
    )


def _common(path: str) -> dict:
    return {
        "language": get_language() or settings.LANGUAGE_CODE,
        "printed_on": thai_date(timezone.localdate()),
        "address": settings.SITE_URL.rstrip("/") + path,
    }


def _sheet_context(summary: IndicatorSummary) -> dict:
    indicator = summary.indicator
    return {
        **_common(sheet_path(indicator)),
        "summary": summary,
        "indicator": indicator,
        "fiscal_year": indicator.fiscal_year,
        "agency": indicator.agency,
        "title": f"{indicator.code} {indicator.name}",
        "routine_mission": ROUTINE_MISSION,
    }


def indicator_sheet_pdf(indicator: Indicator) -> bytes:
    """The detail sheet of one indicator (รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล)."""
    summary = summarize(indicator, with_paths=True)
    return _write(_document("reports/pdf/sheet.html", _sheet_context(summary)))


def book_path(agency: Agency, year: int) -> str:
    return reverse("reports:agency-book", kwargs={"year": year, "code": agency.prefix})


def agency_indicators(agency: Agency, year: int):
    """A book is a publication, shared by every reader: it holds what the public may see."""
    return (
        detail_queryset(access.PUBLIC_SCOPE)
        .filter(agency=agency, fiscal_year_id=year)
        .order_by("number")
    )


def agency_book_pdf(agency: Agency, year: int, progress: Progress | None = None) -> bytes:
    """An agency's book: cover, summary table, then one sheet per indicator.

    Each sheet is laid out on its own (its page numbers count within the sheet, as on a
    printed sheet) and the pages are joined into one PDF; `progress(done, total)` is called
    after each sheet so a background build can report how far it is.
    """
    fiscal_year = FiscalYear.objects.get(pk=year)
    summaries = [summarize(i, with_paths=True) for i in agency_indicators(agency, year)]
    total = len(summaries)
    front = _document(
        "reports/pdf/book.html",
        {
            **_common(book_path(agency, year)),
            "agency": agency,
            "fiscal_year": fiscal_year,
            "summaries": summaries,
            "title": gettext("สมุดตัวชี้วัด %(agency)s ปีงบประมาณ %(year)s")
            % {"agency": agency.name, "year": year},
        },
    )
    pages = list(front.pages)
    for done, summary in enumerate(summaries, start=1):
        pages.extend(_document("reports/pdf/sheet.html", _sheet_context(summary)).pages)
        if progress:
            progress(done, total)
    return _write(front.copy(pages))
