"""The seed indicators, a realistic demo set around them, demo users and city-scale generation."""

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from indicators import scoring
from indicators.access import AUDITOR, MANAGER, REPORTER
from indicators.models import (
    Agency,
    AgencyMembership,
    Assessment,
    Dataset,
    FiscalYear,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    LevelCriterion,
    Project,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
    StrategyNode,
    fiscal_year_of,
    quarter_of,
)
from indicators.reference_data import PLAN_20_YEARS, load_fiscal_year, load_reference
from indicators.scorecards.demo import load_scorecard_demo
from indicators.standing import refresh_all
from indicators.workflow.services import suggested_score_of

SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed_indicators.json"
DEMO_PASSWORD = "demo"  # noqa: S105  (documented demo logins, created only by load_demo)


@dataclass(frozen=True)
class Template:
    """A realistic indicator the demo and the city-scale generator instantiate per agency."""

    name_th: str
    unit: str
    measure: str
    direction: str
    target: Decimal
    node: str
    result_level: str = "output"
    baseline: Decimal | None = None


D = Decimal
DISTRICT_TEMPLATES = [
    Template(
        "ร้อยละของถนนและตรอกซอยที่ได้รับการดูแลรักษาความสะอาด",
        "ร้อยละ",
        "percent",
        "higher",
        D(100),
        "2.1.1",
    ),
    Template(
        "จำนวนพื้นที่สีเขียวที่เพิ่มขึ้นในพื้นที่เขต", "ตารางเมตร", "number", "higher", D(2000), "2.2.1", "outcome"
    ),
    Template(
        "ร้อยละของปริมาณมูลฝอยที่ลดลงจากแหล่งกำเนิด",
        "ร้อยละ",
        "percent",
        "higher",
        D(10),
        "1.1.2",
        "outcome",
    ),
    Template(
        "จำนวนเรื่องร้องเรียนปัญหาน้ำท่วมขังในพื้นที่เขต",
        "เรื่อง",
        "number",
        "lower",
        D(20),
        "1.4",
        "outcome",
        D(60),
    ),
    Template(
        "ร้อยละของผู้สูงอายุและผู้พิการที่ได้รับเบี้ยยังชีพตรงตามกำหนดเวลา",
        "ร้อยละ",
        "percent",
        "higher",
        D(100),
        "3.1.1",
    ),
    Template(
        "จำนวนกิจกรรมส่งเสริมการเรียนรู้ตลอดชีวิตของชุมชน", "กิจกรรม", "number", "higher", D(12), "3.3.3"
    ),
    Template("ระดับความสำเร็จในการจัดระเบียบผู้ค้าหาบเร่แผงลอย", "ระดับ", "level", "level", D(5), "2.1"),
    Template(
        "ร้อยละของอาคารที่ได้รับการตรวจสอบความปลอดภัยตามแผน", "ร้อยละ", "percent", "higher", D(100), "1.5"
    ),
    Template(
        "ร้อยละความพึงพอใจของประชาชนต่อการให้บริการของสำนักงานเขต",
        "ร้อยละ",
        "percent",
        "higher",
        D(85),
        "5.4.1",
        "outcome",
    ),
    Template(
        "จำนวนครั้งของการประชุมรับฟังความคิดเห็นของประชาชนในพื้นที่เขต",
        "ครั้ง",
        "number",
        "higher",
        D(4),
        "5.2.1",
    ),
]
DEPARTMENT_TEMPLATES = {
    "0100": [
        Template(
            "จำนวนครั้งของการจัดโครงการสภากรุงเทพมหานครพบประชาชน",
            "ครั้ง",
            "number",
            "higher",
            D(6),
            "5.2.1",
        ),
        Template(
            "ระดับความสำเร็จในการติดตามข้อเสนอของเครือข่ายประชาคมเขตที่เสนอต่อสภากรุงเทพมหานคร",
            "ระดับ",
            "level",
            "level",
            D(5),
            "5.5.1",
        ),
    ],
    "0800": [
        Template(
            "ร้อยละของเด็กอายุ 0-5 ปีที่ได้รับวัคซีนครบตามเกณฑ์",
            "ร้อยละ",
            "percent",
            "higher",
            D(95),
            "1.6",
            "outcome",
        ),
        Template(
            "ร้อยละของสถานประกอบการด้านอาหารที่ผ่านเกณฑ์มาตรฐานอาหารปลอดภัย",
            "ร้อยละ",
            "percent",
            "higher",
            D(90),
            "1.6",
        ),
    ],
    "2200": [
        Template(
            "ปริมาณมูลฝอยที่ต้องนำไปกำจัดต่อวัน",
            "ตันต่อวัน",
            "number",
            "lower",
            D(8900),
            "1.1.2",
            "outcome",
            D(10500),
        ),
        Template(
            "จำนวนต้นไม้ที่ปลูกเพิ่มในพื้นที่กรุงเทพมหานคร",
            "ต้น",
            "number",
            "higher",
            D(250000),
            "2.2.1",
            "outcome",
        ),
        Template(
            "ร้อยละของจุดตรวจวัดคุณภาพน้ำในคลองที่มีค่า DO ผ่านเกณฑ์มาตรฐาน",
            "ร้อยละ",
            "percent",
            "higher",
            D(60),
            "1.1",
            "outcome",
        ),
    ],
    "1100": [
        Template("จำนวนจุดเสี่ยงน้ำท่วมที่ได้รับการแก้ไข", "จุด", "number", "higher", D(12), "1.4"),
        Template(
            "ความยาวท่อระบายน้ำที่ได้รับการล้างทำความสะอาด", "กิโลเมตร", "number", "higher", D(3000), "1.4"
        ),
    ],
    "0900": [
        Template(
            "ร้อยละของนักเรียนโรงเรียนสังกัดกรุงเทพมหานครที่มีผลสัมฤทธิ์ทางการเรียนผ่านเกณฑ์",
            "ร้อยละ",
            "percent",
            "higher",
            D(70),
            "3.3",
            "outcome",
        ),
        Template(
            "ระดับความสำเร็จของการพัฒนาโรงเรียนสู่การเรียนรู้ดิจิทัล", "ระดับ", "level", "level", D(5), "3.3"
        ),
    ],
    "1700": [
        Template(
            "จำนวนทางข้ามและทางเท้าที่ได้รับการปรับปรุงให้ปลอดภัย", "แห่ง", "number", "higher", D(150), "1.3"
        ),
        Template(
            "จำนวนผู้เสียชีวิตจากอุบัติเหตุทางถนนในกรุงเทพมหานคร",
            "ราย",
            "number",
            "lower",
            D(600),
            "1.3",
            "outcome",
            D(800),
        ),
    ],
    "1900": [
        Template(
            "ร้อยละของการเข้าระงับเหตุเพลิงไหม้ได้ภายใน 10 นาที",
            "ร้อยละ",
            "percent",
            "higher",
            D(90),
            "1.4",
            "outcome",
        ),
    ],
    "2100": [
        Template(
            "ระดับความสำเร็จของการติดตามและประเมินผลการปฏิบัติราชการของหน่วยงาน",
            "ระดับ",
            "level",
            "level",
            D(5),
            "7.2",
        ),
        Template(
            "ร้อยละของหน่วยงานที่รายงานผลตัวชี้วัดครบถ้วนตามกำหนดเวลา",
            "ร้อยละ",
            "percent",
            "higher",
            D(100),
            "7.2",
        ),
    ],
    "1400": [
        Template(
            "ร้อยละของการจัดเก็บรายได้ตามประมาณการ",
            "ร้อยละ",
            "percent",
            "higher",
            D(100),
            "7.4.1",
            "outcome",
        ),
    ],
    "2600": [
        Template(
            "จำนวนบริการของกรุงเทพมหานครที่ให้บริการผ่านระบบออนไลน์",
            "บริการ",
            "number",
            "higher",
            D(40),
            "7.5",
        ),
    ],
}
DEMO_DISTRICTS = ["5030", "5001", "5011", "5004", "5016", "5022"]
LEVEL_CRITERIA = [
    "จัดทำแผนการดำเนินงานและแต่งตั้งผู้รับผิดชอบ",
    "ดำเนินการตามแผนได้ร้อยละ 50",
    "ดำเนินการตามแผนได้ครบถ้วน",
    "สรุปผลการดำเนินงานและปัญหาอุปสรรค",
    "นำผลการดำเนินงานไปปรับปรุงและติดตามผลอย่างเป็นรูปธรรม",
]
# Narratives that match the numbers: on plan (or ahead) and behind plan tell different stories.
ON_PLAN_NARRATIVES = [
    "ดำเนินการตามแผนปฏิบัติราชการ ได้ผลตามเป้าหมายของไตรมาส",
    "จัดกิจกรรมร่วมกับชุมชนในพื้นที่ มีผู้เข้าร่วมตามเป้าหมาย และรายงานผลต่อผู้อำนวยการเขตแล้ว",
    "ตรวจสอบและติดตามผลการดำเนินงานในพื้นที่ได้ครบตามแผน พร้อมจัดทำรายงานสรุปเสนอผู้บริหาร",
]
BEHIND_PLAN_NARRATIVES = [
    "ดำเนินการได้ล่าช้ากว่าแผนเนื่องจากรอการอนุมัติงบประมาณ คาดว่าจะแล้วเสร็จในไตรมาสถัดไป",
    "อยู่ระหว่างดำเนินการ ผลงานยังต่ำกว่าเป้าหมายของไตรมาส ได้ประสานหน่วยงานที่เกี่ยวข้องเพื่อเร่งรัดแล้ว",
]
NARRATIVES = ON_PLAN_NARRATIVES + BEHIND_PLAN_NARRATIVES


