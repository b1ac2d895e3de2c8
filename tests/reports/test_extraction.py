"""Text copied or searched out of our PDFs is the text put in, whichever tool reads it.

Thai marks (tone marks, upper and lower vowels, a decomposed ำ) must come back in logical
order, with no stray characters, from pdftotext (default and -layout), PyMuPDF, pdfminer.six
and pypdf: `reports.pdf_text` explains why they did not.
"""

import pytest
from weasyprint import HTML

from reports import pdf
from tests.reports import pdftools
from tests.reports.test_sheet import SEEDS, SHEET_LABELS, get_sheet

pytestmark = pytest.mark.django_db

# Every kind of mark stacking Sarabun draws: upper vowel + tone, tone over a tall consonant,
# lower vowel + tone, SARA AM with and without a tone, descenders, ฤ, numerals.
HARD_WORDS = [
    "ส่วนร่วม",
    "ตัวชี้วัด",
    "ที่เป็น",
    "จำนวน",
    "วิธีการคำนวณ",
    "นิยาม",
    "น้ำ",
    "ผลสำเร็จ",
    "น้ำหนัก",
    "การทำงาน",
    "ปีงบประมาณ",
    "กรุงเทพมหานคร",
    "ผู้รับผิดชอบ",
    "ญี่ปุ่น",
    "ฐาน",
    "ฎีกา",
    "ปฏิบัติ",
    "กิ่ง",
    "ป่า",
    "ฝั่ง",
    "ปั้น",
    "ปั่น",
    "ฝุ่น",
    "ฟ้า",
    "ฟื้น",
    "ป่วย",
    "ฝั้น",
    "ฬ่า",
    "ปี่",
    "ปิ๊ก",
    "ป๋า",
    "ฝ้าย",
    "ป้ำ",
    "ฟ้ำ",
    "ปู่",
    "ฎุ",
    "ฏุ",
    "ญู",
    "ฐุ",
    "ฤดู",
    "ก๊าซ",
    "เกี๋ยว",
    "๒๕๖๔",
]

# The seed sheets' labels, and the facts' labels beside them.
LABELS = [*SHEET_LABELS, "ประเภทตัวชี้วัด", "ค่าเป้าหมาย", "ผลงานที่ทำได้"]


def _paragraphs(words: list[str]) -> bytes:
    html = f"<html lang='th'><body><p>{' '.join(words)}</p><p><b>{' '.join(words)}</b></p>"
    fonts, sheets = pdf._Styles.get()
    document = HTML(string=html, base_url=pdf.static_base(), url_fetcher=pdf.url_fetcher)
    return document.write_pdf(stylesheets=sheets, font_config=fonts, pdf_variant=pdf.PDF_VARIANT)


def assert_extracts(data: bytes, words: list[str], squashed: list[str] = ()) -> None:
    """Each tool finds every word whole, each long string without its line breaks, no stray."""
    for tool, text in pdftools.extractions(data).items():
        found = pdftools.words(text)
        missing = [word for word in words if word not in found]
        assert not missing, f"{tool} misses {missing}"
        flat = pdftools.squash(text)
        assert all(pdftools.squash(s) in flat for s in squashed), f"{tool}: {squashed}"
        assert not pdftools.stray_characters(text), f"{tool}: {pdftools.stray_characters(text)}"


def test_every_mark_combination_extracts_in_logical_order_regular_and_bold():
    assert_extracts(_paragraphs(HARD_WORDS), HARD_WORDS)


def test_drawing_is_unchanged_by_the_extraction_widths(monkeypatch):
    """The widths given to marks are taken back in the same TJ array: nothing moves."""
    from reports import pdf_text

    with_widths = pdftools.page_png(_paragraphs(HARD_WORDS))
    monkeypatch.setattr(pdf_text, "MARK_WIDTH", 0)
    pdf_text._zero_width_glyphs.cache_clear()
    assert pdftools.same_picture(with_widths, pdftools.page_png(_paragraphs(HARD_WORDS)))


@pytest.mark.parametrize("code", ["5030-1052", "0100-814"])
def test_seed_sheet_labels_and_name_extract_with_every_tool(client, code):
    seed = next(s for s in SEEDS if f"{s['agency']}-{s['number']}" == code)
    data = get_sheet(client, code=code)
    words = sorted({word for label in LABELS for word in label.split()})
    assert_extracts(data, words, squashed=[seed["name_th"]])
