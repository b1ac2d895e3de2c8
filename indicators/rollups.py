"""The scoring rules of `indicators/scoring.py` in SQL, for roll-ups in the database.

`indicator_rows_sql()` yields one row per indicator of a fiscal year "as reported up to quarter N"
with its overall result, achievement, status and rating, each step mirroring the Python rule beside
it (aggregate_quarters, achievement, status, rating). Callers aggregate over it (COUNT/SUM with
CASE) in the database, so a dashboard of 6,000 indicators costs a handful of queries.
tests/indicators/test_rollups.py checks that SQL and Python agree on a mixed fixture.

Why SQL text and not ORM expressions: Django inlines every referenced expression, and the rules
nest (rating ⊃ achievement ⊃ overall result ⊃ latest value), so the ORM version grew to 500 KB of
SQL and 10 s per query. Here each step is a subquery layer, computed once per row.
Rounding to two places is half to even, as Python's Decimal does (PostgreSQL's round() would take
111.125 up). Only table names, column names and trusted numbers are interpolated into the
text; the year, quarter and agencies are query parameters. Works on PostgreSQL and SQLite (the demo database computes in floating point).
"""

from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from indicators import scoring, standing
from indicators.access import ReportScope
from indicators.cache import remember
from indicators.models import (
    QUARTERS,
    Agency,
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
    StrategyNode,
)


def _literal(number: Decimal | int) -> str:
    """A trusted number as an SQL literal (thresholds and constants, never user text)."""
    return f"{Decimal(number):f}"


def _half_even(x: str) -> str:
    """SQL for scoring._round: two places, an exact half to the even neighbour."""
    if connection.vendor == "postgresql":
        return _half_even_exact(x)
    scaled = f"({x}) * 100"
    floor = f"FLOOR({scaled})"
    return (
        f"CASE WHEN {scaled} - {floor} > 0.5 THEN ({floor} + 1) / 100.0"
        f" WHEN {scaled} - {floor} < 0.5 THEN {floor} / 100.0"
        f" WHEN MOD({floor}, 2) = 0 THEN {floor} / 100.0"
        f" ELSE ({floor} + 1) / 100.0 END"
    )


def _half_even_exact(x: str) -> str:
    """_half_even on exact numerics: ROUND (an exact half away from zero), one step back
    towards zero when x was an exact half and ROUND landed on an odd hundredth.

    Half as dear: most values are no exact half, so they cost one MOD and one ROUND, where
    the general form takes five products and FLOORs (~2 µs a value, twice per indicator and
    quarter: a fifth of the dashboard's statement).
    """
    rounded = f"ROUND({x}, 2)"
    half = f"MOD({x}, 0.005) = 0 AND MOD({x}, 0.01) <> 0 AND MOD({rounded} * 100, 2) <> 0"
    return f"CASE WHEN {half} THEN {rounded} - SIGN({x}) * 0.01 ELSE {rounded} END"


def _greatest(*items: str) -> str:
    name = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    return f"{name}({', '.join(items)})"


def _fence() -> str:
    """Keep a subquery layer from being flattened into the next, which would repeat its
    expressions textually wherever a column is used (PostgreSQL and SQLite both flatten)."""
    return "LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else "OFFSET 0"


def _pct(numerator: str, denominator: str) -> str:
    """max(0, numerator / denominator × 100), not yet rounded."""
    return _greatest("0", f"({numerator}) * 100.0 / ({denominator})")


def _achievement(value: str, target: str) -> str:
    """SQL for scoring.achievement (unrounded; the next layer rounds it)."""
    return f"""CASE
      WHEN {value} IS NULL OR {target} IS NULL THEN NULL
      WHEN direction IN ('higher', 'level') THEN
        CASE WHEN {target} = 0 THEN (CASE WHEN {value} >= 0 THEN 100 ELSE 0 END)
             ELSE {_pct(value, target)} END
      WHEN direction = 'lower' AND baseline IS NOT NULL THEN
        CASE WHEN baseline - {target} <= 0 THEN (CASE WHEN {value} <= {target} THEN 100 ELSE 0 END)
             ELSE {_pct(f"baseline - {value}", f"baseline - {target}")} END
      WHEN direction = 'lower' THEN
        CASE WHEN {value} <= 0 THEN 100 ELSE {_pct(target, value)} END
    END"""


