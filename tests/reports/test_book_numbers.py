"""reports/book_numbers.py: a page's number, laid out apart and put into its empty bottom-right
box, lands where WeasyPrint lays out the same number in that box; the front matter settles on
its length whatever the first guess."""

import pymupdf
import pytest

from indicators.models import Agency, Indicator
from indicators.summaries import summarize
from reports import book_numbers, book_pdf, pdf
from tests.reports import pdftools

pytestmark = pytest.mark.django_db


def _words(data: bytes) -> list[list[tuple]]:
    """Every page's words with their boxes, to a hundredth of a point."""
    with pymupdf.open(stream=data, filetype="pdf") as document:
        return [
            [(word[4], *(round(value, 2) for value in word[:4])) for word in page.get_text("words")]
            for page in document
        ]


@pytest.mark.parametrize("extra_css", ["", book_pdf.TIGHT_PAGE])
def test_a_number_put_in_lands_where_the_margin_box_sets_it(extra_css):
    """pdf.css numbers a sheet of its own "หน้า 1 จาก 2" in the box: the same, put in."""
    indicator = Indicator.objects.get(code="5030-1052", fiscal_year=2564)
    context = pdf.sheet_context(summarize(indicator))
    own = pdf.document("reports/pdf/sheet.html", context, extra_css)
    put = pdf.document("reports/pdf/sheet.html", context, extra_css + book_numbers.EMPTY_NUMBER_BOX)
    numbers = book_numbers.lay_out_numbers(context, 1, len(put.pages))
    put = put.copy(book_numbers.number(put.pages, numbers))
    assert len(own.pages) == len(put.pages) > 1
    written = pdf.write(put)
    assert _words(written) == _words(pdf.write(own))
    assert f"หน้า 2 จาก {len(put.pages)}" in pdftools.text(written)


def test_a_wrong_guess_of_the_contents_length_lays_the_front_out_again(monkeypatch):
    agency = Agency.objects.get(prefix="5030")
    book = book_pdf.agency_book_pdf(agency, 2564)
    fronts: list[int] = []
    real_render = book_numbers.render
    monkeypatch.setattr(book_numbers, "CONTENTS_LINES", 1)  # guesses a page a line
    monkeypatch.setattr(
        book_numbers, "render", lambda *a, **k: fronts.append(1) or real_render(*a, **k)
    )
    guessed = book_pdf.agency_book_pdf(agency, 2564)
    assert len(fronts) == 2
    assert pdftools.extractions(guessed) == pdftools.extractions(book)


def test_every_page_after_the_front_gets_one_number():
    with pytest.raises(ValueError, match="3 page numbers for 2 pages"):
        indicator = Indicator.objects.get(code="5030-1052", fiscal_year=2564)
        context = pdf.sheet_context(summarize(indicator))
        sheet = pdf.document("reports/pdf/sheet.html", context, book_numbers.EMPTY_NUMBER_BOX)
        book_numbers.number(sheet.pages, book_numbers.lay_out_numbers(context, 1, 3))
