"""What an indicator page shows, worked out once for the HTML page and the PDF sheet alike.

`summarize()` reads only what `detail_queryset()` (or `Indicator.objects.with_reports()` for
lists) loaded, so a page of many indicators costs a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Expression,
    ExpressionWrapper,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, NullIf, Round
from django.db.models.lookups import Exact, GreaterThanOrEqual, IsNull, LessThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import scoring
from indicators.models import (
    QUARTERS,
    Assessment,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    NodeLevel,
    QuarterReport,
    ReviewComment,
    StrategyNode,
)
from indicators.quality import QualityIssue, indicator_issues

ROUTINE_MISSION = "**** ภารกิจงานประจำของหน่วยงาน ****"
# The same words for the reader's language (the seed writes them in Thai).
ROUTINE_MISSION_LABEL = _("**** ภารกิจงานประจำของหน่วยงาน ****")


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
        return status_label(self.status)

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


STATUS_LABELS = {
    scoring.Status.ACHIEVED: _("บรรลุเป้าหมาย"),
    scoring.Status.ON_TRACK: _("เป็นไปตามแผน"),
    scoring.Status.OFF_TRACK: _("ต่ำกว่าแผน"),
    scoring.Status.NOT_REPORTED: _("ยังไม่รายงาน"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[scoring.Status(status)])


def node_label(node: StrategyNode) -> str:
    """The node as the city's page writes it in Thai (Thai digits); Arabic digits in English."""
    if not get_language().startswith("en"):
        return node.label_th()
    name = node.name_en or node.name_th
    if node.level == NodeLevel.DIMENSION:
        return _("ด้านที่ %(code)s - %(name)s") % {"code": node.code, "name": name}
    return f"{node.code} - {name}"


def chart_data(summary: IndicatorSummary) -> dict:
    """Quarterly results against planned targets for the chart; None stays null (a gap)."""

    def number(value: Decimal | None) -> float | None:
        return float(value) if value is not None else None

    return {
        "labels": [str(_("ไตรมาสที่ %(n)s") % {"n": row.quarter}) for row in summary.rows],
        "results": [number(row.value) for row in summary.rows],
        "targets": [
            number(
                row.planned_target if row.planned_target is not None else summary.indicator.target
            )
            for row in summary.rows
        ],
        "result_label": str(_("ผลงาน")),
        "target_label": str(_("เป้าหมาย")),
    }


# Status in SQL, to filter and count many indicators without loading them. It mirrors
# scoring.achievement() and scoring.status() on summarize(); tests/indicators/test_status_sql.py
# proves they agree on every indicator of the demo data and on the edge cases.
HUNDRED = Value(Decimal(100), output_field=DecimalField())
ZERO = Value(Decimal(0), output_field=DecimalField())


def _pct(numerator: Expression, denominator: Expression) -> Expression:
    """max(0, round(numerator × 100 / denominator, 2)), as scoring.achievement rounds."""
    ratio = ExpressionWrapper(numerator * HUNDRED / denominator, output_field=DecimalField())
    return Greatest(Round(ratio, 2), ZERO, output_field=DecimalField())


def _reaches(value: Expression, target: Expression) -> Case:
    """100 when `value` meets `target` (the zero-target and zero-value rules), else 0."""
    return Case(When(LessThanOrEqual(value, target), then=HUNDRED), default=ZERO)


def achievement_sql(value: Expression, target: Expression) -> Case:
    """scoring.achievement() as an SQL expression over an indicator's direction and baseline."""
    higher = Case(
        When(
            Exact(target, ZERO),
            then=Case(When(GreaterThanOrEqual(value, ZERO), then=HUNDRED), default=ZERO),
        ),
        default=_pct(value, target),
    )
    targeted = ExpressionWrapper(F("baseline") - target, output_field=DecimalField())
    lower_with_baseline = Case(
        When(LessThanOrEqual(targeted, ZERO), then=_reaches(value, target)),
        default=_pct(
            ExpressionWrapper(F("baseline") - value, output_field=DecimalField()), targeted
        ),
    )
    lower = Case(When(LessThanOrEqual(value, ZERO), then=HUNDRED), default=_pct(target, value))
    # Callers test for a missing value first: repeating the test here would copy `value` (a large
    # expression) once more into the SQL.
    return Case(
        When(Q(direction__in=["higher", "level"]), then=higher),
        When(Q(direction="lower", baseline__isnull=False), then=lower_with_baseline),
        When(Q(direction="lower"), then=lower),
        output_field=DecimalField(),
    )


