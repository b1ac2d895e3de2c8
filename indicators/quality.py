"""Data-quality checks auditors and managers see on an indicator.

Historical data is kept as the city published it; these checks point out where it breaks today's
rules instead of silently changing it. The rules are those the entry form and the results import
apply (`indicators.values`). Works on an indicator loaded with `with_reports()`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.digitalplans.values import read_number
from indicators.models import Indicator, Measure
from indicators.values import value_problems_for


@dataclass(frozen=True)
class QualityIssue:
    code: str
    message: str
    quarter: int | None = None


def _printed_number(indicator: Indicator, key: str) -> Decimal | None:
    return read_number(indicator.source_text.get(key, "")).value


def _text_in_numbers(indicator: Indicator) -> list[QualityIssue]:
    """A number field of the old page that held words or more decimals than the portal keeps."""
    fields = {"target": _("ค่าเป้าหมาย"), "result": _("ผลงานที่ทำได้")}
    return [
        QualityIssue(
            "text_in_number",
            _("%(field)s บนหน้าเดิมเขียนว่า “%(text)s” ซึ่งไม่ใช่ตัวเลขล้วน: เก็บข้อความเดิมไว้คู่กับตัวเลข")
            % {"field": label, "text": indicator.source_text[key]},
        )
        for key, label in fields.items()
        if indicator.source_text.get(key) and not read_number(indicator.source_text[key]).plain
    ]


def _migrated_issues(indicator: Indicator) -> list[QualityIssue]:
    """What the old system published that today's rules would refuse."""
    if not indicator.source_text:
        return []
    issues = _text_in_numbers(indicator)
    result = _printed_number(indicator, "result")
    if indicator.target == 0 and result:
        issues.append(
            QualityIssue(
                "target_zero_with_result",
                _("ค่าเป้าหมายเป็น 0 แต่ผลงานที่ทำได้เป็น %(result)s: เทียบผลกับเป้าหมายไม่ได้")
                % {"result": f"{result:g}"},
            )
        )
    if indicator.measure == Measure.LEVEL and result is not None and not 0 <= result <= 5:
        issues.append(
            QualityIssue(
                "result_other_scale",
                _("ผลงานที่ทำได้ %(result)s อยู่คนละมาตราส่วนกับเป้าหมายระดับ 1–5")
                % {"result": f"{result:g}"},
            )
        )
    derived = indicator.overall_result()
    if result is not None and derived is not None and result != derived:
        issues.append(
            QualityIssue(
                "published_result_differs",
                _("ผลงานที่ทำได้ที่หน้าเดิมเผยแพร่ (%(published)s) ไม่ตรงกับผลที่คิดจากรายไตรมาส (%(derived)s)")
                % {"published": f"{result:g}", "derived": f"{derived:g}"},
            )
        )
    return issues + _audit_issues(indicator)


def _audit_issues(indicator: Indicator) -> list[QualityIssue]:
    audit_score = _printed_number(indicator, "audit_score")
    quarter = indicator.audit_quarter
    report = indicator.quarter_reports().get(quarter) if quarter else None
    assessment = getattr(report, "assessment", None) if report else None
    table_score = assessment.score if assessment else None
    if audit_score is None or audit_score == table_score:
        return []
    return [
        QualityIssue(
            "audit_score_differs",
            _("คะแนน สยป. ไตรมาสที่ %(quarter)s (%(audit)s) ไม่ตรงกับผลประเมินในตาราง (%(table)s)")
            % {
                "quarter": quarter,
                "audit": f"{audit_score:g}",
                "table": "–" if table_score is None else f"{table_score:g}",
            },
            quarter,
        )
    ]


def indicator_issues(indicator: Indicator) -> list[QualityIssue]:
    """Every data-quality issue of one indicator, quarter by quarter, in a stable order."""
    issues: list[QualityIssue] = []
    previous = None
    for report in sorted(indicator.reports.all(), key=lambda r: r.quarter):
        if report.value is None:
            continue
        for problem in value_problems_for(indicator, report.value, previous):
            message = _("ไตรมาสที่ %(quarter)s: %(problem)s") % {
                "quarter": report.quarter,
                "problem": problem.message,
            }
            issues.append(QualityIssue(problem.code, message, report.quarter))
        previous = report.value
    return issues + _migrated_issues(indicator)