def _report_columns(visible: str) -> str:
    """Layer 1's columns: per quarter, the value, workflow state and score.

    Values and scores count only where the reader may see them (`visible`, from
    access.ReportScope.sql); the workflow columns (status, submitted) are for staff figures.
    """
    columns = []
    for q in QUARTERS:
        seen = f"r.quarter = {q} AND {visible}"
        columns += [
            f"MAX(CASE WHEN {seen} THEN r.value END) AS v{q}",
            f"MAX(CASE WHEN r.quarter = {q} THEN r.status END) AS status{q}",
            f"MAX(CASE WHEN r.quarter = {q} THEN r.submitted_at END) AS submitted{q}",
            f"MAX(CASE WHEN {seen} THEN a.score END) AS score{q}",
        ]
    return ",\n      ".join(columns)


def _reports_layer(last: int, visible: str, agencies: str, chosen: str) -> str:
    """Layer 1: one row per indicator of the year with its quarters' values and targets.

    The year's reports and scores (read by their own fiscal year, indexed) are grouped by
    indicator on their own narrow rows, then joined to the indicators: the wide joined rows
    are never sorted or hashed by indicator (at 100,000 indicators that sort spilled 8.9 MB
    to disk). `visible` reads the indicator as `ri` (joined only when the reader's own
    agencies count). Its three params are the year.
    """
    reports = f"""SELECT r.indicator_id, {_report_columns(visible)}
      FROM {QuarterReport._meta.db_table} r
      LEFT JOIN {Indicator._meta.db_table} ri ON ri.id = r.indicator_id
      LEFT JOIN {Assessment._meta.db_table} a ON a.report_id = r.id AND a.fiscal_year_id = %s
      WHERE r.fiscal_year_id = %s AND r.quarter <= {last} {chosen.replace("i.id", "r.indicator_id")}
      GROUP BY r.indicator_id"""  # noqa: S608
    names = ("v", "status", "submitted", "score")
    columns = ", ".join(f"rq.{name}{q}" for q in QUARTERS for name in names)
    return f"""SELECT i.id, i.agency_id, i.weight, i.target, i.baseline, i.direction,
      i.aggregation, i.audit_quarter, i.target_q1, i.target_q2, i.target_q3, i.target_q4,
      {columns}
    FROM {Indicator._meta.db_table} i
    LEFT JOIN ({reports}) rq ON rq.indicator_id = i.id
    WHERE i.fiscal_year_id = %s {agencies} {chosen}"""  # noqa: S608


def _of_quarter(column: str, last: int) -> str:
    """The `column` of the row's own quarter (`column`1 … `column`N)."""
    cases = " ".join(f"WHEN {q} THEN {column}{q}" for q in range(1, last + 1))
    return f"CASE qs.quarter {cases} END"


def _as_of_layer(layer1: str, quarters: list[int]) -> str:
    """Layer 1b: each indicator once per quarter asked for, as reported up to that quarter:
    the values of later quarters hidden, that quarter's report, and the official score once
    the audit quarter is in. One scan of the reports serves every quarter of a trend."""
    last = max(quarters)
    values = ",\n      ".join(
        f"CASE WHEN qs.quarter >= {q} THEN v{q} END AS v{q}" for q in QUARTERS
    )
    audit = " ".join(f"WHEN {q} THEN score{q}" for q in range(1, last + 1))
    chosen = " UNION ALL ".join(f"SELECT {int(q)} AS quarter" for q in sorted(set(quarters)))
    return f"""SELECT l1.id, l1.agency_id, l1.weight, l1.target, l1.baseline, l1.direction,
      l1.aggregation, l1.target_q1, l1.target_q2, l1.target_q3, l1.target_q4, qs.quarter,
      {values},
      {_of_quarter("status", last)} AS report_status,
      {_of_quarter("submitted", last)} AS submitted_at,
      {_of_quarter("score", last)} AS score,
      CASE WHEN l1.audit_quarter <= qs.quarter THEN CASE l1.audit_quarter {audit} END END
        AS official
    FROM ({layer1} {_fence()}) l1 CROSS JOIN ({chosen}) qs"""  # noqa: S608