def with_status(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Annotate `status_code` (a scoring.Status value) and `achievement_sql`, computed in SQL.

    One join to the quarter reports pivoted into value_q1..value_q4 (Max of one row each, so a
    join that repeats rows, like strategy nodes, changes nothing); the aggregation rules then work
    on the four columns as scoring.aggregate_quarters() does on the four values.
    """
    pivots = {f"value_q{q}": Max("reports__value", filter=Q(reports__quarter=q)) for q in QUARTERS}
    queryset = queryset.annotate(**pivots)
    values = [F(f"value_q{q}") for q in QUARTERS]
    latest_value = Coalesce(*reversed(values), output_field=DecimalField())
    latest_target = Case(
        *[
            When(**{f"value_q{q}__isnull": False}, then=Coalesce(f"target_q{q}", "target"))
            for q in reversed(QUARTERS)
        ],
        output_field=DecimalField(),
    )
    total = sum((Coalesce(v, ZERO) for v in values[1:]), Coalesce(values[0], ZERO))
    reported = sum(
        (Case(When(IsNull(v, False), then=1), default=0) for v in values[1:]),
        Case(When(IsNull(values[0], False), then=1), default=0),
    )
    if connection.vendor == "postgresql":  # GREATEST there skips NULLs
        highest = Greatest(*values, output_field=DecimalField())
    else:
        # Elsewhere Greatest() is NULL when any argument is; the latest value stands in for the
        # quarters not reported, which cannot change the maximum.
        highest = Greatest(
            *[Coalesce(v, latest_value) for v in values], output_field=DecimalField()
        )
    overall = Case(
        When(aggregation="latest", then=latest_value),
        When(aggregation="sum", then=total),
        When(
            aggregation="average",
            then=Round(
                ExpressionWrapper(total / NullIf(reported, 0), output_field=DecimalField()), 2
            ),
        ),
        When(aggregation="max", then=highest),
        output_field=DecimalField(),
    )
    achieved = achievement_sql(overall, F("target"))
    latest_achieved = achievement_sql(latest_value, latest_target)
    return queryset.annotate(
        achievement_sql=Case(
            When(IsNull(latest_value, True), then=Value(None)),
            default=achieved,
            output_field=DecimalField(),
        ),
        status_code=Case(
            When(IsNull(latest_value, True), then=Value(scoring.Status.NOT_REPORTED.value)),
            When(GreaterThanOrEqual(achieved, HUNDRED), then=Value(scoring.Status.ACHIEVED.value)),
            When(
                GreaterThanOrEqual(latest_achieved, HUNDRED),
                then=Value(scoring.Status.ON_TRACK.value),
            ),
            default=Value(scoring.Status.OFF_TRACK.value),
            output_field=CharField(),
        ),
    )


def sql_status_available() -> bool:
    """PostgreSQL computes the status; SQLite's parser is too shallow for the expression."""
    return connection.vendor == "postgresql"


def status_map(queryset: QuerySet[Indicator]) -> dict[int, tuple[str, Decimal | None]]:
    """(status, achievement) by indicator pk: in SQL on PostgreSQL, else by summarize()."""
    if sql_status_available():
        rows = with_status(queryset).order_by().values_list("pk", "status_code", "achievement_sql")
        return {pk: (status, achieved) for pk, status, achieved in rows}
    return {
        indicator.pk: (summary.status.value, summary.achievement)
        for indicator in queryset.with_reports()
        for summary in [summarize(indicator)]
    }


def statuses_of(queryset: QuerySet[Indicator]) -> list[str]:
    """The status of every indicator of `queryset`; on PostgreSQL without the achievement."""
    if sql_status_available():
        return list(with_status(queryset).order_by().values_list("status_code", flat=True))
    return [status for status, _achieved in status_map(queryset).values()]


def with_status_code(queryset: QuerySet[Indicator], status: str) -> QuerySet[Indicator]:
    """The indicators of `queryset` whose status is `status`."""
    if sql_status_available():
        # The status needs a GROUP BY over the reports: work it out once, here, rather than
        # inside both the page's COUNT and its page query.
        matching = with_status(queryset).filter(status_code=status).values_list("pk", flat=True)
        return queryset.filter(pk__in=list(matching))
    pks = [pk for pk, (code, _a) in status_map(queryset).items() if code == status]
    return queryset.filter(pk__in=pks)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an indicator's timeline: who did what, when, to which quarter."""

    when: datetime.datetime
    who: object  # a User or None (a script, an import)
    subject: str
    action: str
    quarter: int | None = None
    changes: tuple[Change, ...] = ()
    note: str = ""


TRACKED_FIELDS = {
    Indicator: (
        "display_number",
        "name_th",
        "name_en",
        "unit",
        "measure",
        "direction",
        "target",
        "baseline",
        "target_q1",
        "target_q2",
        "target_q3",
        "target_q4",
        "aggregation",
        "kind",
        "result_level",
        "definition",
        "calculation_method",
        "data_collection",
        "summary",
        "audit_quarter",
    ),
    QuarterReport: ("value", "narrative", "status", "is_unlocked"),
    Assessment: ("score", "score_2_1", "score_2_2", "reason"),
}
ACTIONS = {"+": _("สร้าง"), "~": _("แก้ไข"), "-": _("ลบ")}


def _shown(record: object, name: str) -> str:
    value = getattr(record, name)
    if value is None or value == "":
        return "–"
    display = getattr(record, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return str(_("ใช่") if value else _("ไม่ใช่"))
    return f"{value:g}" if isinstance(value, Decimal) else str(value)


def _changes(model: type, record: object, previous: object | None) -> tuple[Change, ...]:
    if previous is None:
        return ()
    return tuple(
        Change(
            str(model._meta.get_field(name).verbose_name),
            _shown(previous, name),
            _shown(record, name),
        )
        for name in TRACKED_FIELDS[model]
        if getattr(previous, name) != getattr(record, name)
    )


def _entries(model: type, records: list, subject: str, quarter_of) -> list[HistoryEntry]:
    """Timeline entries of one model's historical records, each diffed against the one before."""
    entries = []
    previous_by_id: dict[int, object] = {}
    for record in records:
        previous = previous_by_id.get(record.id)
        previous_by_id[record.id] = record
        changes = _changes(model, record, previous)
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing a reader sees (a version bump)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=subject,
                action=str(ACTIONS.get(record.history_type, "")),
                quarter=quarter_of(record),
                changes=changes,
            )
        )
    return entries


