"""The printable indicator sheet: a tagged A4 PDF with Sarabun embedded and every section."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import FiscalYear, Indicator, QuarterReport
from indicators.summaries import ROUTINE_MISSION
from reports.pdf import thai_date
from tests.reports import pdftools

pytestmark = pytest.mark.django_db
SEEDS = json.loads((Path(__file__).parents[2] / "fixtures" / "seed_indicators.json").read_text())
# The section labels of the seed pages, as the sheet prints them.
SHEET_LABELS = [
    "รายละเอียดตัวชี้วัด",
    "ผลงานเทียบกับเป้าหมายรายไตรมาส",
    "สรุปผลการดำเนินงาน",
    "นิยาม หรือความหมายของตัวชี้วัด",
    "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
    "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
    "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
    "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
    "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
]
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "ก" * 150 + "W" * 150,
]


def sheet_url(year: int, code: str) -> str:
    return reverse("reports:indicator-sheet", kwargs={"year": year, "code": code})


def get_sheet(client: Client, year: int = 2564, code: str = "5030-1052") -> bytes:
    response = client.get(sheet_url(year, code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


@pytest.fixture(scope="module")
def seed_sheets(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    with django_db_blocker.unblock():
        return {code: get_sheet(Client(), code=code) for code in ("5030-1052", "0100-814")}


def test_sheet_is_a4_with_sarabun_embedded_and_no_other_font(seed_sheets):
    for data in seed_sheets.values():
        fonts = pdftools.fonts(data)
        assert fonts, "no font in the PDF"
        assert all("Sarabun" in name and embedded for name, embedded in fonts), fonts
        assert pdftools.page_sizes(data) == {pdftools.A4_POINTS}


def test_sheet_is_tagged_with_title_and_thai_language(seed_sheets):
    info = pdftools.info(seed_sheets["5030-1052"])
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("5030-1052 จำนวนเครือข่ายประชาคม")
    assert info["PDF version"] == "1.7"  # PDF/UA-1
    assert re.search(rb"/Lang\s*\(th\)", pdftools.inflated(seed_sheets["5030-1052"]))


@pytest.mark.parametrize("code", ["5030-1052", "0100-814"])
def test_sheet_holds_the_seed_strings(seed_sheets, code):
    seed = next(s for s in SEEDS if f"{s['agency']}-{s['number']}" == code)
    text = pdftools.squash(pdftools.body_text(seed_sheets[code]))
    expected = [
        *SHEET_LABELS,
        f"{seed['name_th']} : {code}",
        f"ค่าเป้าหมาย {seed['unit']} :",
        f"ผลงานที่ทำได้ {seed['unit']} :",
        "ประเภทตัวชี้วัด : ตัวชี้วัดเชิงยุทธศาสตร์ (ตัวชี้วัดระดับผลผลิต (output))",
        *[f"รายงานผลฯ ไตรมาสที่ {q}" for q in range(1, 5)],
        pdftools.normalize(seed["definition"]),
    ]
    expected += [q["narrative"] for q in seed["quarters"] if q.get("narrative")]
    # Dataset titles hold น้ำ: SARA AM after a tone mark must come back as typed.
    expected += [
        f"ข้อมูลประกอบที่ {n} : ({code} : {title})"
        for n, (code, title) in enumerate(seed["datasets"], start=1)
    ]
    for string in expected:
        assert pdftools.squash(string) in text, string


def test_sheet_sections_come_in_the_seed_order(seed_sheets):
    text = pdftools.squash(pdftools.body_text(seed_sheets["5030-1052"]))
    order = [
        "จำนวนเครือข่ายประชาคมที่เป็นทางการ",
        "ค่าเป้าหมาย เครือข่าย/สำนักงานเขต : 1",
        "ผลงานที่ทำได้ เครือข่าย/สำนักงานเขต : 1",
        "ประเภทตัวชี้วัด",
        "สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 3: 0",
        "ผลงานเทียบกับเป้าหมายรายไตรมาส",
        "รายงานผลฯ ไตรมาสที่ 1",
        "รายงานผลฯ ไตรมาสที่ 4",
        "สรุปผลการดำเนินงาน",
        "นิยาม หรือความหมายของตัวชี้วัด",
        "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
        "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
        "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
        ":ด้านที่ ๕ - มหานครประชาธิปไตย : Bangkok as a Democratic City",
        ":๕.๒.๑.๑ รับฟังความคิดเห็นของประชาชนผ่าน",
        "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
        "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
    ]
    start = text.index("รายละเอียดตัวชี้วัด")
    positions = [text.index(pdftools.squash(string), start) for string in order]
    assert positions == sorted(positions)


def test_routine_indicator_says_so(seed_sheets):
    assert ROUTINE_MISSION in pdftools.text(seed_sheets["0100-814"])


def test_header_and_footer(seed_sheets, settings):
    text = pdftools.text(seed_sheets["5030-1052"])
    assert "กรุงเทพมหานคร" in text
    assert "สำนักงานเขตบางคอแหลม" in text
    assert "ปีงบประมาณ 2564" in text
    assert f"{settings.SITE_URL}/indicators/2564/5030-1052/sheet.pdf" in text.replace(" ", "")
    assert "หน้า 1 จาก 2" in text
    assert "พิมพ์เมื่อ" in text


def test_thai_date_uses_buddhist_era_and_thai_month():
    assert thai_date(datetime.date(2026, 11, 22)) == "22 พฤศจิกายน 2569"
    assert thai_date(datetime.date(2021, 1, 5)) == "5 มกราคม 2564"


def test_missing_results_and_scores_are_spelled_out(client):
    indicator = Indicator.objects.get(fiscal_year=2564, code="5030-1052")
    report = indicator.reports.get(quarter=4)
    report.assessment.delete()
    QuarterReport.objects.filter(pk=report.pk).update(value=None)
    text = pdftools.text(get_sheet(client))
    assert "ยังไม่รายงาน" in text
    assert "ยังไม่ประเมิน" in text


def test_markup_and_long_words_are_printed_as_text(client):
    indicator = Indicator.objects.get(fiscal_year=2564, code="5030-1052")
    QuarterReport.objects.filter(indicator=indicator, quarter=1).update(narrative=" ".join(HOSTILE))
    data = get_sheet(client)
    assert pdftools.page_sizes(data) == {pdftools.A4_POINTS}
    # Nothing drawn past the right margin (16 mm) of an A4 page.
    assert pdftools.words_right_edge(data) <= pdftools.A4_POINTS[0] - 45
    text = pdftools.text(data)
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert HOSTILE[2] in text.replace(" ", "")
    objects = pdftools.inflated(data)
    assert b"/JavaScript" not in objects
    assert not re.search(rb"/Subtype\s*/Image", objects)


def test_unknown_indicator_is_404(client):
    assert client.get(sheet_url(2564, "5030-99999")).status_code == 404


def test_unpublished_year_is_hidden_from_the_public_only(client, manager):
    FiscalYear.objects.filter(pk=2564).update(is_published=False)
    assert client.get(sheet_url(2564, "5030-1052")).status_code == 404
    client.force_login(manager)
    assert client.get(sheet_url(2564, "5030-1052")).status_code == 200


def test_streams_are_deflated_at_the_default_level(seed_sheets):
    """reports/pdf_speed.py: zlib level 6, not pydyf's 9 (four times the CPU for 5 % less)."""
    data = seed_sheets["5030-1052"]
    starts = re.findall(rb"/FlateDecode.*?stream\r?\n(..)", data, flags=re.DOTALL)
    assert len(starts) > 5, "no deflated streams found"
    # The second byte of a zlib header names the level: 0x9c default (6), 0xda best (9).
    assert set(starts) == {b"\x78\x9c"}, set(starts)
