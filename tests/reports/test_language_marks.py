"""Thai content inside English pages and English PDFs is marked lang="th" for screen readers."""

import re

import pytest

from indicators.models import Agency
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


def _english(client, url: str) -> str:
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_english_list_marks_thai_names_but_not_english_ones(client):
    page = _english(client, "/indicators/?year=2564&agency=5030")
    assert re.search(r'<a class="card-title" href="/indicators/2564/5030-1052/" lang="th">', page)
    assert '<a href="/agencies/5030/2564/">Bang Kho Laem District Office</a>' in page


def test_english_agency_page_marks_thai_indicator_names(client):
    page = _english(client, "/agencies/5030/2564/")
    assert '<h1 class="page-title">Bang Kho Laem District Office' in page  # given in English
    assert re.search(r'<th scope="row"><a href="/indicators/2564/5030-1052/" lang="th">', page)


def test_english_dashboard_tables_mark_an_agency_named_only_in_thai(client, manager):
    # No English name, long or short: Thai is shown
    Agency.objects.filter(prefix="5030").update(name_en="", short_name_en="")
    client.force_login(manager)
    page = _english(client, "/dashboard/2564/")
    rows = re.findall(r'<th scope="row" data-value="5030">\s*<a [^>]*>', page)
    assert rows and all('lang="th"' in row for row in rows)
    others = re.findall(r'<th scope="row" data-value="0100">\s*<a [^>]*>', page)
    assert others and not any('lang="th"' in row for row in others)


@pytest.mark.parametrize("url", ["/indicators/?year=2564", "/agencies/5030/2564/"])
def test_thai_list_and_agency_pages_need_no_marks(client, url):
    assert 'lang="th"' not in client.get(url).text.split("<body", 1)[1]
