"""Reading the old system's pages: both seeds as text and as HTML, each layout, each oddity."""

import io
import zipfile
from decimal import Decimal

import pytest

from indicators.digitalplans.layouts import INDEX, INDICATOR, INDICATOR_2563, parse_page
from indicators.digitalplans.sources import SourceError, read_pages
from indicators.digitalplans.values import read_number
from tests.indicators.digitalplans.pages import (
    INDEX_HTML,
    INDEX_TEXT,
    PAGE_2563,
    indicator_page,
    old_markup,
    seed_text,
)

D = Decimal


def records(name: str, content: str | bytes):
    raw = content.encode() if isinstance(content, str) else content
    return [record for page in read_pages(name, raw) for record in parse_page(page)]


def quarter_cells(record) -> list[tuple]:
    return [
        (r.quarter, r.value.value, r.score.value, r.score_2_1.value, r.score_2_2.value)
        for r in record.quarters
    ]


@pytest.mark.parametrize("as_html", [False, True])
def test_seed_0100_814_every_field_as_text_and_as_html(as_html):
    text = seed_text("0100-814")
    name, content = ("page.html", old_markup(text)) if as_html else ("page.txt", text)
    (record,) = records(name, content)
    assert record.layout == INDICATOR
    assert (record.prefix, record.number, record.display_number) == ("0100", 814, "อ.2/2")
    assert record.name.startswith("ระดับความสำเร็จในการนำข้อมูล")
    assert record.name.endswith("เพื่อนำไปสู่การแก้ไข")
    assert (record.unit, record.target.value, record.result.value) == ("ระดับ", D(5), D(3))
    assert record.kind_text == "ตัวชี้วัดเชิงยุทธศาสตร์"
    assert record.level_text == "ตัวชี้วัดระดับผลผลิต (output)"
    assert record.unlabeled == "0"
    assert (record.audit_quarter, record.audit_score.value) == (1, D(100))
    assert quarter_cells(record) == [
        (1, D(15), D(100), D(100), D(100)),
        (2, D(20), D(100), D(100), D(100)),
        (3, D(20), D(0), D(0), D(0)),
        (4, D(3), D(100), D(100), D(100)),
    ]
    assert (
        record.quarters[2].narrative == "ชลอการดำเนินการ เนื่องจากยังคงมีสถานการณ์การแพร่ระบาดของโควิด 19"
    )
    assert record.definition.startswith("เครือข่ายประชาคม หมายถึง")
    assert record.strategy_codes() == []
    assert record.strategy_lines[0] == "**** ภารกิจงานประจำของหน่วยงาน ****"
    assert record.datasets[1] == ("stat_bma0028", "ข้อมูลจุดตรวจวัดคุณภาพน้ำจำแนกตามแม่น้ำคูคลอง")
    assert record.missing == []


@pytest.mark.parametrize("as_html", [False, True])
def test_seed_5030_1052_every_field_as_text_and_as_html(as_html):
    text = seed_text("5030-1052")
    url = "https://digitalplans.bangkok.go.th/mykpi.php?pid=5030-1052&year=2564"
    name, content = ("page.html", old_markup(text, url)) if as_html else ("page.txt", text)
    (record,) = records(name, content)
    assert (record.prefix, record.number, record.display_number) == ("5030", 1052, "")
    assert record.unit == "เครือข่าย/สำนักงานเขต"
    assert record.quarters[3].score.value == D(0)
    assert record.quarters[3].score_2_1.value == D(100)
    assert record.strategy_codes() == ["5", "5.2", "5.2.1", "5.2.1.1"]
    assert record.calculation.endswith("กรุงเทพมหานครคูณ 100 หาร 1")
    assert record.year == (2564 if as_html else None)
    assert record.url == (url if as_html else "")


@pytest.mark.parametrize(
    ("printed", "value", "kept"),
    [
        ("1,407.52", D("1407.52"), ""),
        ("100.0000", D(100), ""),
        ("๑๒.๕", D("12.5"), ""),
        ("20 ของประชาชนที่ทำการสำรวจ", D(20), "20 ของประชาชนที่ทำการสำรวจ"),
        ("0.12345", D("0.12345"), "0.12345"),
        ("ไม่มีข้อมูล", None, "ไม่มีข้อมูล"),
        ("", None, ""),
    ],
)
def test_numbers_are_numbers_and_the_text_is_kept_where_they_are_not(printed, value, kept):
    number = read_number(printed)
    assert (number.value, number.text) == (value, kept)


@pytest.mark.parametrize(
    ("line", "quarter", "score"),
    [
        ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 95", 4, D(95)),
        ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 2 : 75", 2, D(75)),
        ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 3:", 3, None),
        ("*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 1", 1, None),
    ],
)
def test_audit_line_with_or_without_a_space_or_a_score(line, quarter, score):
    (record,) = records("p.txt", indicator_page(audit=line))
    assert (record.audit_quarter, record.audit_score.value) == (quarter, score)


