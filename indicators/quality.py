"""Data-quality checks auditors and managers see on an indicator.

Historical data is kept as the city published it; these checks point out where it breaks today's
rules instead of silently changing it. Works on an indicator loaded with `with_reports()`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.models import Indicator, Measure


@dataclass(frozen=True)
class QualityIssue:
    code: str
    message: str
    quarter: int | None = None


def _level_issues(indicator: Indicator) -> list[QualityIssue]:
    issues = []
    for report in indicator.reports.all():
        value = report.value
        if value is None:
            continue
        if value < 0 or value > 5 or value != value.to_integral_value():
            issues.append(
                QualityIssue(
                    "level_out_of_scale",
                    _("ไตรมาสที่ %(quarter)s รายงานค่า %(value)s ซึ่งไม่ใช่ระดับ 0–5")
                    % {"quarter": report.quarter, "value": f"{value:g}"},
                    report.quarter,
                )
            )
    return issues


def _percent_issues(indicator: Indicator) -> list[QualityIssue]:
    return [
        QualityIssue(
            "percent_over_100",
            _("ไตรมาสที่ %(quarter)s รายงานร้อยละ %(value)s ซึ่งเกิน 100")
            % {
                "quarter": report.quarter,
                "value": f"{report.value:g}",
            },
            report.quarter,
        )
        for report in indicator.reports.all()
        if report.value is not None and report.value > Decimal(100)
    ]


def _cumulative_issues(indicator: Indicator) -> list[QualityIssue]:
    """A cumulative ("latest") result that falls from one quarter to the next."""
    if indicator.aggregation != "latest" or indicator.direction == "lower":
        return []
    issues = []
    previous = None
    for report in indicator.reports.all():
        if report.value is None:
            continue
        if previous is not None and previous.value is not None and report.value < previous.value:
            issues.append(
                QualityIssue(
                    "not_cumulative",
                    _(
                        "ผลสะสมไตรมาสที่ %(quarter)s (%(value)s) ต่ำกว่าไตรมาสที่ %(previous)s (%(before)s)"
                    )
                    % {
                        "quarter": report.quarter,
                        "value": f"{report.value:g}",
                        "previous": previous.quarter,
                        "before": f"{previous.value:g}",
                    },
                    report.quarter,
                )
            )
        previous = report
    return issues


def indicator_issues(indicator: Indicator) -> list[QualityIssue]:
    """Every data-quality issue of one indicator, in a stable order."""
    issues: list[QualityIssue] = []
    if indicator.measure == Measure.LEVEL:
        issues += _level_issues(indicator)
    if indicator.measure == Measure.PERCENT:
        issues += _percent_issues(indicator)
    issues += _cumulative_issues(indicator)
    return issues
