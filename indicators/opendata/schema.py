"""The Table Schemas of the open data: one description read by the files, package and dictionary.

Each field names its type, Thai and English titles, and for coded fields the code list with
Thai and English labels, taken from the model's choices so the two never drift apart.
"""

import builtins
from dataclasses import dataclass, field

from django.db import models
from django.utils import translation

from indicators.models import (
    AgencyKind,
    Aggregation,
    Direction,
    IndicatorKind,
    Measure,
    NodeLevel,
    ResultLevel,
)

AGENCY_CODE = r"^[0-9]{8}$"
INDICATOR_CODE = r"^[0-9]{4}-[0-9]+$"

# Creative Commons Attribution 4.0 (why: docs/architecture.md): anyone may reuse the figures,
# commercially too, crediting the city; CKAN knows it as "cc-by".
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PUBLISHER_TH = "กรุงเทพมหานคร"
PUBLISHER_EN = "Bangkok Metropolitan Administration"


@dataclass(frozen=True)
class Field:
    """One column: its machine name, type and what it means, in Thai and English."""

    name: str
    type: str
    title_th: str
    title_en: str
    description_th: str = ""
    description_en: str = ""
    required: bool = False
    pattern: str | None = None
    choices: builtins.type[models.Choices] | None = None  # `type` is the field above
    minimum: int | None = None
    maximum: int | None = None
    extra: dict = field(default_factory=dict)

    def categories(self) -> list[dict]:
        """The code list: each code with its Thai and English label."""
        if self.choices is None:
            return []
        with translation.override("th"):
            thai = {value: str(label) for value, label in self.choices.choices}
        with translation.override("en"):
            english = {value: str(label) for value, label in self.choices.choices}
        return [
            {"value": value, "label": thai[value], "label_en": english[value]}
            for value in self.choices.values
        ]

    def as_schema(self) -> dict:
        """The field as a Frictionless Table Schema field descriptor."""
        described = {
            "name": self.name,
            "type": self.type,
            "title": self.title_th,
            "title_en": self.title_en,
            "description": self.description_th or self.title_th,
            "description_en": self.description_en or self.title_en,
            **self.extra,
        }
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if self.choices is not None:
            constraints["enum"] = list(self.choices.values)
            described["categories"] = self.categories()
        if constraints:
            described["constraints"] = constraints
        return described


def _text(name: str, th: str, en: str, note_th: str = "", note_en: str = "", **kwargs) -> Field:
    return Field(name, "string", th, en, note_th, note_en, **kwargs)


def _number(name: str, th: str, en: str, note_th: str = "", note_en: str = "", **kwargs) -> Field:
    return Field(name, "number", th, en, note_th, note_en, **kwargs)


def _year(name: str = "fiscal_year") -> Field:
    return Field(
        name,
        "integer",
        "ปีงบประมาณ (พ.ศ.)",
        "Fiscal year (Buddhist Era)",
        "ปีงบประมาณ 2570 คือ 1 ต.ค. 2569 – 30 ก.ย. 2570",
        "Fiscal year 2570 BE runs from 1 Oct 2026 to 30 Sep 2027",
        required=True,
    )


def _quarter(name: str, th: str, en: str, note_th: str = "", note_en: str = "", **kwargs) -> Field:
    return Field(name, "integer", th, en, note_th, note_en, minimum=1, maximum=4, **kwargs)


def _indicator_code(name: str = "code") -> Field:
    return _text(
        name,
        "รหัสตัวชี้วัด",
        "Indicator code",
        "รหัสนำหน้าของหน่วยงาน 4 หลัก ขีด และเลขลำดับ",
        "The agency's 4-digit prefix, a dash and a number",
        required=True,
        pattern=INDICATOR_CODE,
    )


def _agency_code(name: str) -> Field:
    return _text(
        name,
        "รหัสหน่วยงาน",
        "Agency code",
        "รหัส 8 หลัก เป็นข้อความ (ต้องคงเลข 0 นำหน้า)",
        "8 digits, as text (keep the leading zeros)",
        required=True,
        pattern=AGENCY_CODE,
    )


INDICATOR_FIELDS = [
    _year(),
    _indicator_code(),
    _agency_code("agency_code"),
    _text("display_number", "ลำดับที่แสดง", "Display number"),
    _text("name_th", "ชื่อตัวชี้วัด", "Indicator name (Thai)", required=True),
    _text("name_en", "ชื่อตัวชี้วัด (อังกฤษ)", "Indicator name (English)"),
    _text("unit", "หน่วยนับ", "Unit", required=True),
    _text("measure", "ลักษณะการวัด", "Measure", choices=Measure, required=True),
    _text("direction", "ทิศทาง", "Direction", choices=Direction, required=True),
    _text("aggregation", "การรวมผลรายไตรมาส", "Aggregation of quarters", choices=Aggregation),
    _number("baseline", "ค่าฐาน", "Baseline"),
    _number("target", "ค่าเป้าหมาย", "Annual target", required=True),
    *(_number(f"target_q{q}", f"ค่าเป้าหมายไตรมาส {q}", f"Target, quarter {q}") for q in range(1, 5)),
    _text("kind", "ประเภทตัวชี้วัด", "Indicator kind", choices=IndicatorKind, required=True),
    _text("result_level", "ระดับตัวชี้วัด", "Result level", choices=ResultLevel, required=True),
    _number("weight", "น้ำหนัก", "Weight"),
    _quarter(
        "audit_quarter",
        "ไตรมาสที่ สยป. ตรวจประเมิน",
        "Audit quarter",
        "คะแนนของไตรมาสนี้คือผลประเมินอย่างเป็นทางการของปี",
        "This quarter's score is the year's official result",
    ),
    *(
        _number(
            f"result_q{q}",
            f"ผลงานไตรมาส {q}",
            f"Result, quarter {q}",
            "เฉพาะไตรมาสที่อนุมัติแล้ว",
            "Approved quarters only",
        )
        for q in range(1, 5)
    ),
    _number(
        "official_score",
        "ผลประเมินอย่างเป็นทางการ",
        "Official score",
        "คะแนนของไตรมาสที่ สยป. ตรวจประเมิน (0–100) เมื่ออนุมัติแล้ว",
        "The audit quarter's score (0–100), once approved",
    ),
    _text(
        "strategy_node_codes",
        "ยุทธศาสตร์ที่สนับสนุน",
        "Strategy nodes supported",
        "รหัสในโครงสร้างยุทธศาสตร์ คั่นด้วยช่องว่าง",
        "Codes in the strategy tree, separated by spaces",
    ),
]

