"""The old system's three page layouts read into one record each; nothing here touches the database."""

import re
from dataclasses import dataclass, field

from indicators.digitalplans.sources import SourcePage
from indicators.digitalplans.values import NO_NUMBER, PageNumber, read_number
from indicators.numbers import normalize_digits

INDICATOR = "indicator"
INDICATOR_2563 = "indicator_2563"
INDEX = "index"
HEADER_2563 = "โครงการจัดทำฐานข้อมูลตัวชี้วัดการพัฒนาเมือง"
NAME_LINE = re.compile(r"^(?P<name>.*\S)\s*:\s*(?:(?P<prefix>\d{4})-)?(?P<number>\d+)\s*$")
DISPLAY_NUMBER = re.compile(r"^([\u0e01-\u0e2e]{1,3}\.\s?\d+(?:/\d+)*)(?=\S)")
TARGET_LINE = re.compile(r"^ค่าเป้าหมาย(?:\s+(?P<unit>.*?))?\s*:\s*(?P<value>.*)$")
RESULT_LINE = re.compile(r"^ผลงานที่ทำได้(?:\s+(?P<unit>.*?))?\s*:\s*(?P<value>.*)$")
AUDIT_LINE = re.compile(
    r"^\*+\s*สยป\.?\s*ตรวจประเมินตัวชี้วัด\s*:\s*ไตรมาสที่\s*(?P<q>\d)\s*(?::\s*(?P<score>.*))?$"
)
STRATEGY_CODE = re.compile(r"^(?:ด้านที่|มิติที่|เป้าหมายที่|กลยุทธ์ที่)?\s*(\d+(?:\.\d+)*)")
DATASET_LINE = re.compile(
    r"^ข้อมูลประกอบที่\s*\d+\s*:\s*\(\s*(?P<code>[^\s:]+)\s*:\s*(?P<title>.*?)\)?\s*$"
)
PROJECT_LINE = re.compile(r"^\(?\s*(?P<code>\d{8}-\d+)\s*:?\s*(?P<name>.*?)\)?\s*$")
YEAR_IN_URL = re.compile(r"(?:[?&](?:year|y|fy|budget_?year)=|mykpi)(25\d\d)")
YEAR_IN_TEXT = re.compile(r"ปีงบประมาณ\s*(?:พ\.ศ\.\s*)?(25\d\d)")
PID = re.compile(r"[?&]pid=(?:(\d{4})-)?(\d+)")
INDEX_CODE = re.compile(r"\d{4}-\d+")
SEL_DEP = re.compile(r"[?&]selDEP=(\d{8})")

# The sections of an indicator page, in page order: (key, how its heading starts).
SECTIONS = [
    ("target", "ค่าเป้าหมาย"),
    ("result", "ผลงานที่ทำได้"),
    ("type", "ประเภทตัวชี้วัด"),
    ("audit", "*** สยป."),
    ("table", "ผลงานเทียบกับเป้าหมายรายไตรมาส"),
    ("q1", "รายงานผลฯ ไตรมาสที่ 1"),
    ("q2", "รายงานผลฯ ไตรมาสที่ 2"),
    ("q3", "รายงานผลฯ ไตรมาสที่ 3"),
    ("q4", "รายงานผลฯ ไตรมาสที่ 4"),
    ("summary", "** สรุปผลการดำเนินงาน"),
    ("definition", "นิยาม"),
    ("calculation", "วิธีการคำนวณ"),
    ("sources", "วิธีการการเก็บข้อมูล"),
    ("strategy", "สนับสนุนยุทธศาสตร์"),
    ("projects", "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด"),
    ("datasets", "ฐานข้อมูลประกอบตัวชี้วัด"),
]
SECTIONS_2563 = [
    ("target", "ค่าเป้าหมาย"),
    ("nature", "ลักษณะข้อมูล"),
    ("strategy", ":"),
    ("definition", "1.นิยาม"),
    ("calculation", "2.วิธีการคำนวณ"),
    ("sources", "3.แหล่"),
]


@dataclass
class QuarterRow:
    quarter: int
    value: PageNumber
    score: PageNumber
    score_2_1: PageNumber
    score_2_2: PageNumber
    narrative: str = ""

    @property
    def printed(self) -> dict[str, str]:
        """The row's cells as the page prints them."""
        return {
            "value": self.value.raw,
            "score": self.score.raw,
            "sub_scores": f"{self.score_2_1.raw} / {self.score_2_2.raw}",
        }