def narrative_for(achievement: Decimal | None, rng: random.Random) -> str:
    """A narrative that agrees with the quarter's achievement."""
    on_plan = achievement is not None and achievement >= 100
    return rng.choice(ON_PLAN_NARRATIVES if on_plan else BEHIND_PLAN_NARRATIVES)


def load_seed_indicators() -> None:
    """The two real indicator pages of fiscal year 2564, exactly as the city published them."""
    for data in json.loads(SEED_FILE.read_text(encoding="utf-8")):
        agency = Agency.objects.get(prefix=data["agency"])
        indicator, created = Indicator.objects.get_or_create(
            fiscal_year_id=data["fiscal_year"],
            code=Indicator.build_code(agency.prefix, data["number"]),
            defaults={
                "agency": agency,
                "number": data["number"],
                **{
                    field: data[field]
                    for field in (
                        "display_number",
                        "name_th",
                        "unit",
                        "measure",
                        "direction",
                        "target",
                        "aggregation",
                        "kind",
                        "result_level",
                        "audit_quarter",
                        "definition",
                        "calculation_method",
                        "data_collection",
                        "summary",
                    )
                },
            },
        )
        if not created:
            continue
        indicator.strategy_nodes.set(
            StrategyNode.objects.filter(plan__code=PLAN_20_YEARS, code__in=data["strategy_nodes"])
        )
        for order, (code, title) in enumerate(data["datasets"], start=1):
            dataset, _ = Dataset.objects.get_or_create(code=code, defaults={"title_th": title})
            IndicatorDataset.objects.create(indicator=indicator, dataset=dataset, order=order)
        for quarter in data["quarters"]:
            report = QuarterReport.of(
                indicator,
                quarter["quarter"],
                value=Decimal(quarter["value"]),
                narrative=quarter["narrative"],
                status=ReportStatus.APPROVED,
            )
            report.save()
            Assessment.of(
                report,
                score=Decimal(quarter["score"]),
                score_2_1=Decimal(quarter["score_2_1"]),
                score_2_2=Decimal(quarter["score_2_2"]),
            ).save()