def _overall_layers(layer1: str) -> str:
    """Layers 2–3: the latest value and its target, then scoring.aggregate_quarters."""
    reported = " + ".join(f"(CASE WHEN v{q} IS NOT NULL THEN 1 ELSE 0 END)" for q in (1, 2, 3, 4))
    total = " + ".join(f"COALESCE(v{q}, 0)" for q in (1, 2, 3, 4))
    # Indicator.target_for(): the quarter's planned target, else the annual target.
    latest_target = " ".join(
        f"WHEN v{q} IS NOT NULL THEN COALESCE(target_q{q}, target)" for q in (4, 3, 2, 1)
    )
    layer2 = f"""SELECT l1b.*, COALESCE(v4, v3, v2, v1) AS latest,
      CASE {latest_target} END AS latest_target,
      {reported} AS reported_count, {total} AS total
    FROM ({layer1} {_fence()}) l1b"""  # noqa: S608
    maximum = _greatest(*[f"COALESCE(v{q}, latest)" for q in (1, 2, 3, 4)])
    # scoring.aggregate_quarters: latest, sum, average or max of the quarters reported.
    return f"""SELECT l2.*, CASE
        WHEN latest IS NULL THEN NULL
        WHEN aggregation = 'sum' THEN total
        WHEN aggregation = 'average' THEN {_half_even("total * 1.0 / reported_count")}
        WHEN aggregation = 'max' THEN {maximum}
        ELSE latest END AS overall
    FROM ({layer2} {_fence()}) l2"""  # noqa: S608


def _achievement_layers(layer3: str) -> str:
    """Layers 4–5: scoring.achievement of the overall and the latest result, rounded."""
    layer4 = f"""SELECT l3.*, {_achievement("overall", "target")} AS achievement_raw,
      {_achievement("latest", "latest_target")} AS latest_raw
    FROM ({layer3} {_fence()}) l3"""  # noqa: S608
    return f"""SELECT l4.*, {_half_even("achievement_raw")} AS achievement,
      {_half_even("latest_raw")} AS latest_achievement
    FROM ({layer4} {_fence()}) l4"""  # noqa: S608


def _status_layer(layer5: str, thresholds: list[Decimal]) -> str:
    """Layer 6: scoring.status, and scoring.rating of the official score (the audit
    quarter's, once that quarter is in); the columns callers read."""
    hundred = _literal(scoring.HUNDRED)
    levels = " ".join(
        f"WHEN official >= {_literal(minimum)} THEN {level}"
        for level, minimum in zip((5, 4, 3, 2), thresholds, strict=True)
    )
    value = " ".join(f"WHEN {q} THEN v{q}" for q in QUARTERS)
    return f"""SELECT id, agency_id, weight, quarter, CASE quarter {value} END AS value,
      report_status, submitted_at, score, official, overall, achievement, latest_achievement,
      CASE WHEN achievement IS NULL THEN '{scoring.Status.NOT_REPORTED}'
           WHEN achievement >= {hundred} THEN '{scoring.Status.ACHIEVED}'
           WHEN latest_achievement >= {hundred} THEN '{scoring.Status.ON_TRACK}'
           ELSE '{scoring.Status.OFF_TRACK}' END AS status,
      CASE WHEN official IS NULL THEN NULL {levels} ELSE 1 END AS rating
    FROM ({layer5} {_fence()}) l5"""  # noqa: S608


def indicator_rows_sql(
    *,
    year: int,
    quarter: int,
    thresholds: list[Decimal],
    scope: ReportScope,
    agency_ids: list[int] | None = None,
) -> tuple[str, list]:
    """SQL and params: per indicator of `year` as of `quarter`, the scoring rules applied to
    the quarters a reader of `scope` may see.

    Columns: id, agency_id, weight, quarter, value (quarter N's), report_status, submitted_at,
    score (quarter N's assessment), official (the audit quarter's score, if that quarter is
    ≤ N), overall, achievement, latest_achievement, status, rating (of the official score).
    """
    return quarters_rows_sql(
        year=year, quarters=[quarter], thresholds=thresholds, scope=scope, agency_ids=agency_ids
    )


