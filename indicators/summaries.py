"""What an indicator page shows, worked out once for the HTML page and the PDF sheet alike.

`summarize()` reads only what `detail_queryset()` (or `Indicator.objects.with_reports()` for
lists) loaded, so a page of many indicators costs a fixed number of queries.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Field,
    Model,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import scoring
from indicators.access import ReportScope
from indicators.models import (
    QUARTERS,
    Agency,
    Assessment,
    Evidence,
    FiscalYear,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    LevelCriterion,
    NodeLevel,
    QuarterReport,
    StrategyNode,
)
from indicators.models.indicators import IndicatorQuerySet, quarter_reports_prefetch
from indicators.quality import QualityIssue, indicator_issues

ROUTINE_MISSION = "**** ภารกิจงานประจำของหน่วยงาน ****"
# The same words for the reader's language (the seed writes them in Thai).
ROUTINE_MISSION_LABEL = _("**** ภารกิจงานประจำของหน่วยงาน ****")


@dataclass(frozen=True)
class QuarterRow:
    quarter: int
    target: Decimal  # Indicator.target_for(quarter): what the quarter is measured against
    report: QuarterReport | None
    achievement: Decimal | None
    suggested_score: Decimal | None
    in_review: bool = False  # submitted or returned, and not shown to this reader

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

    @property
    def awaiting_review(self) -> bool:
        """Sent for review but not public yet: reads "รอการตรวจสอบ", not "ยังไม่รายงาน"."""
        return self.report is None and self.in_review

    @property
    def evidence_count(self) -> int:
        """How many evidence files the report has: the public may know they exist, not open them."""
        return getattr(self.report, "evidence_count", 0) if self.report else 0


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    rows: list[QuarterRow]
    overall_result: Decimal | None
    achievement: Decimal | None
    status: scoring.Status
    rating: int | None  # from the official score, never from the reported achievement
    strategy_paths: list[list[StrategyNode]] = field(default_factory=list)
    quality_issues: list[QualityIssue] = field(default_factory=list)

    @property
    def audit_row(self) -> QuarterRow | None:
        """The quarter of the official audit (สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ N)."""
        quarter = self.indicator.audit_quarter
        return self.rows[quarter - 1] if quarter else None

    @property
    def official_score(self) -> Decimal | None:
        """The year's official result: the auditors' score of the audit quarter (สยป.)."""
        row = self.audit_row
        return row.score if row else None

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def awaiting_review(self) -> bool:
        """Nothing the reader may see is reported yet, but a quarter waits for review."""
        return self.overall_result is None and any(row.awaiting_review for row in self.rows)

    @property
    def rating_working(self) -> str:
        return rating_working(self.indicator.fiscal_year.rating_thresholds())

    @property
    def achievement_working(self) -> str:
        return achievement_working(self.indicator)

    @property
    def is_routine(self) -> bool:
        return not self.strategy_paths

    def latest_reported(self) -> QuarterRow | None:
        reported = [row for row in self.rows if row.is_reported]
        return reported[-1] if reported else None


def _detail_relations() -> dict[str, QuerySet]:
    """The relations the detail page and sheet show, each with the rows it loads."""
    return {
        "strategy_nodes": StrategyNode.objects.select_related("parent__parent__parent").order_by(
            "code"
        ),
        "indicatordataset_set": IndicatorDataset.objects.select_related("dataset").order_by(
            "order"
        ),
        "indicatorproject_set": IndicatorProject.objects.select_related("project").order_by(
            "order"
        ),
        "criteria": LevelCriterion.objects.all(),
    }


def detail_queryset(scope: ReportScope) -> QuerySet[Indicator]:
    """Everything the detail page and sheet show to a reader of `scope`, in a fixed number of queries."""
    indicators = Indicator.objects.with_reports(visible=scope.reports_q())
    return indicators.select_related("city_indicator").prefetch_related(
        *(Prefetch(name, queryset=rows) for name, rows in _detail_relations().items())
    )


def cards(indicators: IndicatorQuerySet, scope: ReportScope) -> IndicatorQuerySet:
    """`indicators` with what summarize() reads for a page of many rows (list, search, agency
    page) shown to a reader of `scope`: without the narratives and evidence counts no row
    shows, nor the "in review" subqueries a reader who sees reviews never needs.

    The indicators' own long texts are loaded, though no row shows them: without them the rows
    are narrow enough that PostgreSQL sorts a list page out of the whole year materialized
    (27 ms, spilling to disk) instead of walking the agencies in order (2 ms, 30,000 indicators).
    """
    return indicators.with_quarter_reports(
        visible=scope.reports_q(), review_flags=not scope.sees_reviews, brief=True
    )


def one_indicator_queryset(scope: ReportScope) -> QuerySet[Indicator]:
    """detail_queryset() for one indicator: which relations it has are asked in the same
    query, and `load_details()` then reads only those (most indicators have no criteria,
    projects or datasets: a query each saved). `has_continuations` spares a lone indicator
    the query for its line across years (rollover.lineage.line_indicators)."""
    return page_queryset(scope).prefetch_related(quarter_reports_prefetch(scope.reports_q()))


@lru_cache(maxsize=64)
def page_queryset(scope: ReportScope) -> QuerySet[Indicator]:
    """one_indicator_queryset() without the quarter reports: the detail page reads them with
    its other years' (`load_details(line=…)`).

    Built once per scope and filtered per request: building its nine subqueries cost more
    than the database took to answer it. Never evaluated itself, only its filtered copies.
    """
    has: dict[str, tuple[type[Model], str]] = {
        "strategy_nodes": (Indicator.strategy_nodes.through, "indicator_id"),
        "indicatordataset_set": (IndicatorDataset, "indicator_id"),
        "indicatorproject_set": (IndicatorProject, "indicator_id"),
        "criteria": (LevelCriterion, "indicator_id"),
        "continuations": (Indicator, "continues_id"),
    }
    indicators = Indicator.objects.select_related(
        "agency", "agency__group", "fiscal_year", "city_indicator"
    )
    if not scope.sees_reviews:
        indicators = indicators.with_review_flags()
    return indicators.annotate(**{f"has_{name}": _has(*rows) for name, rows in has.items()})


def _has(model: type[Model], column: str) -> RawSQL:
    """Whether `model` has a row whose `column` is the indicator's id, as SQL written once:
    an ORM Exists is compiled again on every request (about 0.2 ms each, five of them)."""
    quote = connection.ops.quote_name
    rows, indicator = quote(model._meta.db_table), quote(Indicator._meta.db_table)
    sql = f"EXISTS (SELECT 1 FROM {rows} x WHERE x.{quote(column)} = {indicator}.id)"  # noqa: S608
    return RawSQL(sql, (), output_field=BooleanField())  # noqa: S611 (names from the models)


def load_details(
    indicator: Indicator, *, scope: ReportScope | None = None, line: Sequence[Indicator] = ()
) -> Indicator:
    """Prefetch the detail relations of an indicator from one_indicator_queryset(): no query
    for a relation it has none of. With `scope` (an indicator from page_queryset()), also the
    quarter reports the reader sees of it and of `line`, its other years, in one query."""
    if scope is not None:
        _load_reports([indicator, *line], scope)
    relations = _detail_relations()
    present = [name for name in relations if getattr(indicator, f"has_{name}")]
    prefetch_related_objects([indicator], *(Prefetch(name, relations[name]) for name in present))
    for name in relations.keys() - present:
        _prefetched_empty(indicator, name, relations[name])
    return indicator


def _load_reports(indicators: list[Indicator], scope: ReportScope) -> None:
    """`quarter_reports_prefetch(scope.reports_q())` for the detail page, as one plain query:
    each indicator's reports that `scope` shows (access.ReportScope.sql), quarter by quarter,
    with their assessment and `evidence_count`.

    The ORM spent ~3 ms building, compiling and grouping this query for a line of five years,
    far more than the database took to answer it.
    """
    table = _report_table()
    ids = [indicator.pk for indicator in indicators]
    with connection.cursor() as cursor:
        cursor.execute(table.sql(scope, len(ids)), ids)
        rows = cursor.fetchall()
    by_indicator: dict[int, list[QuarterReport]] = {pk: [] for pk in ids}
    for row in rows:
        report = table.report(row)
        by_indicator[report.indicator_id].append(report)
    for indicator in indicators:
        reports = by_indicator[indicator.pk]
        for report in reports:
            report.indicator = indicator
        _prefetched(indicator, "reports", QuarterReport.objects.all(), reports)


@dataclass(frozen=True)
class _ReportTable:
    """The SQL of the detail page's reports and how its rows become reports."""

    select: str
    reports: list[Field]
    assessments: list[Field]
    converters: dict

    def sql(self, scope: ReportScope, count: int) -> str:
        ids = ", ".join(["%s"] * count)
        return f"{self.select} WHERE r.indicator_id IN ({ids}) AND {scope.sql('r', 'i')} ORDER BY r.quarter"

    def report(self, row: tuple) -> QuarterReport:
        values = list(row)
        for position, (functions, column) in self.converters.items():
            for function in functions:
                values[position] = function(values[position], column, connection)
        split = len(self.reports)
        report = QuarterReport.from_db(
            connection.alias, [f.attname for f in self.reports], values[:split]
        )
        assessment = None
        if values[split] is not None:  # the assessment's id: LEFT JOIN found one
            names = [f.attname for f in self.assessments]
            assessment = Assessment.from_db(connection.alias, names, values[split:-1])
            Assessment.report.field.set_cached_value(assessment, report)
        QuarterReport.assessment.related.set_cached_value(report, assessment)
        report.evidence_count = values[-1]  # type: ignore[attr-defined]
        return report


