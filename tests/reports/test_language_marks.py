"""Thai content inside English pages and English PDFs is marked lang="th" for screen readers."""

import re

import pytest

from tests.reports import pdftools
from tests.reports.test_extraction import assert_extracts
from tests.reports.test_sheet import get_sheet

pytestmark = pytest.mark.django_db
DETAIL = "/indicators/2564/5030-1052/"


def test_english_detail_page_marks_thai_content(client):
    client.cookies["django_language"] = "en"
    page = client.get(DETAIL).text
    assert re.search(r'<html lang="en', page)
    assert re.search(r'<h2 class="indicator-name" id="indicator-name" lang="th">', page)
    assert len(re.findall(r'<p lang="th">', page)) >= 4  # narratives and the long texts


def test_thai_detail_page_needs_no_marks(client):
    assert 'lang="th">' not in client.get(DETAIL).text.split("<body", 1)[1]


def test_english_sheet_marks_thai_runs_and_still_extracts(client):
    client.cookies["django_language"] = "en"
    data = get_sheet(client)
    inflated = pdftools.inflated(data)
    assert re.search(rb"/Lang\s*\(en\)", inflated)  # the document's language
    assert inflated.count(b"/Span <</Lang (th)>> BDC") > 10  # Thai runs inside it
    assert_extracts(data, ["จำนวนเครือข่ายประชาคมที่เป็นทางการเพื่อให้ประชาชนเข้ามามีส่วนร่วมในการวางแผน"])


def test_thai_sheet_has_no_language_spans(client):
    assert b"/Lang (th)>> BDC" not in pdftools.inflated(get_sheet(client))
