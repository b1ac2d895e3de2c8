"""The demo's city indicators: three definitions measured by all 50 districts every year.

Results follow the demo's rules (indicators/demo_data.py): past quarters approved with the
suggested score as the official one, the current quarter sent by most districts and left as an
empty draft for the demo reporters' own agencies. Each district keeps a steady "form" across
the quarters of a year, so the map shows districts ahead and behind, not noise.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators import scoring
from indicators.compare.services import city_indicator_assign
from indicators.models import (
    Agency,
    Assessment,
    CityIndicator,
    CityRule,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
)

D = Decimal
# The demo's reporter agencies keep the current quarter as an empty draft (demo_data.py).
DRAFT_AGENCIES = ("5030", "0100")


@dataclass(frozen=True)
class CityTemplate:
    slug: str
    number: int
    name_th: str
    name_en: str
    unit: str
    measure: str
    direction: str
    target: Decimal
    city_rule: str
    cumulative: bool  # planned quarter targets build up to the annual target
    definition: str


CITY_TEMPLATES = [
    CityTemplate(
        "traffy-resolved",
        3001,
        "ร้อยละของเรื่องร้องเรียนผ่านระบบ Traffy Fondue ที่ดำเนินการแล้วเสร็จ",
        "Traffy Fondue complaints resolved (%)",
        "ร้อยละ",
        "percent",
        "higher",
        D(80),
        CityRule.MEAN,
        False,
        "เรื่องร้องเรียนที่ประชาชนแจ้งผ่านระบบ Traffy Fondue ในพื้นที่เขต "
        "ซึ่งเขตดำเนินการแก้ไขแล้วเสร็จ เทียบกับเรื่องที่ได้รับทั้งหมด",
    ),
    CityTemplate(
        "trees-planted",
        3002,
        "จำนวนต้นไม้ที่ปลูกเพิ่มในพื้นที่เขต (โครงการต้นไม้ล้านต้น)",
        "Trees planted in the district (Million Trees project)",
        "ต้น",
        "number",
        "higher",
        D(2000),
        CityRule.SUM,
        True,
        "ต้นไม้ยืนต้นที่เขตปลูกเพิ่มในที่สาธารณะและพื้นที่ภาคีตั้งแต่ต้นปีงบประมาณ นับสะสม",
    ),
    CityTemplate(
        "registration-wait",
        3003,
        "ระยะเวลาเฉลี่ยในการให้บริการงานทะเบียนราษฎรของสำนักงานเขต",
        "Average service time at the district civil registration counter",
        "นาที",
        "number",
        "lower",
        D(15),
        CityRule.MEAN,
        False,
        "เวลาเฉลี่ยตั้งแต่รับบัตรคิวจนได้รับบริการงานทะเบียนราษฎรเสร็จ จากระบบคิวของสำนักงานเขต",
    ),
]


def _city_indicator(fiscal_year: FiscalYear, template: CityTemplate) -> CityIndicator:
    city, _ = CityIndicator.objects.get_or_create(
        fiscal_year=fiscal_year,
        slug=template.slug,
        defaults={
            "number": template.number,
            "name_th": template.name_th,
            "name_en": template.name_en,
            "unit": template.unit,
            "measure": template.measure,
            "direction": template.direction,
            "target": template.target,
            "city_rule": template.city_rule,
            "definition": template.definition,
            "calculation_method": template.definition,
        },
    )
    return city


def _plan(indicator: Indicator, template: CityTemplate) -> None:
    """Planned quarter targets: a quarter each of a cumulative target, else the annual one."""
    for quarter in (1, 2, 3, 4):
        share = D(quarter) / 4 if template.cumulative else D(1)
        setattr(indicator, f"target_q{quarter}", (indicator.target * share).quantize(D("0.01")))


def _value(indicator: Indicator, quarter: int, form: float, rng: random.Random) -> Decimal:
    """A result near the planned target scaled by the district's form (lower: the inverse)."""
    planned = indicator.target_for(quarter)
    factor = form * rng.uniform(0.95, 1.05)
    if indicator.direction == "lower":
        factor = 1 / factor
    value = (planned * D(str(round(factor, 3)))).quantize(D("0.01"))
    return min(value, D(100)) if indicator.measure == "percent" else value


def _narrative(indicator: Indicator, quarter: int, value: Decimal, rng: random.Random) -> str:
    from indicators.demo_data import narrative_for  # demo_data calls this module

    achieved = scoring.achievement(
        value, indicator.target_for(quarter), indicator.direction, baseline=indicator.baseline
    )
    return narrative_for(achieved, rng)