def indicator_history(indicator: Indicator, *, limit: int = 100) -> list[HistoryEntry]:
    """Changes to the indicator, its quarter reports and scores, and the review thread, newest first.

    Four queries whatever the length of the history.
    """
    quarter_by_report = {report.pk: report.quarter for report in indicator.reports.all()}
    ordering = ("id", "history_date")
    indicator_records = list(
        Indicator.history.filter(id=indicator.pk).select_related("history_user").order_by(*ordering)
    )
    report_records = list(
        QuarterReport.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by(*ordering)
    )
    assessment_records = list(
        Assessment.history.filter(report_id__in=list(quarter_by_report))
        .select_related("history_user")
        .order_by(*ordering)
    )
    entries = [
        *_entries(Indicator, indicator_records, str(_("ข้อมูลตัวชี้วัด")), lambda r: None),
        *_entries(QuarterReport, report_records, str(_("รายงานผล")), lambda r: r.quarter),
        *_entries(
            Assessment,
            assessment_records,
            str(_("ผลประเมิน")),
            lambda r: quarter_by_report.get(r.report_id),
        ),
    ]
    comments = ReviewComment.objects.filter(report__indicator=indicator).select_related(
        "author", "report"
    )
    entries += [
        HistoryEntry(
            when=comment.created_at,
            who=comment.author,
            subject=str(_("การตรวจ")),
            action=comment.get_kind_display(),
            quarter=comment.report.quarter,
            note=comment.body,
        )
        for comment in comments
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def paths_queryset() -> QuerySet[Indicator]:
    """Indicators with their reports and strategy paths: the agency page's rows."""
    return Indicator.objects.with_reports().prefetch_related(
        Prefetch(
            "strategy_nodes",
            queryset=StrategyNode.objects.select_related("parent__parent__parent").order_by("code"),
        )
    )


@dataclass
class DimensionGroup:
    dimension: StrategyNode | None  # None: the agency's routine mission
    summaries: list[IndicatorSummary] = field(default_factory=list)

    @property
    def label(self) -> str:
        return node_label(self.dimension) if self.dimension else str(ROUTINE_MISSION_LABEL)


def group_by_dimension(summaries: list[IndicatorSummary]) -> list[DimensionGroup]:
    """Summaries under the dimension of their first strategy path; routine work last."""
    groups: dict[int | None, DimensionGroup] = {}
    for summary in summaries:
        dimension = summary.strategy_paths[0][0] if summary.strategy_paths else None
        key = dimension.pk if dimension else None
        groups.setdefault(key, DimensionGroup(dimension)).summaries.append(summary)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.dimension is None,
            g.dimension.order if g.dimension else 0,
            g.dimension.code if g.dimension else "",
        ),
    )


