"""reports/paint_ahead.py: a page painted before the write, here or in a forked child, writes
the PDF its painting at write time would; a page it cannot stand for is painted again."""

import pytest
from weasyprint.formatting_structure.boxes import MarginBox

from indicators.models import Indicator
from indicators.summaries import summarize
from reports import paint_ahead, parallel, pdf
from tests.reports import pdftools

pytestmark = pytest.mark.django_db


def _sheet():
    indicator = Indicator.objects.get(code="5030-1052", fiscal_year=2564)
    return pdf.document("reports/pdf/sheet.html", pdf.sheet_context(summarize(indicator)))


@pytest.fixture
def taken(monkeypatch) -> list:
    """The pages whose painting ahead the write took."""
    pages: list = []
    real = paint_ahead._take
    monkeypatch.setattr(paint_ahead, "_take", lambda page, *a: pages.append(page) or real(page, *a))
    return pages


def test_a_page_painted_ahead_writes_the_same_bytes(taken):
    """The same content stream, fonts, structure tree: if WeasyPrint starts a page's stream
    differently or keeps more from painting, this fails."""
    painted, plain = _sheet(), _sheet()
    paint_ahead.paint(painted.pages, "th")
    assert all(hasattr(page, "_painted_ahead") for page in painted.pages)
    assert pdf.write(painted) == pdf.write(plain)
    # The first page is painted again: a font is loaded by the first page that uses it.
    assert len(painted.pages) > 1 and taken == painted.pages[1:]


def test_pages_painted_in_a_child_are_taken_here(taken):
    here, there = _sheet(), _sheet()  # laid out before the fork: a child may not query

    def child(send: parallel.Send) -> None:
        paint_ahead.paint(there.pages, "th")
        send(parallel.dumps(there))

    with parallel.forked(child) as receive:
        there = parallel.loads(receive())
    written = pdf.write(there)
    assert taken == there.pages[1:] and taken
    assert written == pdf.write(here)
    assert pdftools.info(written)["Tagged"] == "yes"


def test_margin_boxes_added_after_painting_are_painted_at_write_time(taken):
    """A book page takes its number after it was painted (book_numbers.py)."""
    painted, plain = _sheet(), _sheet()
    paint_ahead.paint(painted.pages, "th")
    numbered = pdf.render(
        '<html lang="th"><body><p>x</p></body></html>',
        extra_css="@page { @bottom-center { content: 'เลขหน้า ' counter(page); width: 80%; } }",
    )
    for document in (painted, plain):
        document.pages[-1]._page_box.children += tuple(
            box
            for box in numbered.pages[0]._page_box.children
            if isinstance(box, MarginBox) and box.at_keyword == "@bottom-center"
        )
    written = pdf.write(painted)
    assert taken == painted.pages[1:] and taken
    assert pdftools.extractions(written) == pdftools.extractions(pdf.write(plain))
    assert "เลขหน้า 1" in pdftools.text(written)


def test_a_page_whose_fonts_are_not_loaded_here_is_painted_again(taken):
    painted, plain = _sheet(), _sheet()
    paint_ahead.paint(painted.pages, "th")
    for page in painted.pages:
        fonts = page._painted_ahead.fonts
        key = next(iter(fonts))
        fonts[key] = ("another font", *fonts[key][1:])
    assert pdf.write(painted) == pdf.write(plain)
    assert taken == []


def test_a_page_painted_with_a_transparency_group_is_left_to_the_write(taken):
    """Groups, images and patterns are numbered per document: such a page is not kept."""
    html = '<html lang="th"><body><p style="opacity: 0.5">โปร่งแสง</p></body></html>'
    painted, plain = pdf.render(html), pdf.render(html)
    paint_ahead.paint(painted.pages, "th")
    assert not hasattr(painted.pages[0], "_painted_ahead")
    assert pdf.write(painted) == pdf.write(plain)
    assert taken == []
