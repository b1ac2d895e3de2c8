"""A small agency-year of performance agreements worked out by hand, for the scorecard tests
(pages, cards and PDFs)."""

from decimal import Decimal as D

from indicators.models import (
    Agency,
    Assessment,
    Indicator,
    LevelCriterion,
    QuarterReport,
    ReportStatus,
    SelfAssessment,
)
from indicators.reference_data import load_fiscal_year

YEAR = 2591


def make_indicator(prefix: str, number: int, **fields) -> Indicator:
    defaults = {
        "name_th": f"ตัวชี้วัดคำรับรอง {number}",
        "unit": "ร้อยละ",
        "measure": "percent",
        "kind": "strategic",
        "result_level": "output",
        "target": D(100),
    }
    return Indicator.objects.create(
        fiscal_year_id=YEAR,
        agency=Agency.objects.get(prefix=prefix),
        number=number,
        code=Indicator.build_code(prefix, number),
        **(defaults | fields),
    )


def ladder(indicator: Indicator, *thresholds: D) -> None:
    LevelCriterion.objects.bulk_create(
        LevelCriterion(indicator=indicator, level=level, description=f"ระดับ {level}", threshold=t)
        for level, t in enumerate(thresholds, start=1)
    )


def result(indicator, quarter, value, status=ReportStatus.APPROVED, score=None) -> QuarterReport:
    report = QuarterReport.of(indicator, quarter, value=value, status=status)
    report.save()
    if score is not None:
        Assessment.of(report, score=score).save()
    return report


def make_agreement_year(reporter5030) -> dict[str, Indicator]:
    """5030 in 2591 (published), weights 40 + 35 + 25 = 100:

    A percent, target 100, planned 50 at Q2; criteria 60 70 80 90 100.
      Q2 approved 42.5 → 42.5 × 100 ÷ 50 = 85 → 3 + 5 ÷ 10 = 3.50; Q4 approved 95 → 4.50.
    B lower is better, target 10; criteria 50 40 30 20 10.
      Q2 approved 25 → 3 + (25 − 30) ÷ (20 − 30) = 3.50; Q4 only submitted (5): no result.
    C number, no criteria: Q2 approved, auditors' score 90 → 90 ÷ 20 = 4.50;
      Q4 approved without a score: no result.
    Round 6: (40 × 3.5 + 35 × 3.5 + 25 × 4.5) ÷ 100 = 3.75. Round 12: 40 × 4.5 ÷ 100 = 1.80.
    Self-assessments: A round 6 claims 4.00 (+0.50); B round 12 claims 3.00 (not yet official).
    5001 has two indicators at the default weight 1 each: shares 50 and 50.
    """
    load_fiscal_year(YEAR, published=True)
    a = make_indicator("5030", 1, weight=D(40), target_q2=D(50))
    ladder(a, D(60), D(70), D(80), D(90), D(100))
    result(a, 2, D("42.5"))
    result(a, 4, D(95))
    b = make_indicator("5030", 2, weight=D(35), direction="lower", target=D(10))
    ladder(b, D(50), D(40), D(30), D(20), D(10))
    result(b, 2, D(25))
    result(b, 4, D(5), status=ReportStatus.SUBMITTED)
    c = make_indicator("5030", 3, weight=D(25), measure="number", unit="ครั้ง", target=D(12))
    result(c, 2, D(10), score=D(90))
    result(c, 4, D(12))
    SelfAssessment.objects.create(indicator=a, round=6, rating=D(4), entered_by=reporter5030)
    SelfAssessment.objects.create(indicator=b, round=12, rating=D(3), entered_by=reporter5030)
    d = make_indicator("5001", 1)
    e = make_indicator("5001", 2)
    result(d, 2, D(100), score=D(100))  # 5
    result(e, 2, D(60), score=D(60))  # 3
    return {"a": a, "b": b, "c": c, "d": d, "e": e}