def _quarter_targets(template: Template) -> list[Decimal]:
    """Cumulative planned targets that reach the annual target in Q4."""
    if template.measure == "level":
        return [D(1), D(2), D(4), D(5)]
    if template.direction == "lower":
        return [template.target] * 4
    return [(template.target * share / 4).quantize(D("0.01")) for share in (1, 2, 3, 4)]


def _quarter_value(template: Template, planned: Decimal, rng: random.Random) -> Decimal:
    """A plausible result near the planned target."""
    if template.measure == "level":
        return max(D(0), min(D(5), planned - rng.choice([0, 0, 0, 1])))
    factor = D(str(rng.choice([0.8, 0.9, 0.95, 1, 1, 1.02, 1.05])))
    if template.direction == "lower":
        factor = 2 - factor
    value = (planned * factor).quantize(D("0.01"))
    return min(value, D(100)) if template.measure == "percent" else value


def _submitted_at(fiscal_year: FiscalYear, quarter: int, rng: random.Random) -> datetime.datetime:
    """A submission a few days before the quarter's due date, in working hours."""
    window = QuarterWindow.default_for(fiscal_year, quarter)
    day = window.due_on - datetime.timedelta(days=rng.randint(1, 10))
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def build_indicator(
    fiscal_year: FiscalYear, agency: Agency, number: int, template: Template, index: int
) -> Indicator:
    targets = _quarter_targets(template)
    return Indicator(
        fiscal_year=fiscal_year,
        agency=agency,
        number=number,
        code=Indicator.build_code(agency.prefix, number),
        display_number=f"อ.{index}",
        name_th=template.name_th,
        unit=template.unit,
        measure=template.measure,
        direction=template.direction,
        target=template.target,
        baseline=template.baseline,
        target_q1=targets[0],
        target_q2=targets[1],
        target_q3=targets[2],
        target_q4=targets[3],
        kind="strategic",
        result_level=template.result_level,
        definition=f"{template.name_th} หมายถึง ผลการดำเนินงานของ{agency.name_th}ตามแผนปฏิบัติราชการประจำปี",
        calculation_method=f"{template.name_th} นับรวมตั้งแต่ต้นปีงบประมาณจนถึงไตรมาสที่รายงาน",
        data_collection=f"1. รายงานผลการดำเนินงานของ{agency.name_th} 2. ระบบการบริหารจัดการแผนพัฒนากรุงเทพมหานคร (BMA digitalplans)",
    )


