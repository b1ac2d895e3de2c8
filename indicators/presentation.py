"""What an indicator page shows, worked out once for the HTML page and the PDF sheet alike.

`summarize()` reads only what `detail_queryset()` (or `Indicator.objects.with_reports()` for
lists) loaded, so a page of many indicators costs a fixed number of queries.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import rollups, scoring
from indicators.cache import remember
from indicators.models import (
    QUARTERS,
    Agency,
    Assessment,
    FiscalYear,
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
    indicator: Indicator,
    *,
    with_paths: bool = False,
    with_quality: bool = False,
    paths: list[list[StrategyNode]] | None = None,
) -> IndicatorSummary:
    """The derived facts of one indicator; paths and quality need `detail_queryset()`.

    `paths` are strategy paths the caller already worked out (see agency_summaries()).
    """
    if paths is None and with_paths:
        paths = [_path(n) for n in indicator.strategy_nodes.all()]
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
        strategy_paths=paths or [],
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


# Status in SQL, to filter and count many indicators without loading them: the scoring rules'
# SQL mirror in indicators/rollups.py, "as reported up to quarter 4" (every report, as summarize()
# reads them). tests/indicators/test_status_sql.py proves it agrees with summarize().
def _status_rows_sql(queryset: QuerySet[Indicator]) -> tuple[str, list]:
    """SQL and params: (id, status, achievement) of every indicator of `queryset`."""
    years = sorted(queryset.order_by().values_list("fiscal_year_id", flat=True).distinct())
    parts, params = [], []
    for year in years:
        # The status does not depend on the rating bands: the defaults save a query.
        thresholds = FiscalYear(year=year).rating_thresholds()
        sql, year_params = rollups.indicator_rows_sql(year=year, quarter=4, thresholds=thresholds)
        parts.append(f"SELECT id, status, achievement FROM ({sql}) y")  # noqa: S608
        params += year_params
    if not parts:
        return "SELECT NULL AS id, NULL AS status, NULL AS achievement WHERE 1 = 0", []
    scope, scope_params = queryset.order_by().values("pk").query.sql_with_params()
    rows = " UNION ALL ".join(parts)
    sql = f"SELECT id, status, achievement FROM ({rows}) s WHERE id IN ({scope})"  # noqa: S608
    return sql, [*params, *scope_params]


def _decimal(number: object) -> Decimal | None:
    """The database's achievement as scoring gives it (SQLite computes in floating point)."""
    if number is None:
        return None
    return Decimal(str(number)).quantize(Decimal("0.01"))


def status_map(queryset: QuerySet[Indicator]) -> dict[int, tuple[str, Decimal | None]]:
    """(status, achievement) by indicator pk, computed by the database."""
    sql, params = _status_rows_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (status, _decimal(achieved)) for pk, status, achieved in cursor.fetchall()}


def status_totals(queryset: QuerySet[Indicator]) -> dict[str, int]:
    """How many indicators of `queryset` have each status, counted by the database."""
    sql, params = _status_rows_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, COUNT(*) FROM ({sql}) t GROUP BY status", params)  # noqa: S608
        return dict(cursor.fetchall())


def year_statuses(year: int) -> dict[int, tuple[str, Decimal | None]]:
    """status_map() of a whole fiscal year, cached while the data's fingerprint holds."""
    return remember("year-status", str(year), lambda: status_map(Indicator.objects.in_year(year)))


def with_status_code(queryset: QuerySet[Indicator], status: str) -> QuerySet[Indicator]:
    """The indicators of `queryset` whose status is `status`.

    A status depends on the indicator alone, so the year's cached statuses answer for any
    filter; worked out here once rather than inside both the page's COUNT and its page query.
    """
    years = queryset.order_by().values_list("fiscal_year_id", flat=True).distinct()
    pks = [
        pk
        for year in years
        for pk, (code, _achieved) in year_statuses(year).items()
        if code == status
    ]
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders: the COUNT and the page
        # query each parse and plan ~20 ms faster on a year of 6,000 indicators. Sent as the
        # array's text ('{1,2,3}', ids only), not a list: psycopg2 would write out
        # ARRAY[1,2,3] element by element and PostgreSQL plan 2,000 constants (~6 ms a query).
        array = "{" + ",".join(map(str, pks)) + "}"
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [array]))
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


def strategy_paths(indicator_ids: list[int]) -> dict[int, list[list[StrategyNode]]]:
    """Each indicator's strategy paths (nodes by code), as summarize(with_paths=True) gives them.

    Two queries however many indicators: the links, then the plans' few dozen nodes, walked up in
    memory instead of joining three parents for every link.
    """
    links = (
        Indicator.strategy_nodes.through.objects.filter(indicator_id__in=indicator_ids)
        .order_by("strategynode__code", "strategynode_id")
        .values_list("indicator_id", "strategynode_id")
    )
    links = list(links)
    if not links:
        return {}
    nodes = {node.pk: node for node in StrategyNode.objects.all()}
    for node in nodes.values():
        node.parent = nodes.get(node.parent_id)
    paths: dict[int, list[list[StrategyNode]]] = {}
    for indicator_id, node_id in links:
        paths.setdefault(indicator_id, []).append(_path(nodes[node_id]))
    return paths


def agency_summaries(fiscal_year: FiscalYear, agency: Agency) -> list[IndicatorSummary]:
    """The agency page's rows: its indicators of the year summarized, with strategy paths.

    The year and agency are the same on every row, so they are attached, not joined and built
    again for each of a big office's hundred indicators.
    """
    indicators = list(
        Indicator.objects.filter(fiscal_year=fiscal_year, agency=agency).with_quarter_reports()
    )
    paths = strategy_paths([indicator.pk for indicator in indicators])
    for indicator in indicators:
        indicator.fiscal_year = fiscal_year
        indicator.agency = agency
    return [summarize(i, paths=paths.get(i.pk, [])) for i in indicators]


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
    return counts_from_totals(Counter(statuses))


def counts_from_totals(totals: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """status_counts() from counts already made, e.g. by status_totals() in the database."""
    return [
        (status.value, str(label), totals.get(status.value, 0))
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


def strategy_tree(
    indicators: QuerySet[Indicator], statuses: dict[int, tuple[str, Decimal | None]] | None = None
) -> list[TreeNode]:
    """Every plan's tree, each node with the indicators under it and their status.

    Three queries: the nodes, one row per indicator-node link, and the statuses computed by the
    database (unless the caller has them, e.g. cached), so 6,000 indicators are not loaded as
    objects.
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
    if statuses is None:
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