def status_counts(statuses: list[str]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the fixed order of STATUS_LABELS."""
    return [
        (status.value, str(label), statuses.count(status.value))
        for status, label in STATUS_LABELS.items()
    ]


@dataclass
class TreeIndicator:
    pk: int
    code: str
    name: str
    status: str
    achievement: Decimal | None

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass
class TreeNode:
    node: StrategyNode
    children: list["TreeNode"] = field(default_factory=list)
    direct: list[TreeIndicator] = field(default_factory=list)
    indicator_ids: set[int] = field(default_factory=set)
    statuses: dict[int, str] = field(default_factory=dict)
    achievements: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return node_label(self.node)

    @property
    def count(self) -> int:
        return len(self.indicator_ids)

    @property
    def mean_achievement(self) -> Decimal | None:
        return scoring.weighted_mean(scoring.Weighted(v) for v in self.achievements.values())

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return status_counts(list(self.statuses.values()))


def strategy_tree(indicators: QuerySet[Indicator]) -> list[TreeNode]:
    """Every plan's tree, each node with the indicators under it and their status.

    Three queries on PostgreSQL: the nodes, one row per indicator-node link, and the statuses
    computed by the database, so a year of 6,000 indicators is not loaded as objects.
    """
    nodes = list(
        StrategyNode.objects.select_related("plan").order_by(
            "plan__order", "level", "order", "code"
        )
    )
    by_pk = {node.pk: TreeNode(node) for node in nodes}
    roots = []
    for node in nodes:
        tree_node = by_pk[node.pk]
        if node.parent_id in by_pk:
            by_pk[node.parent_id].children.append(tree_node)
        else:
            roots.append(tree_node)
    links = (
        indicators.filter(strategy_nodes__isnull=False)
        .order_by("agency__prefix", "number")
        .values_list("pk", "code", "name_th", "name_en", "strategy_nodes")
    )
    statuses = status_map(indicators)
    english = get_language().startswith("en")
    for pk, code, name_th, name_en, node_pk in links:
        status, achieved = statuses[pk]
        tree_node = by_pk.get(node_pk)
        if tree_node is None:
            continue
        name = name_en if english and name_en else name_th
        tree_node.direct.append(TreeIndicator(pk, code, name, status, achieved))
        node = tree_node.node
        while node is not None:
            ancestor = by_pk[node.pk]
            ancestor.indicator_ids.add(pk)
            ancestor.statuses[pk] = status
            ancestor.achievements[pk] = achieved
            node = by_pk[node.parent_id].node if node.parent_id in by_pk else None
    return roots