def build_reports(
    indicator: Indicator, template: Template, quarters: int, rng: random.Random, *, assessed: bool
) -> tuple[list[QuarterReport], list[Assessment]]:
    """Reports for the first `quarters` quarters with values, narratives and (maybe) scores."""
    from indicators import scoring

    reports, assessments = [], []
    for quarter in range(1, quarters + 1):
        target = indicator.target_for(quarter)
        value = _quarter_value(template, target, rng)
        achieved = scoring.achievement(
            value, target, indicator.direction, baseline=indicator.baseline
        )
        report = QuarterReport.of(
            indicator,
            quarter,
            value=value,
            narrative=narrative_for(achieved, rng),
            status=ReportStatus.APPROVED if assessed else ReportStatus.SUBMITTED,
            submitted_at=_submitted_at(indicator.fiscal_year, quarter, rng),
        )
        reports.append(report)
        if assessed:
            suggested = indicator.suggested_score(quarter, value)
            assessments.append(
                Assessment.of(
                    report,
                    score=suggested,
                    suggested_score=suggested,
                    score_2_1=suggested,
                    score_2_2=suggested,
                )
            )
    return reports, assessments


def _demo_plan() -> list[tuple[Agency, list[Template]]]:
    agencies = {
        a.prefix: a
        for a in Agency.objects.filter(prefix__in=[*DEMO_DISTRICTS, *DEPARTMENT_TEMPLATES])
    }
    plan = [(agencies[p], DISTRICT_TEMPLATES[i % 3 :: 2][:5]) for i, p in enumerate(DEMO_DISTRICTS)]
    plan += [(agencies[p], templates) for p, templates in DEPARTMENT_TEMPLATES.items()]
    return plan


