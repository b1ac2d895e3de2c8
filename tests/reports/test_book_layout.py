"""A book reads as one document: continuous page numbers, contents that cite them, its own
address in the footer, each sheet from a new page, no page left with a few stray lines."""

import re

import pytest
from django.conf import settings

from indicators.models import Agency, Indicator, QuarterReport
from indicators.summaries import summarize
from reports import book_numbers, book_pdf, books, paint_ahead, parallel, pdf
from tests.reports import pdftools
from tests.reports.test_books import book_url, pdf_of
from tests.reports.test_extraction import LABELS, assert_extracts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def book(django_db_setup, django_db_blocker) -> bytes:
    with django_db_blocker.unblock():
        return book_pdf.agency_book_pdf(Agency.objects.get(prefix="5030"), 2564)


def _pages(data: bytes) -> list[str]:
    return [pdftools.normalize(page) for page in pdftools.text(data).split("\f")]


def test_page_numbers_run_through_the_book(book):
    total = int(pdftools.info(book)["Pages"])
    assert total >= 9
    pages = pdftools.text(book)
    for number in range(2, total + 1):
        assert f"หน้า {number} จาก {total}" in pages
    assert "หน้า 9 จาก" in pages


def test_contents_cite_the_page_each_sheet_starts_on(book):
    raw = pdftools._run("pdftotext", book, "-layout", "-enc", "UTF-8").split("\f")
    codes = Indicator.objects.filter(agency__prefix="5030", fiscal_year=2564).values_list(
        "code", flat=True
    )
    contents = next(page for page in raw if "สารบัญ" in page)
    for code in codes:
        cited = int(re.search(rf"{code}.*?\.\.\.\s*(\d+)", contents, re.DOTALL).group(1))
        sheet_page = raw[cited - 1]
        assert "รายละเอียดตัวชี้วัด" in sheet_page and f": {code}" in sheet_page, code


def test_summary_is_cited_and_numbered_like_a_sheet(book):
    """The summary table is laid out on its own, with a sheet's header, footer and number."""
    raw = pdftools._run("pdftotext", book, "-layout", "-enc", "UTF-8").split("\f")
    contents = next(page for page in raw if "สารบัญ" in page)
    cited = int(re.search(r"สรุปผลตัวชี้วัด\s*\.\.\.[.\s]*(\d+)", contents).group(1))
    summary_page = pdftools.normalize(raw[cited - 1])
    assert "สรุปผลตัวชี้วัด" in summary_page and "รหัส" in summary_page
    assert f"หน้า {cited} จาก" in summary_page
    assert "กรุงเทพมหานคร" in summary_page  # the running header


def test_footer_has_the_books_address_and_print_date(book):
    text = pdftools.text(book).replace(" ", "")
    address = settings.SITE_URL + "/reports/2564/agencies/5030.pdf"
    assert text.count(address) >= int(pdftools.info(book)["Pages"]) - 1  # not on the cover
    assert "/sheet.pdf" not in text
    assert "พิมพ์เมื่อ" in text


def test_every_page_after_the_cover_has_one_header_and_one_footer(book):
    """Sheets lay out their own header and address; the page number is put in afterwards."""
    address = (settings.SITE_URL + "/reports/2564/agencies/5030.pdf").replace(" ", "")
    total = int(pdftools.info(book)["Pages"])
    for number, page in enumerate(_pages(book)[1:total], start=2):
        text = page.replace(" ", "")
        assert text.count(address) == 1, number
        assert text.count(f"หน้า{number}จาก{total}") == 1, number
        assert text.count("ปีงบประมาณ") >= 1, number  # the running header


def test_book_text_extracts_with_every_tool(book):
    words = sorted({word for label in LABELS for word in label.split()})
    assert_extracts(book, [*words, "สารบัญ", "สรุปผลตัวชี้วัด"])


def test_a_few_spilled_lines_are_pulled_back_by_a_tighter_layout(client):
    """A sheet that ends near the top of a page of its own is set tighter in the book."""
    indicator = Indicator.objects.filter(agency__prefix="5030", fiscal_year=2564).last()
    report = QuarterReport.objects.filter(indicator=indicator).first()
    summary = indicator.summary or ""
    for extra in range(0, 4000, 150):  # grow the sheet until it just spills over
        indicator.summary = summary + " ข้อความเพิ่มเติม" * (extra // 15)
        indicator.save()
        document = pdf.document(
            "reports/pdf/sheet.html",
            pdf.sheet_context(summarize(indicator, with_paths=True)),
        )
        if len(document.pages) == 2:
            break
    assert report is not None and len(document.pages) == 2
    data = pdf_of(client.get(book_url()))
    sheet_pages = [page for page in _pages(data) if f": {indicator.code}" in page]
    assert len(sheet_pages) == 1  # the spill was pulled back onto the sheet's page


def test_each_sheet_is_laid_out_once_and_the_front_once(monkeypatch):
    """Numbering the book lays nothing out again: only a spilling sheet is tried tighter."""
    agency = Agency.objects.get(prefix="5030")
    sheets: list[tuple[str, bool]] = []
    fronts: list[int] = []
    real_sheet, real_render = book_pdf._sheet, book_numbers.render

    def sheet(summary, path, tight):
        sheets.append((summary.indicator.code, tight))
        return real_sheet(summary, path, tight)

    monkeypatch.setattr(book_pdf, "_sheet", sheet)
    monkeypatch.setattr(
        book_numbers, "render", lambda *a, **k: fronts.append(1) or real_render(*a, **k)
    )
    data = book_pdf.agency_book_pdf(agency, 2564)
    codes = list(
        Indicator.objects.filter(agency=agency, fiscal_year=2564)
        .order_by("number")
        .values_list("code", flat=True)
    )
    assert [code for code, tight in sheets if not tight] == codes
    assert len(sheets) - len(codes) == len({code for code, tight in sheets if tight})
    assert fronts == [1]
    assert f"หน้า 2 จาก {pdftools.info(data)['Pages']}" in pdftools.text(data)


def test_a_long_book_laid_out_in_two_processes_is_the_same_book(book, monkeypatch):
    """The child's sheets join this process's before one write: tags, numbers, links hold.

    Every page comes painted, by the child or here while it works (paint_ahead.py)."""
    forks: list[int] = []
    taken: list = []
    real_forked, real_take = parallel.forked, paint_ahead._take
    monkeypatch.setattr(book_pdf, "PARALLEL_MIN", 2)
    monkeypatch.setattr(parallel, "forked", lambda work: forks.append(1) or real_forked(work))
    monkeypatch.setattr(
        paint_ahead, "_take", lambda page, *a: taken.append(page) or real_take(page, *a)
    )
    data = book_pdf.agency_book_pdf(Agency.objects.get(prefix="5030"), 2564)
    assert forks == [1]
    # The cover is painted at write time: the document's fonts are loaded by its first page.
    assert len(taken) == int(pdftools.info(data)["Pages"]) - 1
    assert pdftools.extractions(data) == pdftools.extractions(book)
    assert pdftools.info(data)["Tagged"] == "yes"
    assert pdftools.fonts(data) == pdftools.fonts(book)
    assert _links(data) == _links(book)


def test_only_books_built_in_the_background_fork():
    """A web worker never forks: books it builds inline are below the parallel size."""
    assert book_pdf.PARALLEL_MIN > books.INLINE_BOOK_MAX


def _links(data: bytes) -> list[list[tuple[int, str]]]:
    """Every page's links: the page an internal one leads to, or the address."""
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        return [
            [(link.get("page", -1), link.get("uri", "")) for link in page.get_links()]
            for page in document
        ]
