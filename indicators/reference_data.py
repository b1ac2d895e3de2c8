"""Load the city's reference data from fixtures/reference/, keyed on natural keys (idempotent)."""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from indicators.models import (
    Agency,
    AgencyKind,
    DistrictGroup,
    FiscalYear,
    NodeLevel,
    Plan,
    QuarterWindow,
    StrategyNode,
)

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"
PLAN_20_YEARS = "bma-20-year"
# BMA order 2460/2552 lists the six district groups in this order.
GROUP_ORDER = [
    ("central", "กลุ่มกรุงเทพกลาง"),
    ("south", "กลุ่มกรุงเทพใต้"),
    ("north", "กลุ่มกรุงเทพเหนือ"),
    ("east", "กลุ่มกรุงเทพตะวันออก"),
    ("thonburi-north", "กลุ่มกรุงธนเหนือ"),
    ("thonburi-south", "กลุ่มกรุงธนใต้"),
]
REFERENCE_YEARS = range(2563, 2567)


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_groups_and_agencies() -> None:
    districts = _rows("bma_districts.csv")
    english = {row["group_th"]: row["group_en"] for row in districts}
    groups = {}
    for order, (code, name_th) in enumerate(GROUP_ORDER, start=1):
        groups[name_th], _ = DistrictGroup.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": english[name_th], "order": order}
        )
    for row in _rows("bma_departments.csv"):
        Agency.objects.update_or_create(
            code=row["bma_agency_code"],
            defaults={
                "prefix": row["bma_kpi_prefix"],
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "kind": row["kind"],
            },
        )
    for row in districts:
        Agency.objects.update_or_create(
            code=row["bma_agency_code"],
            defaults={
                "prefix": row["bma_kpi_prefix"],
                "name_th": row["office_name_th"],
                "name_en": row["office_name_en"],
                "short_name_th": row["name_th"],
                "short_name_en": row["name_en"],
                "kind": AgencyKind.DISTRICT_OFFICE,
                "group": groups[row["group_th"]],
            },
        )


def _clean_name(text: str) -> str:
    """Drop the reference file's notes on names: '(inferred)', '(truncated)', '... (…)'."""
    text = text.replace("[ดการ...]", "ดการ")
    for note in ("(truncated in source)", "(truncated)", "(inferred)", "(confirmed, seed)"):
        text = text.replace(note, "")
    text = text.split(" (กลยุทธ์")[0].split(" (กลยุทธ์;")[0]
    return text.replace("...", "").strip()


def load_plan() -> Plan:
    data = json.loads((REFERENCE_DIR / "bma_plan_hierarchy.json").read_text(encoding="utf-8"))
    name_th, _, name_en = data["plan"].partition(" / ")
    plan, _ = Plan.objects.update_or_create(
        code=PLAN_20_YEARS, defaults={"name_th": name_th, "name_en": name_en, "order": 1}
    )
    nodes: dict[str, StrategyNode] = {}

    def upsert(code: str, level: int, name: str, parent: StrategyNode | None, order: int, **extra):
        nodes[code], _ = StrategyNode.objects.update_or_create(
            plan=plan,
            code=code,
            defaults={"level": level, "name_th": name, "parent": parent, "order": order, **extra},
        )

    for dimension in data["dimensions"]:
        code = str(dimension["no"])
        upsert(
            code,
            NodeLevel.DIMENSION,
            dimension["th"],
            None,
            dimension["no"],
            name_en=_clean_name(dimension["en"]),
            color=dimension["color"],
        )
        for order, (sub_code, sub_name, _evidence) in enumerate(dimension["sub"], start=1):
            # Numbers the source marks unknown ("6.?") follow the list order.
            sub_code = sub_code.replace("?", str(order))
            upsert(sub_code, NodeLevel.SUB_DIMENSION, sub_name, nodes[code], order)
    for code, name in sorted(data["sample_goals_confirmed"].items(), key=lambda kv: kv[0]):
        parent_code = code.rsplit(".", 1)[0]
        if parent_code not in nodes:
            continue  # a strategy whose goal the reference does not name
        level = NodeLevel.GOAL if code.count(".") == 2 else NodeLevel.STRATEGY
        upsert(code, level, _clean_name(name), nodes[parent_code], int(code.rsplit(".", 1)[1]))
    return plan


def load_fiscal_year(year: int, *, published: bool = True) -> FiscalYear:
    fiscal_year, _ = FiscalYear.objects.get_or_create(
        year=year,
        defaults={
            "is_published": published,
            "sub_score_1_meaning": "ผลการดำเนินงานเทียบกับค่าเป้าหมายรายไตรมาส",
            "sub_score_2_meaning": "ความครบถ้วนและทันเวลาของการรายงานผล",
            "rating_bands": [100, 90, 80, 70],
        },
    )
    for quarter in (1, 2, 3, 4):
        if not fiscal_year.windows.filter(quarter=quarter).exists():
            QuarterWindow.default_for(fiscal_year, quarter).save()
    return fiscal_year


@transaction.atomic
def load_reference() -> None:
    load_groups_and_agencies()
    load_plan()
    for year in REFERENCE_YEARS:
        load_fiscal_year(year)