@cache
def _report_table() -> _ReportTable:
    """Written once from the models' metadata: every column of the report and its assessment."""
    quote = connection.ops.quote_name
    reports = list(QuarterReport._meta.concrete_fields)
    assessments = list(Assessment._meta.concrete_fields)
    columns = [f"r.{quote(str(f.column))}" for f in reports] + [
        f"a.{quote(str(f.column))}" for f in assessments
    ]
    evidence = quote(Evidence._meta.db_table)
    select = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {evidence} e WHERE e.report_id = r.id) "
        f"FROM {quote(QuarterReport._meta.db_table)} r "
        f"JOIN {quote(Indicator._meta.db_table)} i ON i.id = r.indicator_id "
        f"LEFT JOIN {quote(Assessment._meta.db_table)} a ON a.report_id = r.id"
    )
    fields = reports + assessments
    compiler = Query(None).get_compiler(connection=connection)
    cols = [f.get_col(f.model._meta.db_table) for f in fields]
    return _ReportTable(select, reports, assessments, compiler.get_converters(cols))


def _prefetched(indicator: Indicator, name: str, empty: QuerySet, rows: list) -> None:
    """`indicator.<name>.all()` answers `rows`, as a prefetch leaves it (the manager hands the
    evaluated queryset out as it is)."""
    loaded = empty.none()
    loaded._result_cache = rows
    loaded._prefetch_done = True  # type: ignore[attr-defined]
    if not hasattr(indicator, "_prefetched_objects_cache"):
        indicator._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    indicator._prefetched_objects_cache[name] = loaded  # type: ignore[attr-defined]