RESULT_FIELDS = [
    _year(),
    _indicator_code("indicator_code"),
    _quarter("quarter", "ไตรมาส", "Quarter", required=True),
    _number("value", "ผลการดำเนินงาน", "Result", "ในหน่วยนับของตัวชี้วัด", "In the indicator's unit"),
    _text("narrative", "รายงานผลการดำเนินงาน", "Narrative"),
    Field("evidence_count", "integer", "จำนวนไฟล์หลักฐาน", "Evidence files", minimum=0),
    _number("score", "ผลประเมินตัวชี้วัด", "Score", "0–100", "0–100"),
    _number("score_2_1", "คะแนนย่อย 1", "Sub-score 1"),
    _number("score_2_2", "คะแนนย่อย 2", "Sub-score 2"),
    Field(
        "is_official",
        "boolean",
        "เป็นผลประเมินอย่างเป็นทางการ",
        "Official result",
        "ไตรมาสนี้คือไตรมาสที่ สยป. ตรวจประเมิน",
        "This is the audit quarter",
        extra={"trueValues": ["true"], "falseValues": ["false"]},
    ),
]

AGENCY_FIELDS = [
    _agency_code("code"),
    _text("prefix", "รหัสนำหน้าตัวชี้วัด", "Indicator prefix", required=True, pattern=r"^[0-9]{4}$"),
    _text("name_th", "ชื่อหน่วยงาน", "Agency name (Thai)", required=True),
    _text("name_en", "ชื่อหน่วยงาน (อังกฤษ)", "Agency name (English)"),
    _text("short_name_th", "ชื่อย่อ", "Short name (Thai)"),
    _text("short_name_en", "ชื่อย่อ (อังกฤษ)", "Short name (English)"),
    _text("kind", "ประเภทหน่วยงาน", "Agency kind", choices=AgencyKind, required=True),
    _text("group_code", "กลุ่มเขต", "District group"),
]

STRATEGY_FIELDS = [
    _text("plan_code", "รหัสแผน", "Plan code", required=True),
    _text("plan_name_th", "ชื่อแผน", "Plan name"),
    _text("code", "รหัส", "Node code", required=True, pattern=r"^[0-9]+(\.[0-9]+)*$"),
    Field("level", "integer", "ระดับ", "Level", choices=NodeLevel, required=True),
    _text("parent_code", "รหัสระดับบน", "Parent code"),
    _text("name_th", "ชื่อ", "Name (Thai)", required=True),
    _text("name_en", "ชื่อ (อังกฤษ)", "Name (English)"),
]


@dataclass(frozen=True)
class Resource:
    """One table of the package: its fields, keys and what it holds."""

    name: str
    title_th: str
    title_en: str
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[dict] = field(default_factory=list)

    def table_schema(self) -> dict:
        schema = {
            "fields": [column.as_schema() for column in self.fields],
            "primaryKey": self.primary_key,
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = self.foreign_keys
        return schema

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.fields]


def _key(fields: list[str], resource: str, target: list[str]) -> dict:
    return {"fields": fields, "reference": {"resource": resource, "fields": target}}


RESOURCES = {
    resource.name: resource
    for resource in (
        Resource(
            "indicators",
            "ตัวชี้วัด",
            "Indicators",
            INDICATOR_FIELDS,
            ["fiscal_year", "code"],
            [_key(["agency_code"], "agencies", ["code"])],
        ),
        Resource(
            "results",
            "ผลการดำเนินงานรายไตรมาสและผลประเมิน",
            "Quarter results and official scores",
            RESULT_FIELDS,
            ["fiscal_year", "indicator_code", "quarter"],
            [_key(["fiscal_year", "indicator_code"], "indicators", ["fiscal_year", "code"])],
        ),
        Resource("agencies", "หน่วยงาน", "Agencies", AGENCY_FIELDS, ["code"]),
        Resource(
            "strategy",
            "โครงสร้างยุทธศาสตร์",
            "Strategy tree",
            STRATEGY_FIELDS,
            ["plan_code", "code"],
            # A tree has no parent at its root: a composite key with a null part fails to match.
            [_key(["parent_code"], "", ["code"])],
        ),
    )
}