def quarters_rows_sql(
    *,
    year: int,
    quarters: list[int],
    thresholds: list[Decimal],
    scope: ReportScope,
    agency_ids: list[int] | None = None,
    indicator_id: int | None = None,
) -> tuple[str, list]:
    """indicator_rows_sql() for several quarters at once: one row per indicator and quarter
    (column `quarter`), the year's reports read once for all of them; of `indicator_id` only
    if given (indicators/standing.py refreshes what a service wrote), a parameter of the
    same text for every indicator."""
    quarters = [int(q) for q in quarters]
    one = [] if indicator_id is None else [indicator_id]  # filters the reports and indicators
    params: list = [year, year, *one, year]
    agencies = ""
    if agency_ids is not None:
        agencies = f"AND i.agency_id IN ({', '.join(['%s'] * len(agency_ids)) or 'NULL'})"
        params += list(agency_ids)
    params += one
    chosen = "" if indicator_id is None else "AND i.id = %s"
    layer1 = _reports_layer(max(quarters), scope.sql(indicator="ri"), agencies, chosen)
    layers = _achievement_layers(_overall_layers(_as_of_layer(layer1, quarters)))
    return _status_layer(layers, thresholds), params


def dimension_links_sql(plan_code: str, among: str = "") -> tuple[str, list]:
    """(indicator_id, dimension code) pairs: each indicator once per dimension it supports.

    `among`, SQL selecting indicator ids, keeps only their links: one year's links are
    de-duplicated instead of every year's (its params follow `plan_code`'s).
    """
    links = Indicator.strategy_nodes.through._meta.db_table
    nodes = StrategyNode._meta.db_table
    plans = StrategyNode.plan.field.related_model._meta.db_table
    chosen = f"WHERE l.indicator_id IN ({among})" if among else ""
    # Each node's dimension first (a few dozen rows, fenced): then one hash join to the
    # links. Left to itself the planner paired every indicator with every dimension and
    # looked the links up 42,000 times (280 ms of a 6,000-indicator dashboard).
    sql = f"""SELECT DISTINCT l.indicator_id, nd.dimension
    FROM {links} l
    JOIN (SELECT n.id, d.code AS dimension FROM {nodes} n
      JOIN {plans} p ON p.id = n.plan_id AND p.code = %s
      JOIN {nodes} d ON d.plan_id = n.plan_id AND d.level = 1
        AND (n.code = d.code OR n.code LIKE d.code || '.%%') {_fence()}) nd
      ON nd.id = l.strategynode_id
    {chosen}"""  # noqa: S608
    return sql, [plan_code]


def agency_table() -> str:
    return Agency._meta.db_table


def mean_from_sums(total, weights) -> Decimal | None:
    """scoring.weighted_mean, finished in Python from the database's Σ value×weight and Σ weight."""
    if not weights:
        return None
    mean = Decimal(str(total)) / Decimal(str(weights))
    return scoring.weighted_mean([scoring.Weighted(mean)])


# Status in SQL, to filter and count many indicators without loading them: the scoring rules'
# SQL mirror above, "as reported up to quarter 4" (every report, as summarize()
# reads them). tests/indicators/test_status_sql.py proves it agrees with summarize().
def year_status_sql(year: int, scope: ReportScope) -> tuple[str, list]:
    """SQL and params: (id, status, achievement) of every indicator of fiscal year `year`,
    read from the stored standings (indicators/standing.py)."""
    sql, params = standing.rows_sql(
        year=year,
        quarters=[4],
        scope=scope,
        # Computed for a scope not stored: the status does not depend on the rating bands,
        # and the defaults save a query.
        thresholds=FiscalYear(year=year).rating_thresholds,
    )
    return f"SELECT id, status, achievement FROM ({sql}) y", params  # noqa: S608