def _insert_year(
    fiscal_year: FiscalYear, quarters: int, *, assessed_quarters: int, seed: int
) -> None:
    """Demo indicators of one year; numbering starts at 2001 to stay clear of the seeds."""
    rng = random.Random(seed)
    nodes = {n.code: n for n in StrategyNode.objects.filter(plan__code=PLAN_20_YEARS)}
    for agency, templates in _demo_plan():
        for index, template in enumerate(templates, start=1):
            number = 2000 + index
            code = Indicator.build_code(agency.prefix, number)
            if Indicator.objects.filter(fiscal_year=fiscal_year, code=code).exists():
                continue
            indicator = build_indicator(fiscal_year, agency, number, template, index)
            # A finished year was audited at its 12-month round: its official result is Q4's.
            indicator.audit_quarter = 4 if assessed_quarters == 4 else None
            indicator.save()
            indicator.strategy_nodes.add(nodes[template.node])
            if template.measure == "level":
                LevelCriterion.objects.bulk_create(
                    LevelCriterion(indicator=indicator, level=i, description=text)
                    for i, text in enumerate(LEVEL_CRITERIA, start=1)
                )
            reports, _ = build_reports(indicator, template, quarters, rng, assessed=False)
            for report in reports:
                if report.quarter <= assessed_quarters:
                    report.status = ReportStatus.APPROVED
                report.save()
                if report.quarter <= assessed_quarters:
                    # The official score follows the rules, as an auditor's approval records it.
                    score = suggested_score_of(report)
                    Assessment.of(
                        report,
                        score=score,
                        suggested_score=score,
                        score_2_1=score,
                        score_2_2=score,
                    ).save()


def _link_projects() -> None:
    project, _ = Project.objects.get_or_create(
        code="50300000-3561",
        defaults={"name_th": "โครงการส่งเสริมสภาเด็กและเยาวชนเขตบางคอแหลม", "progress": D(75)},
    )
    for indicator in Indicator.objects.filter(agency__prefix="5030", number__gt=2000):
        IndicatorProject.objects.get_or_create(
            indicator=indicator, project=project, defaults={"order": 1}
        )


def _link_lineage() -> None:
    """Each demo indicator continues the previous year's of the same code: the demo plan gives
    an agency the same indicators every year, so the detail pages show a line across years."""
    demo = Indicator.objects.filter(number__gt=2000).only(
        "pk", "fiscal_year_id", "code", "continues"
    )
    by_key = {(i.fiscal_year_id, i.code): i for i in demo}
    linked = []
    for (year, code), indicator in by_key.items():
        previous = by_key.get((year - 1, code))
        if previous is not None and indicator.continues_id is None:
            indicator.continues_id = previous.pk
            linked.append(indicator)
    Indicator.objects.bulk_update(linked, ["continues"])


def load_current_year(today: datetime.date) -> FiscalYear:
    """The fiscal year of `today`, its current quarter open for reporting."""
    year = fiscal_year_of(today)
    fiscal_year = load_fiscal_year(year)
    current = quarter_of(today)
    window = fiscal_year.windows.get(quarter=current)
    if not window.is_open_on(today):
        window.opens_on = min(window.opens_on, today)
        window.locks_on = max(window.locks_on, today + datetime.timedelta(days=30))
        window.due_on = max(window.due_on, today + datetime.timedelta(days=14))
        window.save()
    return fiscal_year


