"""The dashboard PDF: the print view on one tagged A4 landscape page, Sarabun only, SVG charts."""

import re

import pytest

from tests.reports import pdftools
from tests.reports.test_extraction import assert_extracts

pytestmark = pytest.mark.django_db
URL = "/dashboard/2565/"
HEADINGS = [
    "แดชบอร์ดผู้บริหาร ปีงบประมาณ 2565 · ไตรมาส 4",
    "ผลตามด้านยุทธศาสตร์",
    "ผลตามกลุ่มเขต",
    "สถานะของตัวชี้วัด",
    "ระดับผลการประเมิน 5 ระดับ",
    "แนวโน้มรายไตรมาส",
    "6 หน่วยงานที่ผลสำเร็จต่ำสุด",
]


def test_dashboard_pdf_with_hashed_static_files(client, manager, hashed_static):
    client.force_login(manager)
    page = client.get(URL + "print/?quarter=4").content.decode()
    assert re.search(r"/static/css/dashboard\.[0-9a-f]{12}\.css", page)
    response = client.get(URL + "dashboard.pdf?quarter=4")
    assert response.status_code == 200
    data = response.content
    assert pdftools.info(data)["Pages"] == "1"
    assert pdftools.info(data)["Tagged"] == "yes"
    assert pdftools.page_sizes(data) == {pdftools.A4_POINTS[::-1]}
    fonts = pdftools.fonts(data)
    assert fonts and all("Sarabun" in name and embedded for name, embedded in fonts), fonts
    words = sorted({word for heading in HEADINGS for word in heading.split()})
    assert_extracts(data, words)


def test_dashboard_charts_are_vector_graphics_with_their_tables(client, manager):
    client.force_login(manager)
    page = client.get(URL + "print/?quarter=4").content.decode()
    assert page.count("<svg") >= 4 and "<canvas" not in page
    assert 'id="status-table"' in page and 'id="trend-table"' in page
    data = client.get(URL + "dashboard.pdf?quarter=4").content
    assert b"/Subtype /Image" not in pdftools.inflated(data)  # drawn, not pasted as pictures