def _status_rows_sql(queryset: QuerySet[Indicator], scope: ReportScope) -> tuple[str, list]:
    """SQL and params: (id, status, achievement) of every indicator of `queryset`."""
    years = sorted(queryset.order_by().values_list("fiscal_year_id", flat=True).distinct())
    parts, params = [], []
    for year in years:
        sql, year_params = year_status_sql(year, scope)
        parts.append(sql)
        params += year_params
    if not parts:
        return "SELECT NULL AS id, NULL AS status, NULL AS achievement WHERE 1 = 0", []
    chosen, chosen_params = queryset.order_by().values("pk").query.sql_with_params()
    rows = " UNION ALL ".join(parts)
    sql = f"SELECT id, status, achievement FROM ({rows}) s WHERE id IN ({chosen})"  # noqa: S608
    return sql, [*params, *chosen_params]


def _decimal(number: object) -> Decimal | None:
    """The database's achievement as scoring gives it (SQLite computes in floating point)."""
    if number is None:
        return None
    return Decimal(str(number)).quantize(Decimal("0.01"))


def status_map(
    queryset: QuerySet[Indicator], scope: ReportScope
) -> dict[int, tuple[str, Decimal | None]]:
    """(status, achievement) by indicator pk as a reader of `scope` sees them, by the database."""
    return _read_statuses(*_status_rows_sql(queryset, scope))


def _read_statuses(sql: str, params: list) -> dict[int, tuple[str, Decimal | None]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (status, _decimal(achieved)) for pk, status, achieved in cursor.fetchall()}


def status_totals(queryset: QuerySet[Indicator], scope: ReportScope) -> dict[str, int]:
    """How many indicators of `queryset` have each status, counted by the database."""
    sql, params = _status_rows_sql(queryset, scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, COUNT(*) FROM ({sql}) t GROUP BY status", params)  # noqa: S608
        return dict(cursor.fetchall())


def year_ids_of_status(year: int, scope: ReportScope, status: str) -> list[int]:
    """The ids of fiscal year `year`'s indicators whose status is `status`, cached per data
    version; only they leave the database (not the year's every status and achievement)."""

    def compute() -> list[int]:
        sql, params = year_status_sql(year, scope)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM ({sql}) s WHERE status = %s", [*params, status])  # noqa: S608
            return [pk for (pk,) in cursor.fetchall()]

    key = f"{year}|{scope.key}|{status}"
    return remember("status-ids", key, compute, year=year, scope=scope)


def with_status_code(
    queryset: QuerySet[Indicator], status: str, scope: ReportScope
) -> QuerySet[Indicator]:
    """The indicators of `queryset` whose status is `status`.

    A status depends on the indicator alone, so the year's statuses answer for any filter;
    worked out here once rather than inside both the page's COUNT and its page query.
    """
    years = queryset.order_by().values_list("fiscal_year_id", flat=True).distinct()
    pks = [pk for year in years for pk in year_ids_of_status(year, scope, status)]
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders: the COUNT and the page
        # query each parse and plan ~20 ms faster on a year of 6,000 indicators. Sent as the
        # array's text ('{1,2,3}', ids only), not a list: psycopg2 would write out
        # ARRAY[1,2,3] element by element and PostgreSQL plan 2,000 constants (~6 ms a query).
        array = "{" + ",".join(map(str, pks)) + "}"
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [array]))
    return queryset.filter(pk__in=pks)


def agency_status_totals(
    fiscal_year: FiscalYear, agency: Agency, scope: ReportScope
) -> dict[str, int]:
    """How many of an agency's indicators of the year have each status, from the stored
    standings (only that agency's rows: a big office's page counts all its indicators, not
    one page)."""
    sql, params = standing.rows_sql(
        year=fiscal_year.year,
        quarters=[4],  # "as reported up to quarter 4", as summarize() reads them
        scope=scope,
        thresholds=fiscal_year.rating_thresholds,
        agency_ids=[agency.pk],
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, COUNT(*) FROM ({sql}) t GROUP BY status", params)  # noqa: S608
        return dict(cursor.fetchall())
