"""Old-system pages for tests: the seeds as text and in the old system's HTML, and made-up pages."""

import html
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "digitalplans"
SEEDS = {"5030-1052": "indicator-5030-1052.txt", "0100-814": "indicator-0100-814.txt"}
TABLE_HEADING = "ผลงานเทียบกับเป้าหมายรายไตรมาส"


def seed_text(code: str) -> str:
    return (FIXTURES / SEEDS[code]).read_text(encoding="utf-8")


def _table(lines: list[str]) -> str:
    """The quarterly table as the old system marks it up: header cells broken by <br>."""
    header = [
        "ไตรมาสที่<br>(1 - 4)",
        f"*ผลงาน*<br>{html.escape(lines[3])}",
        "*ผลประเมินตัวชี้วัด*<br>(* 2.1 / 2.2 *)",
    ]
    cells = lines[6:]
    rows = [cells[i : i + 4] for i in range(0, len(cells), 4)]
    body = "".join(
        "<tr>"
        + "".join(f"<td align=center><font size=2>{html.escape(c)}</font></td>" for c in row)
        + "</tr>\n"
        for row in rows
    )
    head = "<tr>" + "".join(
        f'<th colspan="{1 if i < 2 else 2}">{h}</th>' for i, h in enumerate(header)
    )
    return f"<table border=1 cellpadding=2>\n{head}</tr>\n{body}</table>\n"


def old_markup(text: str, url: str = "") -> str:
    """A page in the old system's markup: paragraphs, <br> inside, the table as a table."""
    lines = text.splitlines()
    start = lines.index(TABLE_HEADING)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("รายงานผลฯ"))
    table_lines = [line for line in lines[start + 1 : end] if line]
    before = [f"<p>{html.escape(line)}&nbsp;</p>" for line in lines[: start + 1] if line]
    after = [f"<p><font face=Tahoma>{html.escape(line)}</font></p>" for line in lines[end:] if line]
    saved = f"<!-- saved from url=({len(url):04d}){url} -->\n" if url else ""
    return (
        f'{saved}<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<title>BMA digitalplans</title><script>var x = '<p>ไม่ใช่เนื้อหา</p>';</script></head><body>\n"
        + "\n".join(before)
        + _table(table_lines)
        + "\n".join(after)
        + "</body></html>"
    )


def indicator_page(
    *,
    code: str = "5030-9001",
    name: str = "ร้อยละของคลองที่ได้รับการพัฒนา",
    unit: str = "ร้อยละ",
    target: str = "80",
    result: str = "85.50",
    kind: str = "ตัวชี้วัดเชิงยุทธศาสตร์",
    level: str = "(ตัวชี้วัดระดับผลลัพธ์ (outcome))",
    audit: str = "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 100",
    rows: tuple = (("1", "20.00", "100", "100 / 100"), ("2", "40.00", "90", "90 / 50")),
    strategy: tuple = (":ด้านที่ ๕ - มหานครประชาธิปไตย", ":๕.๒ - เมืองธรรมาภิบาล"),
    cut_after: str | None = None,
) -> str:
    """A made-up indicator page in the seeds' text layout; `cut_after` ends it at that line."""
    lines = [
        "รายละเอียดตัวชี้วัด",
        "Back Home",
        f"{name} : {code}",
        f"ค่าเป้าหมาย {unit} : {target}".replace("  ", " "),
        f"ผลงานที่ทำได้ {unit} : {result}".replace("  ", " "),
        f"ประเภทตัวชี้วัด : {kind}",
        level,
        "0",
        "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล",
        audit,
        TABLE_HEADING,
        "ไตรมาสที่",
        "(1 - 4)",
        "*ผลงาน*",
        f"({unit})",
        "*ผลประเมินตัวชี้วัด*",
        "(* 2.1 / 2.2 *)",
        *[cell for row in rows for cell in row],
    ]
    for quarter in range(1, 5):
        lines += ["", f"รายงานผลฯ ไตรมาสที่ {quarter}", "", f"ผลการดำเนินงานไตรมาส {quarter}"]
    lines += [
        "",
        "** สรุปผลการดำเนินงาน **",
        "",
        "นิยาม หรือความหมายของตัวชี้วัด",
        "คลอง หมายถึง ทางน้ำสาธารณะ",
        "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
        "จำนวนคลองที่พัฒนา หาร จำนวนคลองทั้งหมด คูณ 100",
        "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
        "รายงานของสำนักการระบายน้ำ",
        "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
        *strategy,
        "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
        "(50300000-3561 : โครงการพัฒนาคลอง)",
        "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
        "ข้อมูลประกอบที่ 1 : (stat_bma0026 : ข้อมูลค่า DO ของคู คลองในพื้นที่ จำแนกตามจุดตรวจวัด)",
    ]
    if cut_after is not None:
        lines = lines[: lines.index(cut_after) + 1]
    return "\n".join(lines)


