"""The figures of the managers' dashboard: one fiscal year as reported up to quarter N.

Every figure is a roll-up in the database over the per-indicator rows of `indicators/rollups.py`
(the SQL twin of `indicators/scoring.py`): one query by agency (groups and the city are sums of its
rows), one by strategy dimension and one for the trend, whatever the number of indicators. Results are cached under a fingerprint of
the data, so a change to any indicator, report or assessment of the year shows at once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from indicators import rollups, scoring, standing
from indicators.access import ReportScope
from indicators.cache import remember
from indicators.models import (
    QUARTERS,
    DistrictGroup,
    FiscalYear,
    QuarterReport,
    ReportStatus,
    StrategyNode,
    fiscal_year_of,
    quarter_of,
)
from indicators.models.reference import localized
from indicators.reference_data import PLAN_20_YEARS

STATUSES = [s.value for s in scoring.Status]
RATINGS = [5, 4, 3, 2, 1]
SUBMITTED = [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
NOT_SUBMITTED = [ReportStatus.DRAFT, ReportStatus.RETURNED]


@dataclass(frozen=True)
class Figures:
    """The roll-up of a set of indicators for one quarter."""

    count: int = 0
    reported: int = 0
    on_time: int = 0
    approved: int = 0
    assessed: int = 0
    late: int = 0
    returned: int = 0
    achievement: Decimal | None = None
    score: Decimal | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    ratings: dict[int, int] = field(default_factory=dict)

    def share(self, part: int) -> Decimal | None:
        """`part` as a % of the indicators counted, one decimal; None when there are none."""
        if not self.count:
            return None
        return (Decimal(part) * 100 / self.count).quantize(Decimal("0.1"))

    @property
    def bar(self) -> str:
        """The achievement as the width (0–100) of a small SVG bar."""
        value = min(Decimal(100), max(Decimal(0), self.achievement or Decimal(0)))
        return f"{value:.1f}"

    @property
    def reported_share(self) -> Decimal | None:
        return self.share(self.reported)

    @property
    def on_time_share(self) -> Decimal | None:
        return self.share(self.on_time)

    @property
    def approved_share(self) -> Decimal | None:
        return self.share(self.approved)

    @property
    def assessed_share(self) -> Decimal | None:
        return self.share(self.assessed)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: an agency, a district group or a strategy dimension."""

    key: str
    name_th: str
    name_en: str
    figures: Figures
    group: str = ""
    color: str = ""

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True)
class Dashboard:
    year: int
    quarter: int
    due_on: datetime.date
    total: Figures
    agencies: list[Row]
    groups: list[Row]
    dimensions: list[Row]
    trend: list[tuple[int, Figures]]