def test_units_blank_scores_and_stray_characters_are_read_as_printed():
    rows = (("1", "", "", " / "), ("2", "1,407.52", "95", "95 / 50"), ("3", "3.00", "0", "0 / 0"))
    page = indicator_page(name="ร้อยละของขยะ​ที่ลดลง!!", unit="ร้อยละ (ลดลง)", target="10", rows=rows)
    (record,) = records("p.txt", page)
    assert record.name == "ร้อยละของขยะ​ที่ลดลง!!"
    assert record.unit == "ร้อยละ (ลดลง)"
    assert quarter_cells(record) == [
        (1, None, None, None, None),
        (2, D("1407.52"), D(95), D(95), D(50)),
        (3, D(3), D(0), D(0), D(0)),
    ]
    (empty_unit,) = records("p.txt", indicator_page(unit=""))
    assert (empty_unit.unit, empty_unit.target.value) == ("", D(80))


def test_a_page_cut_short_keeps_what_it_has_and_names_what_is_missing():
    page = indicator_page(cut_after="ผลการดำเนินงานไตรมาส 2")
    (record,) = records("p.txt", page)
    assert [row.quarter for row in record.quarters] == [1, 2]
    assert record.quarters[1].narrative == "ผลการดำเนินงานไตรมาส 2"
    assert record.missing == [
        "q3", "q4", "summary", "definition", "calculation", "sources", "strategy", "projects",
        "datasets",
    ]  # fmt: skip


def test_the_2562_2563_page():
    url = "https://digitalplans.bangkok.go.th/mykpi2563.php?pid=27"
    html = f"<!-- saved from url=({len(url):04d}){url} -->\n{PAGE_2563}"
    (record,) = records("27.html", html)
    assert record.layout == INDICATOR_2563
    assert (record.number, record.year, record.prefix) == (27, 2563, "")
    assert record.name == "ร้อยละของประชาชนที่พึงพอใจต่อการให้บริการของสำนักงานเขต"
    assert (record.unit, record.target.value, record.target.text) == (
        "ร้อยละ",
        D(20),
        "20 ของประชาชนที่ทำการสำรวจ",
    )
    assert record.data_nature == "ข้อมูลรายปี"
    assert record.strategy_codes() == ["5", "5.2", "5.2.1"]
    assert record.definition == "ความพึงพอใจ หมายถึง ความรู้สึกของประชาชนต่อบริการ"
    assert record.calculation.startswith("จำนวนผู้ตอบว่าพึงพอใจ")
    assert record.sources == "แบบสำรวจความพึงพอใจ"
    assert record.quarters == []


def test_an_agency_index_page_as_html_and_as_text():
    rows = records("index.html", INDEX_HTML)
    assert [r.layout for r in rows] == [INDEX] * 3
    assert [(r.prefix, r.number, r.unit) for r in rows] == [
        ("5030", 1052, "เครือข่าย/สำนักงานเขต"),
        ("5030", 9101, "ตร.ม."),
        ("5030", 9102, "เล่ม"),
    ]
    assert (rows[1].target.value, rows[1].result.value) == (D("1407.52"), D(1500))
    assert rows[0].agency_code == "50300000" and rows[0].year == 2564
    text_rows = records("index.txt", INDEX_TEXT)
    assert [(r.number, r.name, r.target.value, r.result.value) for r in text_rows] == [
        (9103, "จำนวนแห่งที่ปรับปรุง", D(12), D(10)),
        (9104, "ค่าเฉลี่ยความพึงพอใจ", D("4.50"), D("4.25")),
    ]


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_of_pages_and_its_limits(monkeypatch):
    content = zip_of(
        {
            "a/814.txt": seed_text("0100-814"),
            "b/1052.html": old_markup(seed_text("5030-1052")),
            "x.png": "-",
        }
    )
    assert sorted((r.prefix, r.number) for r in records("pages.zip", content)) == [
        ("0100", 814),
        ("5030", 1052),
    ]
    with pytest.raises(SourceError, match="ไม่ปลอดภัย"):
        read_pages("evil.zip", zip_of({"../../etc/passwd.txt": "x"}))
    monkeypatch.setattr("indicators.digitalplans.sources.MAX_ZIP_MEMBERS", 1)
    with pytest.raises(SourceError, match="เกิน 1 ไฟล์"):
        read_pages("many.zip", zip_of({"a.txt": "x", "b.txt": "y"}))
    with pytest.raises(SourceError, match="ไม่ใช่ zip"):
        read_pages("broken.zip", b"not a zip")
    monkeypatch.setattr("indicators.digitalplans.sources.MAX_FILE_BYTES", 10)
    with pytest.raises(SourceError, match="ใหญ่เกิน"):
        read_pages("big.zip", content)
    with pytest.raises(SourceError, match="ไม่ใช่หน้าเว็บ"):
        read_pages("sheet.pdf", b"%PDF")


def test_tis_620_pages_are_read():
    page = indicator_page().replace("ร้อยละของคลอง", "ร้อยละของคลอง")
    html = f'<html><head><meta charset="tis-620"></head><body><pre>{page}</pre></body></html>'
    (record,) = records("p.txt", page.encode("tis-620"))
    assert record.name == "ร้อยละของคลองที่ได้รับการพัฒนา"
    assert html  # the same bytes in HTML are read by the charset they declare