def load_demo_users() -> None:
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (REPORTER, AUDITOR, MANAGER)
    }
    people = [
        ("reporter5030", "สมชาย", "ใจดี", REPORTER, "5030"),
        ("reporter0100", "สมหญิง", "รักงาน", REPORTER, "0100"),
        ("auditor", "วิไล", "ตรวจการ", AUDITOR, None),
        ("manager", "ประเสริฐ", "บริหาร", MANAGER, None),
    ]
    for username, first, last, role, prefix in people:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[role])
        if prefix:
            AgencyMembership.objects.get_or_create(
                user=user, agency=Agency.objects.get(prefix=prefix)
            )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@example.org", DEMO_PASSWORD, first_name="ผู้ดูแลระบบ"
        )


def load_demo(today: datetime.date | None = None) -> None:
    """Reference data, the seeds, the demo set and users; a second run changes nothing.

    The stored standings are computed once it is committed: its first readers read them.
    """
    _load_demo_data(today)
    refresh_all()


@transaction.atomic
def _load_demo_data(today: datetime.date | None) -> None:
    from indicators.compare.demo import load_city_year  # it reads this module's narratives

    today = today or timezone.localdate()
    load_reference()
    load_seed_indicators()
    current_year = fiscal_year_of(today)
    # Every year from the seeds' to the current one holds a full year, so trends can be read.
    for year in range(2564, current_year):
        fiscal_year = load_fiscal_year(year)
        _insert_year(fiscal_year, 4, assessed_quarters=4, seed=year)
        load_city_year(fiscal_year, done=4, assessed=4)
    current = load_current_year(today)
    done_quarters = quarter_of(today) - 1
    assessed = max(0, done_quarters - 1)
    _insert_year(current, done_quarters, assessed_quarters=assessed, seed=current.year)
    load_city_year(
        current, done=done_quarters, assessed=assessed, current=quarter_of(today), today=today
    )
    _ensure_open_drafts(current, quarter_of(today))
    _submit_current_work(current, quarter_of(today), today)
    _link_projects()
    _link_lineage()
    load_demo_users()
    load_scorecard_demo([agency.pk for agency, _templates in _demo_plan()])


# The demo reporters' agencies keep the current quarter as empty drafts to fill in.
DEMO_REPORTER_AGENCIES = ("5030", "0100")


def _ensure_open_drafts(fiscal_year: FiscalYear, quarter: int) -> None:
    """Leave the current quarter of the demo agencies' indicators as empty drafts: real work waiting."""
    for indicator in Indicator.objects.filter(fiscal_year=fiscal_year):
        QuarterReport.objects.get_or_create(
            indicator=indicator, quarter=quarter, defaults={"fiscal_year": fiscal_year}
        )


def _submit_current_work(fiscal_year: FiscalYear, quarter: int, today: datetime.date) -> None:
    """Other agencies have sent the current quarter in the last days: the auditors' queue.

    Each report is consistent: a value near the planned target, a narrative that agrees with
    it and a submission time in the past days, as a reporter's submit records it.
    """
    rng = random.Random(fiscal_year.year * 10 + quarter)
    templates = {t.name_th: t for t in DISTRICT_TEMPLATES}
    templates |= {t.name_th: t for ts in DEPARTMENT_TEMPLATES.values() for t in ts}
    drafts = QuarterReport.objects.filter(
        indicator__fiscal_year=fiscal_year, quarter=quarter, status=ReportStatus.DRAFT
    ).exclude(indicator__agency__prefix__in=DEMO_REPORTER_AGENCIES)
    for report in drafts.select_related("indicator").order_by("indicator__code"):
        indicator = report.indicator
        target = indicator.target_for(quarter)
        template = templates.get(indicator.name_th)
        if template is None or report.value is not None:
            continue
        report.value = _quarter_value(template, target, rng)
        achieved = scoring.achievement(
            report.value, target, indicator.direction, baseline=indicator.baseline
        )
        report.narrative = narrative_for(achieved, rng)
        report.status = ReportStatus.SUBMITTED
        days_ago = rng.randint(0, 6)
        moment = datetime.datetime.combine(today, datetime.time(rng.randint(9, 16)))
        report.submitted_at = timezone.make_aware(moment) - datetime.timedelta(days=days_ago)
        report.save()