PAGE_2563 = """<html><head><meta charset="utf-8"></head><body>
<h3>โครงการจัดทำฐานข้อมูลตัวชี้วัดการพัฒนาเมือง (2562-2563)</h3>
<p>Back Home</p>
<p>ร้อยละของประชาชนที่พึงพอใจต่อการให้บริการของสำนักงานเขต : 27</p>
<p>ค่าเป้าหมาย ร้อยละ : 20 ของประชาชนที่ทำการสำรวจ</p>
<p>ลักษณะข้อมูล : ข้อมูลรายปี</p>
<p>:ด้านที่ ๕ - มหานครประชาธิปไตย</p>
<p>:มิติที่ ๕.๒ เมืองธรรมาภิบาล</p>
<p>:เป้าหมายที่ ๕.๒.๑ ประชาชนมีส่วนร่วม</p>
<p>1.นิยาม</p><p>ความพึงพอใจ หมายถึง ความรู้สึกของประชาชนต่อบริการ</p>
<p>2.วิธีการคำนวณ</p><p>จำนวนผู้ตอบว่าพึงพอใจ หาร จำนวนผู้ตอบทั้งหมด คูณ 100</p>
<p>3.แหล่งข้อมูล</p><p>แบบสำรวจความพึงพอใจ</p>
</body></html>"""

INDEX_HTML = """<!-- saved from url=(0070)https://digitalplans.bangkok.go.th/index101.php?selDEP=50300000&year=2564 -->
<html><body><h2>ตัวชี้วัดของสำนักงานเขตบางคอแหลม ปีงบประมาณ พ.ศ. 2564</h2>
<table>
<tr><th>ลำดับ</th><th>รหัส</th><th>ชื่อตัวชี้วัด</th><th>หน่วยนับ</th><th>ค่าเป้าหมาย</th><th>ผลงาน</th></tr>
<tr><td>1</td><td>5030-1052</td><td>จำนวนเครือข่ายประชาคมที่เป็นทางการเพื่อให้ประชาชนเข้ามามีส่วนร่วมในการวางแผน ตัดสินใจ และติดตามตรวจสอบการทำงานของกรุงเทพมหานคร</td><td>เครือข่าย/สำนักงานเขต</td><td>1</td><td>1</td></tr>
<tr><td>2</td><td>5030-9101</td><td>พื้นที่สีเขียวที่เพิ่มขึ้น</td><td>ตร.ม.</td><td>1,407.52</td><td>1,500.0000</td></tr>
<tr><td>3</td><td>5030-9102</td><td>จำนวนหนังสือที่จัดทำ</td><td>เล่ม</td><td>0</td><td>100</td></tr>
</table></body></html>"""

INDEX_TEXT = (
    "ตัวชี้วัดของหน่วยงาน ปีงบประมาณ 2564\n"
    "ลำดับ\tรหัส\tชื่อตัวชี้วัด\tหน่วยนับ\tค่าเป้าหมาย\tผลงาน\n"
    "1\t5030-9103\tจำนวนแห่งที่ปรับปรุง\tแห่ง\t12\t10\n"
    "2\t5030-9104\tค่าเฉลี่ยความพึงพอใจ\tค่าเฉลี่ย\t4.50\t4.25\n"
)