@dataclass
class PageRecord:
    """What one page says about one indicator, as printed."""

    source: str
    url: str
    layout: str
    year: int | None = None
    prefix: str = ""
    agency_code: str = ""
    number: int | None = None
    display_number: str = ""
    name: str = ""
    unit: str = ""
    target: PageNumber = NO_NUMBER
    result: PageNumber = NO_NUMBER
    kind_text: str = ""
    level_text: str = ""
    unlabeled: str = ""
    audit_quarter: int | None = None
    audit_score: PageNumber = NO_NUMBER
    quarters: list[QuarterRow] = field(default_factory=list)
    summary: str = ""
    definition: str = ""
    calculation: str = ""
    sources: str = ""
    data_nature: str = ""
    strategy_lines: list[str] = field(default_factory=list)
    projects: list[tuple[str, str]] = field(default_factory=list)
    datasets: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def target_text(self) -> str:
        return self.target.raw

    @property
    def result_text(self) -> str:
        return self.result.raw

    @property
    def audit_score_text(self) -> str:
        return self.audit_score.raw

    def strategy_codes(self) -> list[str]:
        codes = []
        for line in self.strategy_lines:
            found = STRATEGY_CODE.match(normalize_digits(line))
            if found:
                codes.append(found.group(1))
        return codes


def layout_of(page: SourcePage) -> str | None:
    """Which layout a page has: by its address first, then by what it says."""
    url = page.url.lower()
    if "mykpi2563" in url or any(HEADER_2563 in line for line in page.lines[:30]):
        return INDICATOR_2563
    if "mykpi" in url or any(line.startswith("ผลงานเทียบกับเป้าหมายรายไตรมาส") for line in page.lines):
        return INDICATOR
    if "seldep" in url or any(_index_row(page.lines, i) for i in range(len(page.lines))):
        return INDEX
    if any(NAME_LINE.match(normalize_digits(line)) and "-" in line for line in page.lines[:20]):
        return INDICATOR
    return None


def year_of(page: SourcePage) -> int | None:
    """The fiscal year the page or its address states, if any."""
    found = YEAR_IN_URL.search(page.url)
    if found:
        return int(found.group(1))
    for line in page.lines[:40]:
        found = YEAR_IN_TEXT.search(normalize_digits(line))
        if found:
            return int(found.group(1))
    return None


def _split_sections(lines: list[str], sections: list[tuple[str, str]]) -> tuple[dict, list[str]]:
    """Each section's lines (heading line first), in page order; the keys not found are missing."""
    found: dict[str, list[str]] = {}
    positions = []
    start = 0
    for key, heading in sections:
        for index in range(start, len(lines)):
            if lines[index].startswith(heading):
                positions.append((key, index))
                start = index + 1
                break
    for (key, index), following in zip(
        positions, [*positions[1:], (None, len(lines))], strict=True
    ):
        found[key] = lines[index : following[1]]
    return found, [key for key, _ in sections if key not in found]


def _text(lines: list[str]) -> str:
    """A section's body: its non-empty lines after the heading, joined by line breaks."""
    return "\n".join(line for line in lines[1:] if line)


def _name(record: PageRecord, lines: list[str], first_section: int) -> None:
    for line in lines[:first_section]:
        found = NAME_LINE.match(normalize_digits(line))
        if found and not line.startswith("ค่าเป้าหมาย"):
            name = line[: found.start("number") - (5 if found.group("prefix") else 0)].rstrip(" :")
            display = DISPLAY_NUMBER.match(name)
            record.display_number = display.group(1) if display else ""
            record.name = name[len(record.display_number) :].strip()
            record.prefix = found.group("prefix") or record.prefix
            record.number = int(found.group("number"))
            return
    record.missing.insert(0, "name")


def _quarter_table(lines: list[str]) -> list[QuarterRow]:
    """Rows of four cells (quarter, result, score, "2.1 / 2.2") after the heading cells."""
    cells = lines[1:]
    while cells and not re.fullmatch(r"[1-4]", cells[0].strip()):
        cells = cells[1:]
    while cells and not cells[-1]:
        cells.pop()
    rows = []
    for start in range(0, len(cells), 4):
        chunk = [*cells[start : start + 4], "", "", ""][:4]
        if not re.fullmatch(r"[1-4]", chunk[0].strip()):
            break
        first, _slash, second = chunk[3].partition("/")
        rows.append(
            QuarterRow(
                int(chunk[0]),
                read_number(chunk[1]),
                read_number(chunk[2]),
                read_number(first),
                read_number(second),
            )
        )
    return rows


def _type(record: PageRecord, lines: list[str]) -> None:
    """Type on the heading line, level in brackets below it (or after it), then the lone line."""
    body = [line for line in lines if line]
    head = body[0].partition(":")[2].strip() if body else ""
    kind, _sep, level = head.partition("(")
    rest = body[1:]
    if not level and rest and rest[0].startswith("("):
        level, rest = rest[0][1:], rest[1:]
    record.kind_text = kind.strip()
    record.level_text = level.strip()[:-1].strip() if level.strip().endswith(")") else level.strip()
    record.unlabeled = next((line for line in rest if not line.startswith("รายละเอียดตัวชี้วัดฯ")), "")


def _datasets(lines: list[str]) -> list[tuple[str, str]]:
    found = [DATASET_LINE.match(line) for line in lines[1:]]
    return [(m.group("code"), m.group("title").strip()) for m in found if m]