def _deadline(due_on: datetime.date) -> datetime.datetime:
    """The end of the due day in Bangkok: a report sent that day is on time."""
    next_day = datetime.datetime.combine(due_on + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(next_day)


def _count(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _figure_columns(due_on: datetime.date, today: datetime.date) -> tuple[dict[str, str], list]:
    """SQL aggregates over indicator rows (see rollups.indicator_rows_sql) behind `Figures`,
    by name; `on_time` and `late` take the two params (the due day's end)."""
    columns = {
        "count": "COUNT(*)",
        "reported": _count("t.value IS NOT NULL"),
        "approved": _count("t.report_status = 'approved'"),
        "returned": _count("t.report_status = 'returned'"),
        "assessed": _count("t.score IS NOT NULL"),
        "achievement_total": "SUM(t.achievement * t.weight)",
        "achievement_weight": "SUM(CASE WHEN t.achievement IS NOT NULL THEN t.weight END)",
        "score_total": "SUM(t.score * t.weight)",
        "score_weight": "SUM(CASE WHEN t.score IS NOT NULL THEN t.weight END)",
    }
    columns |= {f"status_{name}": _count(f"t.status = '{name}'") for name in STATUSES}
    columns |= {f"rating_{level}": _count(f"t.rating = {level}") for level in RATINGS}
    sent = "t.report_status IN ('submitted', 'approved')"
    columns["on_time"] = _count(f"{sent} AND (t.submitted_at IS NULL OR t.submitted_at < %s)")
    unsent = "(t.report_status IS NULL OR t.report_status IN ('draft', 'returned'))"
    late = f"t.submitted_at >= %s OR {unsent}" if today > due_on else "t.submitted_at >= %s"
    columns["late"] = _count(late)
    return columns, [_deadline(due_on)] * 2


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def figures_from(row: dict) -> Figures:
    """Turn one row of aggregates into Figures; means finish as scoring.weighted_mean does."""
    return Figures(
        count=int(row.get("count") or 0),
        reported=int(row.get("reported") or 0),
        on_time=int(row.get("on_time") or 0),
        approved=int(row.get("approved") or 0),
        assessed=int(row.get("assessed") or 0),
        late=int(row.get("late") or 0),
        returned=int(row.get("returned") or 0),
        achievement=rollups.mean_from_sums(
            row.get("achievement_total"), row.get("achievement_weight")
        ),
        score=rollups.mean_from_sums(row.get("score_total"), row.get("score_weight")),
        statuses={name: int(row.get(f"status_{name}") or 0) for name in STATUSES},
        ratings={level: int(row.get(f"rating_{level}") or 0) for level in RATINGS},
    )


def _add(rows: list[dict]) -> dict:
    """Sums and counts add up, so a group's or the city's row is the sum of its agencies' rows."""
    total: dict = {}
    for row in rows:
        for name, value in row.items():
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                total[name] = total.get(name, 0) + value
    return total


def _agency_rows(rows: list[dict]) -> list[Row]:
    result = [
        Row(
            key=row["prefix"],
            name_th=row["name_th"],
            name_en=row["name_en"],
            group=row["group_code"] or "",
            figures=figures_from(row),
        )
        for row in rows
    ]
    # Behind first: the lowest achievement leads, agencies with nothing reported come last.
    return sorted(result, key=_behind_first)


def _behind_first(row: Row) -> tuple:
    achievement = row.figures.achievement
    return (achievement is None, achievement or 0, row.key)


def _group_rows(rows: list[dict]) -> list[Row]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["group_code"] or "", []).append(row)
    result = []
    for code, members in groups.items():
        first = members[0]
        result.append(
            (
                first["group_order"] is None,
                first["group_order"] or 0,
                Row(
                    key=code,
                    name_th=first["group_name_th"] or "หน่วยงานระดับสำนัก",
                    name_en=first["group_name_en"] or "Departments and offices",
                    figures=figures_from(_add(members)),
                ),
            )
        )
    return [row for *_, row in sorted(result, key=lambda item: item[:2])]


def dimensions() -> list[StrategyNode]:
    return list(StrategyNode.objects.dimensions().filter(plan__code=PLAN_20_YEARS))


def _dimension_rows(found: dict[str, dict]) -> list[Row]:
    return [
        Row(
            key=node.code,
            name_th=node.name_th,
            name_en=node.name_en,
            color=node.color,
            figures=figures_from(found.get(node.code, {})),
        )
        for node in dimensions()
    ]


def _trend(found: dict[str, dict]) -> list[tuple[int, Figures]]:
    return [(q, figures_from(found.get(str(q), {}))) for q in QUARTERS]


# The agency branch's own columns; the other branches leave them empty.
# A district by its own name (5006 ยานนาวา): fifty "สำนักงานเขต…" wrap and push the one-page
# print onto a second page.
AGENCY_COLUMNS = {
    "name_th": "COALESCE(NULLIF(ag.short_name_th, ''), ag.name_th)",
    "name_en": "COALESCE(NULLIF(ag.short_name_en, ''), ag.name_en)",
    "group_code": "g.code",
    "group_name_th": "g.name_th",
    "group_name_en": "g.name_en",
    "group_order": 'g."order"',
}
NOT_IN_TREND = ("on_time", "late")  # lateness is the chosen quarter's, not the trend's


def _one_pass_sql(
    rows: tuple[str, list], quarter: int, columns: dict[str, str], column_params: list
) -> tuple[str, list]:
    """One statement for every figure: the per-indicator rows of quarters 1…N computed once
    (a materialised CTE), then grouped by agency and by dimension (quarter N) and by quarter."""
    rows_sql, rows_params = rows
    figures = ", ".join(f"{expression} AS {name}" for name, expression in columns.items())
    trend = ", ".join(
        f"{'NULL' if name in NOT_IN_TREND else expression} AS {name}"
        for name, expression in columns.items()
    )
    named = ", ".join(f"{column} AS {name}" for name, column in AGENCY_COLUMNS.items())
    empty = ", ".join(f"NULL AS {name}" for name in AGENCY_COLUMNS)
    summed = ", ".join(f"x.{name}" for name in columns)
    # Only the links of the rows' indicators: one year's, not every year's.
    links, link_params = rollups.dimension_links_sql(
        PLAN_20_YEARS, among="SELECT id FROM t WHERE t.quarter = %s"
    )
    # Agencies grouped by id, their names joined to the 70 sums: no sort of the year's rows
    # by six name columns (it spilled to disk at 100,000 indicators).
    sql = f"""WITH t AS MATERIALIZED ({rows_sql})
    SELECT 'agency' AS part, ag.prefix AS part_key, {named}, {summed}
    FROM (SELECT t.agency_id, {figures} FROM t WHERE t.quarter = %s GROUP BY t.agency_id) x
    JOIN {rollups.agency_table()} ag ON ag.id = x.agency_id
    LEFT JOIN {DistrictGroup._meta.db_table} g ON g.id = ag.group_id
    UNION ALL
    SELECT 'dimension', dl.dimension, {empty}, {figures}
    FROM t JOIN ({links}) dl ON dl.indicator_id = t.id
    WHERE t.quarter = %s GROUP BY dl.dimension
    UNION ALL
    SELECT 'trend', CAST(t.quarter AS VARCHAR(2)), {empty}, {trend} FROM t GROUP BY t.quarter
    """  # noqa: S608 (only table names and trusted column SQL are interpolated)
    params = [*rows_params, *column_params, quarter]
    params += [*column_params, *link_params, quarter, quarter]
    return sql, params


def due_date(fiscal_year: FiscalYear, quarter: int) -> datetime.date:
    """The quarter's due date, from FiscalYear.window() like every other caller."""
    return fiscal_year.window(quarter).due_on


def build(
    fiscal_year: FiscalYear,
    quarter: int,
    agency_ids: list[int] | None = None,
    *,
    scope: ReportScope,
    today: datetime.date | None = None,
) -> Dashboard:
    """Compute every figure of the dashboard (no cache): one pass over the year's rows, and
    the dimensions' names; two queries whatever the data size."""
    today = today or timezone.localdate()
    due_on = due_date(fiscal_year, quarter)
    rows = standing.rows_sql(
        year=fiscal_year.year,
        quarters=list(range(1, quarter + 1)),
        scope=scope,
        thresholds=fiscal_year.rating_thresholds,
        agency_ids=agency_ids,
    )
    columns, column_params = _figure_columns(due_on, today)
    parts: dict[str, list[dict]] = {"agency": [], "dimension": [], "trend": []}
    for row in _fetch(*_one_pass_sql(rows, quarter, columns, column_params)):
        row["prefix"] = row["part_key"]
        parts[row["part"]].append(row)
    agencies = parts["agency"]
    return Dashboard(
        year=fiscal_year.year,
        quarter=quarter,
        due_on=due_on,
        total=figures_from(_add(agencies)),
        agencies=_agency_rows(agencies),
        groups=_group_rows(agencies),
        dimensions=_dimension_rows({row["part_key"]: row for row in parts["dimension"]}),
        trend=_trend({row["part_key"]: row for row in parts["trend"]}),
    )


def cached(
    fiscal_year: FiscalYear,
    quarter: int,
    agency_ids: list[int] | None = None,
    *,
    scope: ReportScope,
) -> Dashboard:
    """The dashboard, reused while the data's fingerprint (and the day) stay the same."""
    today = timezone.localdate()
    agencies = "all" if agency_ids is None else ",".join(map(str, sorted(agency_ids)))
    bands = fiscal_year.rating_bands
    key_text = f"{fiscal_year.year}:{quarter}:{agencies}:{scope.key}:{today}:{bands}"
    return remember(
        "dashboard",
        key_text,
        lambda: build(fiscal_year, quarter, agency_ids, scope=scope, today=today),
        year=fiscal_year.year,
        scope=scope,
    )


def default_quarter(
    fiscal_year: FiscalYear, agency_ids: list[int] | None = None, *, scope: ReportScope
) -> int:
    """The latest quarter with results the reader sees; else the current quarter of the year."""
    # The reports' own year (indexed with the quarter): the latest is found without
    # joining every year's indicators.
    reports = QuarterReport.objects.filter(
        scope.reports_q(), fiscal_year=fiscal_year, value__isnull=False
    )
    if agency_ids is not None:
        reports = reports.filter(indicator__agency_id__in=agency_ids)
    latest = reports.aggregate(latest=Max("quarter"))["latest"]
    if latest:
        return latest
    today = timezone.localdate()
    return quarter_of(today) if fiscal_year_of(today) == fiscal_year.year else 1