def _sent_at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _targets(template: CityTemplate, agencies: list[Agency], rng: random.Random) -> dict:
    """Trees: a target by district (large outer districts plant more); others the city's."""
    if template.slug != "trees-planted":
        return {}
    return {agency.prefix: D(rng.choice([1000, 1500, 2000, 2500, 3000])) for agency in agencies}


def _prepare(indicators: list[Indicator], template: CityTemplate, *, audited: bool) -> None:
    """Planned quarter targets, and the audit quarter of a year that is over: one UPDATE per
    distinct target (exact decimals, the same on SQLite and PostgreSQL)."""
    audit_quarter = 4 if audited else None
    by_target: dict[Decimal, list[Indicator]] = {}
    for indicator in indicators:
        _plan(indicator, template)
        indicator.audit_quarter = audit_quarter
        by_target.setdefault(indicator.target, []).append(indicator)
    for same in by_target.values():
        planned = {f"target_q{q}": getattr(same[0], f"target_q{q}") for q in (1, 2, 3, 4)}
        Indicator.objects.filter(pk__in=[i.pk for i in same]).update(
            **planned, audit_quarter=audit_quarter
        )


def _reports(
    indicator: Indicator, done: int, assessed: int, rng: random.Random
) -> list[QuarterReport]:
    form = rng.triangular(0.55, 1.2, 1.0)
    reports = []
    for quarter in range(1, done + 1):
        value = _value(indicator, quarter, form, rng)
        due = indicator.fiscal_year.window(quarter).due_on
        reports.append(
            QuarterReport.of(
                indicator,
                quarter,
                value=value,
                narrative=_narrative(indicator, quarter, value, rng),
                status=ReportStatus.APPROVED if quarter <= assessed else ReportStatus.SUBMITTED,
                submitted_at=_sent_at(due - datetime.timedelta(days=rng.randint(1, 10)), rng),
            )
        )
    return reports


def _current(
    indicator: Indicator, quarter: int, today: datetime.date, rng: random.Random
) -> QuarterReport | None:
    """Most districts have sent the current quarter in the past days; a few have not yet."""
    if indicator.agency.prefix in DRAFT_AGENCIES or rng.random() < 0.15:
        return None
    value = _value(indicator, quarter, rng.triangular(0.55, 1.2, 1.0), rng)
    return QuarterReport.of(
        indicator,
        quarter,
        value=value,
        narrative=_narrative(indicator, quarter, value, rng),
        status=ReportStatus.SUBMITTED,
        submitted_at=_sent_at(today - datetime.timedelta(days=rng.randint(1, 6)), rng),
    )


def _assessments(reports: list[QuarterReport]) -> list[Assessment]:
    """The official score of an approved quarter is the suggested one, as in the demo."""
    assessments = []
    for report in reports:
        if report.status != ReportStatus.APPROVED:
            continue
        score = report.indicator.suggested_score(report.quarter, report.value)
        assessments.append(
            Assessment.of(
                report,
                score=score,
                suggested_score=score,
                score_2_1=score,
                score_2_2=score,
            )
        )
    return assessments


def load_city_year(
    fiscal_year: FiscalYear,
    *,
    done: int,
    assessed: int,
    current: int | None = None,
    today: datetime.date | None = None,
) -> None:
    """The three city indicators of a year for all 50 districts; a second run adds nothing."""
    rng = random.Random(fiscal_year.year * 7)
    # Every report asks its quarter's window: the year's windows come once, not per report.
    fiscal_year = FiscalYear.objects.prefetch_related("windows").get(pk=fiscal_year.pk)
    districts = list(Agency.objects.districts())
    reports: list[QuarterReport] = []
    for template in CITY_TEMPLATES:
        city = _city_indicator(fiscal_year, template)
        created = city_indicator_assign(
            city_indicator=city, agencies=districts, targets=_targets(template, districts, rng)
        ).created
        _prepare(created, template, audited=current is None)
        for indicator in created:
            indicator.fiscal_year = fiscal_year
            reports += _reports(indicator, done, assessed, rng)
            if current is not None and today is not None:
                reports += filter(None, [_current(indicator, current, today, rng)])
    bulk_create_with_history(reports, QuarterReport)
    bulk_create_with_history(_assessments(reports), Assessment)