def _prefetched_empty(indicator: Indicator, name: str, rows: QuerySet) -> None:
    """`indicator.<name>.all()` answers no rows, as a prefetch of nothing would leave it:
    prefetching `rows.none()` costs no query but all the ORM work of one (~1 ms)."""
    _prefetched(indicator, name, rows, [])


def _path(node: StrategyNode) -> list[StrategyNode]:
    """The node and its ancestors, dimension first."""
    path = [node]
    while (parent := path[0].parent) is not None:
        path.insert(0, parent)
    return path


def _rows(indicator: Indicator) -> list[QuarterRow]:
    reports = indicator.quarter_reports()
    rows = []
    for quarter in QUARTERS:
        report = reports.get(quarter)
        value = report.value if report else None
        target = indicator.target_for(quarter)
        rows.append(
            QuarterRow(
                quarter=quarter,
                target=target,
                report=report,
                achievement=scoring.achievement(
                    value, target, indicator.direction, baseline=indicator.baseline
                ),
                suggested_score=indicator.suggested_score(quarter, value),
                in_review=getattr(indicator, f"in_review_q{quarter}", False),
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
    audit_quarter = indicator.audit_quarter
    official = rows[audit_quarter - 1].score if audit_quarter else None
    return IndicatorSummary(
        indicator=indicator,
        rows=rows,
        overall_result=overall,
        achievement=achieved,
        status=scoring.status(achieved, latest),
        rating=scoring.rating(official, thresholds),
        strategy_paths=paths or [],
        quality_issues=indicator_issues(indicator) if with_quality else [],
    )


def achievement_working(indicator: Indicator) -> str:
    """How the reported achievement % is worked out for this indicator (scoring.achievement)."""
    if indicator.direction == "lower" and indicator.baseline is not None:
        formula = _("(ค่าฐาน − ผลงาน) ÷ (ค่าฐาน − ค่าเป้าหมาย) × 100")
    elif indicator.direction == "lower":
        formula = _("ค่าเป้าหมาย ÷ ผลงาน × 100")
    else:
        formula = _("ผลงานที่ทำได้ ÷ ค่าเป้าหมาย × 100")
    return str(
        _("วิธีคิด: ร้อยละความสำเร็จ = %(formula)s ตามที่หน่วยงานรายงาน ยังไม่ใช่ผลการประเมิน")
        % {"formula": formula}
    )


def rating_working(thresholds: list[Decimal]) -> str:
    """How the official score becomes the 5-level rating (scoring.rating)."""
    five, four, three, two = (f"{t:g}" for t in thresholds)
    return str(
        _(
            "วิธีคิดคะแนน: ผลการประเมินอย่างเป็นทางการคือคะแนน 0–100 ที่ สยป. ให้ในไตรมาสที่ตรวจประเมิน; "
            "ระดับคะแนน 5 เมื่อได้ ≥ %(five)s, 4 ≥ %(four)s, 3 ≥ %(three)s, 2 ≥ %(two)s, ต่ำกว่านั้น 1"
        )
        % {"five": five, "four": four, "three": three, "two": two}
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
        "targets": [number(row.target) for row in summary.rows],
        "result_label": str(_("ผลงาน")),
        "target_label": str(_("เป้าหมาย")),
    }


def strategy_paths(indicator_ids: list[int]) -> dict[int, list[list[StrategyNode]]]:
    """Each indicator's strategy paths (nodes by code), as summarize(with_paths=True) gives them.

    Two queries however many indicators: the links, then the plans' few dozen nodes, walked up in
    memory instead of joining three parents for every link.
    """
    links = list(
        Indicator.strategy_nodes.through.objects.filter(indicator_id__in=indicator_ids)
        .order_by("strategynode__code", "strategynode_id")
        .values_list("indicator_id", "strategynode_id")
    )
    if not links:
        return {}
    nodes = {node.pk: node for node in StrategyNode.objects.all()}
    for node in nodes.values():
        node.parent = nodes.get(node.parent_id) if node.parent_id is not None else None
    paths: dict[int, list[list[StrategyNode]]] = {}
    for indicator_id, node_id in links:
        paths.setdefault(indicator_id, []).append(_path(nodes[node_id]))
    return paths


def agency_summaries(
    fiscal_year: FiscalYear,
    agency: Agency,
    scope: ReportScope,
    *,
    pks: list[int] | None = None,
    paths: dict[int, list[list[StrategyNode]]] | None = None,
) -> list[IndicatorSummary]:
    """The agency page's rows: its indicators of the year (or those of `pks`) summarized,
    with strategy paths (`paths` if the caller has them).

    The year and agency are the same on every row, so they are attached, not joined and built
    again for each of a big office's hundred indicators.
    """
    chosen = Indicator.objects.filter(fiscal_year=fiscal_year, agency=agency)
    if pks is not None:
        chosen = chosen.filter(pk__in=pks)
    indicators = list(cards(chosen, scope))
    if paths is None:
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


def dimension_order(paths: list[list[StrategyNode]]) -> tuple:
    """Where an indicator's group comes on the agency page: by the dimension of its first
    strategy path, routine work last."""
    dimension = paths[0][0] if paths else None
    if dimension is None:
        return (True, 0, "")
    return (False, dimension.order, dimension.code)


def group_by_dimension(summaries: list[IndicatorSummary]) -> list[DimensionGroup]:
    """Summaries under the dimension of their first strategy path; routine work last."""
    groups: dict[int | None, DimensionGroup] = {}
    order: dict[int | None, tuple] = {}
    for summary in summaries:
        dimension = summary.strategy_paths[0][0] if summary.strategy_paths else None
        key = dimension.pk if dimension else None
        groups.setdefault(key, DimensionGroup(dimension)).summaries.append(summary)
        order[key] = dimension_order(summary.strategy_paths)
    return [groups[key] for key in sorted(groups, key=order.__getitem__)]


def status_counts(statuses: list[str]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the fixed order of STATUS_LABELS."""
    return counts_from_totals(Counter(statuses))


def counts_from_totals(totals: Mapping[str, int]) -> list[tuple[str, str, int]]:
    """status_counts() from counts already made, e.g. by status_totals() in the database."""
    return [
        (status.value, str(label), totals.get(status.value, 0))
        for status, label in STATUS_LABELS.items()
    ]
