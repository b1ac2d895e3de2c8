"""What an indicator page shows, worked out once for the HTML page and the PDF sheet alike.

`summarize()` reads only what `detail_queryset()` (or `Indicator.objects.with_reports()` for
lists) loaded, so a page of many indicators costs a fixed number of queries.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from indicators import scoring
from indicators.models import (
    QUARTERS,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    QuarterReport,
    StrategyNode,
)
from indicators.quality import QualityIssue, indicator_issues

ROUTINE_MISSION = "**** ภารกิจงานประจำของหน่วยงาน ****"
STATUS_LABELS = {
    scoring.Status.ACHIEVED: _("บรรลุเป้าหมาย"),
    scoring.Status.ON_TRACK: _("เป็นไปตามแผน"),
    scoring.Status.OFF_TRACK: _("ต่ำกว่าแผน"),
    scoring.Status.NOT_REPORTED: _("ยังไม่รายงาน"),
}


@dataclass(frozen=True)
class QuarterRow:
    quarter: int
    planned_target: Decimal | None
    report: QuarterReport | None
    achievement: Decimal | None
    suggested_score: Decimal | None

    @property
    def value(self) -> Decimal | None:
        return self.report.value if self.report else None

    @property
    def narrative(self) -> str:
        return self.report.narrative if self.report else ""

    @property
    def assessment(self):
        report = self.report
        if report is None:
            return None
        try:
            return report.assessment
        except QuarterReport.assessment.RelatedObjectDoesNotExist:
            return None

    @property
    def score(self) -> Decimal | None:
        return self.assessment.score if self.assessment else None

    @property
    def score_2_1(self) -> Decimal | None:
        return self.assessment.score_2_1 if self.assessment else None

    @property
    def score_2_2(self) -> Decimal | None:
        return self.assessment.score_2_2 if self.assessment else None

    @property
    def is_reported(self) -> bool:
        return self.value is not None

    @property
    def is_assessed(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    rows: list[QuarterRow]
    overall_result: Decimal | None
    achievement: Decimal | None
    status: scoring.Status
    rating: int | None
    strategy_paths: list[list[StrategyNode]] = field(default_factory=list)
    quality_issues: list[QualityIssue] = field(default_factory=list)

    @property
    def audit_row(self) -> QuarterRow | None:
        """The quarter of the official audit (สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ N)."""
        quarter = self.indicator.audit_quarter
        return self.rows[quarter - 1] if quarter else None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_routine(self) -> bool:
        return not self.strategy_paths

    def latest_reported(self) -> QuarterRow | None:
        reported = [row for row in self.rows if row.is_reported]
        return reported[-1] if reported else None


def detail_queryset() -> QuerySet[Indicator]:
    """Everything the detail page and sheet show, in a fixed number of queries."""
    return Indicator.objects.with_reports().prefetch_related(
        Prefetch(
            "strategy_nodes",
            queryset=StrategyNode.objects.select_related("parent__parent__parent").order_by("code"),
        ),
        Prefetch(
            "indicatordataset_set",
            queryset=IndicatorDataset.objects.select_related("dataset").order_by("order"),
        ),
        Prefetch(
            "indicatorproject_set",
            queryset=IndicatorProject.objects.select_related("project").order_by("order"),
        ),
        "criteria",
    )


def _path(node: StrategyNode) -> list[StrategyNode]:
    """The node and its ancestors, dimension first."""
    path = [node]
    while path[0].parent_id is not None:
        path.insert(0, path[0].parent)
    return path


def _rows(indicator: Indicator) -> list[QuarterRow]:
    reports = indicator.quarter_reports()
    rows = []
    for quarter in QUARTERS:
        report = reports.get(quarter)
        planned = indicator.quarter_target(quarter)
        value = report.value if report else None
        target = planned if planned is not None else indicator.target
        rows.append(
            QuarterRow(
                quarter=quarter,
                planned_target=planned,
                report=report,
                achievement=scoring.achievement(
                    value, target, indicator.direction, baseline=indicator.baseline
                ),
                suggested_score=scoring.suggested_score(
                    value, target, indicator.direction, baseline=indicator.baseline
                ),
            )
        )
    return rows


def summarize(
    indicator: Indicator, *, with_paths: bool = False, with_quality: bool = False
) -> IndicatorSummary:
    """The derived facts of one indicator; paths and quality need `detail_queryset()`."""
    rows = _rows(indicator)
    overall = indicator.overall_result()
    achieved = scoring.achievement(
        overall, indicator.target, indicator.direction, baseline=indicator.baseline
    )
    reported = [row for row in rows if row.is_reported]
    latest = reported[-1].achievement if reported else None
    thresholds = indicator.fiscal_year.rating_thresholds()
    return IndicatorSummary(
        indicator=indicator,
        rows=rows,
        overall_result=overall,
        achievement=achieved,
        status=scoring.status(achieved, latest),
        rating=scoring.rating(achieved, thresholds),
        strategy_paths=[_path(n) for n in indicator.strategy_nodes.all()] if with_paths else [],
        quality_issues=indicator_issues(indicator) if with_quality else [],
    )