def _projects(lines: list[str]) -> list[tuple[str, str]]:
    found = [PROJECT_LINE.match(line) for line in lines[1:]]
    return [(m.group("code"), m.group("name").strip()) for m in found if m]


def _number_line(pattern: re.Pattern, lines: list[str]) -> tuple[str, PageNumber]:
    found = pattern.match(lines[0]) if lines else None
    if not found:
        return "", PageNumber(None)
    return (found.group("unit") or "").strip(), read_number(found.group("value"))


def _from_address(record: PageRecord, url: str) -> None:
    pid = PID.search(url)
    if pid:
        record.prefix = pid.group(1) or ""
        record.number = int(pid.group(2))


def parse_indicator(page: SourcePage) -> PageRecord:
    """An indicator page (mykpi.php?pid=<agency>-<number>), field by field as printed."""
    record = PageRecord(source=page.name, url=page.url, layout=INDICATOR, year=year_of(page))
    _from_address(record, page.url)
    sections, record.missing = _split_sections(page.lines, SECTIONS)
    first = min((page.lines.index(s[0]) for s in sections.values()), default=len(page.lines))
    _name(record, page.lines, first)
    record.unit, record.target = _number_line(TARGET_LINE, sections.get("target", []))
    _unit, record.result = _number_line(RESULT_LINE, sections.get("result", []))
    _type(record, sections.get("type", []))
    audit = AUDIT_LINE.match(sections.get("audit", [""])[0])
    if audit:
        record.audit_quarter = int(audit.group("q"))
        record.audit_score = read_number(audit.group("score") or "")
    record.quarters = _quarter_table(sections.get("table", []))
    for row in record.quarters:
        row.narrative = _text(sections.get(f"q{row.quarter}", []))
    for key in ("summary", "definition", "calculation", "sources"):
        setattr(record, key, _text(sections.get(key, [])))
    record.strategy_lines = [
        line.lstrip(":").strip()
        for line in sections.get("strategy", [])[1:]
        if line.startswith(":")
    ]
    record.projects = _projects(sections.get("projects", []))
    record.datasets = _datasets(sections.get("datasets", []))
    return record


def parse_indicator_2563(page: SourcePage) -> PageRecord:
    """The 2562–2563 urban-development page (mykpi2563.php?pid=<number>): no results table."""
    record = PageRecord(source=page.name, url=page.url, layout=INDICATOR_2563, year=year_of(page))
    _from_address(record, page.url)
    lines = [line for line in page.lines if line]
    sections, record.missing = _split_sections(lines, SECTIONS_2563)
    first = min((lines.index(s[0]) for s in sections.values()), default=len(lines))
    _name(record, [line for line in lines if HEADER_2563 not in line], first)
    record.unit, record.target = _number_line(TARGET_LINE, sections.get("target", []))
    record.data_nature = sections.get("nature", [""])[0].partition(":")[2].strip()
    record.strategy_lines = [
        line.lstrip(":").strip() for line in sections.get("strategy", []) if line.startswith(":")
    ]
    for key in ("definition", "calculation", "sources"):
        body = sections.get(key, [])
        setattr(record, key, _text(body) or (body[0].partition(":")[2].strip() if body else ""))
    return record


def _index_row(lines: list[str], index: int) -> list[str] | None:
    """An index row: a code cell `5030-1052`, then name, unit, target and result cells.

    Saved HTML gives one line per cell; a browser's text copy gives one line per row, tab-separated.
    """
    line = lines[index]
    if "\t" in line:
        cells = [cell.strip() for cell in line.split("\t")]
    else:
        cells = [cell.strip() for cell in lines[index : index + 5]]
    while cells and not INDEX_CODE.fullmatch(normalize_digits(cells[0])):
        cells = cells[1:] if "\t" in line else []
    return [*cells, "", "", "", ""][:5] if len(cells) >= 4 else None


def parse_index(page: SourcePage) -> list[PageRecord]:
    """An agency's index page (index101.php?selDEP=<8-digit code>): code, name, unit, target, result."""
    agency = SEL_DEP.search(page.url)
    records = []
    for index in range(len(page.lines)):
        cells = _index_row(page.lines, index)
        if not cells:
            continue
        prefix, number = normalize_digits(cells[0]).split("-")
        records.append(
            PageRecord(
                source=page.name,
                url=page.url,
                layout=INDEX,
                year=year_of(page),
                prefix=prefix,
                agency_code=agency.group(1) if agency else "",
                number=int(number),
                name=cells[1],
                unit=cells[2],
                target=read_number(cells[3]),
                result=read_number(cells[4]),
                missing=[key for key, _h in SECTIONS if key not in ("target", "result")],
            )
        )
    return records


def parse_page(page: SourcePage) -> list[PageRecord]:
    """Every indicator record one page holds; an unrecognised page holds none."""
    layout = layout_of(page)
    if layout == INDICATOR:
        return [parse_indicator(page)]
    if layout == INDICATOR_2563:
        return [parse_indicator_2563(page)]
    if layout == INDEX:
        return parse_index(page)
    return []
