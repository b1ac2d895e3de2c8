"""Data-quality checks auditors and managers see on an indicator.

Historical data is kept as the city published it; these checks point out where it breaks today's
rules instead of silently changing it. The rules are those the entry form and the results import
apply (`indicators.values`). Works on an indicator loaded with `with_reports()`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.values import value_problems_for


@dataclass(frozen=True)
class QualityIssue:
    code: str
    message: str
    quarter: int | None = None


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
    return issues
