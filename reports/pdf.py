"""Printable documents: one function per document, one template per document.

WeasyPrint reads only files under the static directories (fonts and CSS): no network, no
dependence on fonts installed on the server. Documents are tagged PDF/UA-1 with a title and
language, so screen readers and text extraction follow the reading order.
"""

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from indicators.dates import thai_date  # the one rule for Buddhist Era dates
from indicators.models import Indicator
from indicators.summaries import (
    ROUTINE_MISSION,
    IndicatorSummary,
    summarize,
)
from reports import pdf_speed, pdf_text  # noqa: F401 (installed on import: the text stream, costs)
from reports.fonts import pdf_font_bytes

PDF_VARIANT = "pdf/ua-1"
FONT_CSS = "css/fonts.css"
PDF_CSS = "css/pdf.css"


def _static_roots() -> list[Path]:
    return [Path(root).resolve() for root in settings.STATICFILES_DIRS]


def static_base() -> str:
    """The address that relative URLs in the documents and stylesheets resolve against."""
    return _static_roots()[0].as_uri() + "/"


def _inside_static(path: Path) -> Path | None:
    roots = [*_static_roots(), Path(settings.STATIC_ROOT).resolve()]
    path = path.resolve()
    inside = any(path.is_relative_to(root) for root in roots)
    return path if inside and path.is_file() else None


def _unhashed(name: str) -> str:
    """css/print.3f2a…css → css/print.css, by the manifest when there is one."""
    hashed = getattr(staticfiles_storage, "hashed_files", None) or {}
    originals = {value: key for key, value in hashed.items()}
    return originals.get(name, re.sub(r"\.[0-9a-f]{12}(\.[^./]+)$", r"\1", name))


def _by_static_name(name: str) -> Path | None:
    """A static file by its name under STATIC_URL, hashed (collected) or as in the sources."""
    collected = _inside_static(Path(settings.STATIC_ROOT) / name)
    if collected:
        return collected
    found = finders.find(name) or finders.find(_unhashed(name))
    return _inside_static(Path(found)) if found else None


def static_path(url: str) -> Path | None:
    """The static file behind a document's address, else None.

    Two kinds arrive: file:// addresses inside the static folders (relative URLs resolved
    against `static_base()`), and /static/… addresses that {% static %} wrote, hashed when
    the manifest storage serves the site (`make demo`, production).
    """
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    direct = _inside_static(Path(path))
    if direct or not path.startswith(prefix):
        return direct
    return _by_static_name(path.removeprefix(prefix))


class StaticFetcher(URLFetcher):
    """Serve static files from disk; refuse everything else (no HTTP, no file:// roaming)."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            raise ValueError(f"refused: {url}")
        # <link rel=stylesheet> is applied only when its type says text/css.
        headers = {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"}
        body = pdf_font_bytes(path) if path.suffix == ".ttf" else path.read_bytes()
        return URLFetcherResponse(url, body, headers=headers)


url_fetcher = StaticFetcher()


def styles() -> None:
    """Parse the fonts and stylesheets now (a web worker's warm-up, kpi_portal/warmup.py)."""
    _Styles.get()


def shared_fonts() -> FontConfiguration:
    """The one font configuration of this process, which every document's styles point to."""
    return _Styles.get(())[0]


class _Styles:
    """Fonts and stylesheets parsed once per process: parsing them costs more than a page."""

    _fonts: FontConfiguration | None = None
    _sheets: dict[str, CSS] = {}
    _strings: dict[str, CSS] = {}
    STRINGS_KEPT = 16  # extra rules are a few constants (a tighter page, no margin boxes)

    @classmethod
    def get(cls, names: tuple[str, ...] = (FONT_CSS, PDF_CSS)) -> tuple[FontConfiguration, list]:
        if cls._fonts is None:
            cls._fonts = FontConfiguration()
        for name in names:
            if name not in cls._sheets:
                url = static_base() + name
                cls._sheets[name] = CSS(url=url, url_fetcher=url_fetcher, font_config=cls._fonts)
        return cls._fonts, [cls._sheets[name] for name in names]

    @classmethod
    def from_string(cls, rules: str, fonts: FontConfiguration) -> CSS:
        """Extra rules, parsed once. Our fetcher is passed on purpose: without one WeasyPrint
        makes a default fetcher, whose SSL context costs some 50 ms a document."""
        if rules not in cls._strings:
            if len(cls._strings) >= cls.STRINGS_KEPT:
                cls._strings.clear()
            cls._strings[rules] = CSS(string=rules, url_fetcher=url_fetcher, font_config=fonts)
        return cls._strings[rules]


def render(html: str, stylesheets: tuple[str, ...] = (FONT_CSS, PDF_CSS), extra_css: str = ""):
    """Lay out one of our documents: static files only, Sarabun only, tagged PDF/UA-1."""
    fonts, sheets = _Styles.get(stylesheets)
    if extra_css:
        sheets = [*sheets, _Styles.from_string(extra_css, fonts)]
    return HTML(string=html, base_url=static_base(), url_fetcher=url_fetcher).render(
        stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT
    )


def document(template: str, context: dict, extra_css: str = ""):
    """Lay out a template of ours with its context."""
    return render(render_to_string(template, context), extra_css=extra_css)


def write(document) -> bytes:
    """The PDF of a laid-out document, with the options every document of ours shares."""
    with pdf_text.document_language(document.metadata.lang or settings.LANGUAGE_CODE):
        return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


def sheet_path(indicator: Indicator) -> str:
    return reverse(
        "reports:indicator-sheet",
        kwargs={"year": indicator.fiscal_year_id, "code": indicator.code},
    )


def common_context(path: str) -> dict:
    return {
        "language": get_language() or settings.LANGUAGE_CODE,
        "printed_on": thai_date(timezone.localdate()),
        "address": settings.SITE_URL.rstrip("/") + path,
    }


def sheet_context(summary: IndicatorSummary, path: str = "") -> dict:
    """A sheet's context; `path` is the address in its footer (a book's, inside a book)."""
    indicator = summary.indicator
    return {
        **common_context(path or sheet_path(indicator)),
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
    return write(document("reports/pdf/sheet.html", sheet_context(summary)))
