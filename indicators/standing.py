"""Each indicator's standing, stored: rollups' rows per as-of quarter and visibility level.

The status filter, the strategy tree, the agency counts and the dashboard each waited on
rollups.quarters_rows_sql (130–230 ms a year at 30,000 indicators). Its rows are now kept in
`Standing`, written by that same SQL (INSERT … SELECT: the scoring rule stays in rollups.py),
one row per indicator, quarter "as reported up to" and visibility level, and kept right:
- services (`keeps_standing`) refresh the indicators their transaction wrote, in it;
- any other writer (bulk imports, rollover, generated data, the admin) leaves its year behind
  its data version, and the year's next reader refreshes it first (`ensure_current`), under a
  lock so that two workers do not both do it;
- a transaction reads its own writes: what it wrote and did not refresh is refreshed before
  it reads (data_versions.pending_writes).
A year is current when its markers equal its data versions (data_versions.standing_is_current),
kept in the versions table that every request reads once anyway: checking costs no query.
"""

import hashlib
import re
import weakref
from collections.abc import Callable, Iterable
from functools import wraps

from django.db import connection, transaction

from indicators import data_versions, rollups
from indicators.access import STANDING_SCOPES, ReportScope
from indicators.models import QUARTERS, FiscalYear, Indicator, Standing

LOCK_SPACE = 1_710_018  # the first key of the two-key advisory lock: "stored standings"

# rollups.indicator_rows_sql's columns the readers use, stored under the same names.
COLUMNS = (
    "agency_id",
    "weight",
    "value",
    "report_status",
    "submitted_at",
    "score",
    "official",
    "overall",
    "achievement",
    "latest_achievement",
    "status",
    "rating",
)


def _write_sql(year: int, thresholds: list, indicator_id: int | None) -> tuple[str, list]:
    """INSERT … SELECT of the rows of `year` (or of `indicator_id` only), every level and
    quarter, from rollups' SQL with the year's rating bands; rows already there are updated
    in place."""
    names = ", ".join(COLUMNS)
    parts, params = [], [year]
    for level, scope in STANDING_SCOPES.items():
        rows, rows_params = rollups.quarters_rows_sql(
            year=year,
            quarters=list(QUARTERS),
            thresholds=thresholds,
            scope=scope,
            indicator_id=indicator_id,
        )
        parts.append(f"SELECT id, quarter, {int(level)} AS level, {names} FROM ({rows}) l{level}")  # noqa: S608
        params += rows_params
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in ("year", *COLUMNS))
    # WHERE TRUE: SQLite would read ON CONFLICT as the SELECT's join clause without it.
    sql = f"""INSERT INTO {Standing._meta.db_table} (indicator_id, as_of, level, year, {names})
    SELECT id, quarter, level, %s, {names} FROM ({" UNION ALL ".join(parts)}) c WHERE TRUE
    ON CONFLICT (indicator_id, as_of, level) DO UPDATE SET {updates}"""  # noqa: S608
    return sql, params


# Statements PREPAREd on each database session (a web worker keeps its connection a minute).
_PREPARED: weakref.WeakKeyDictionary[object, set[str]] = weakref.WeakKeyDictionary()


def _execute_prepared(sql: str, params: list) -> None:
    """Run `sql` with `params` as a statement prepared once per session and planned once
    (a generic plan): planning the three levels' layers took ~10 ms, twice as long as
    running them for one indicator, on every service's save. SQLite plans for free."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return
        name = "standing_" + hashlib.sha256(sql.encode()).hexdigest()[:20]
        known = _PREPARED.setdefault(connection.connection, set())
        if name not in known:
            # psycopg's placeholders become PostgreSQL's numbered ones, and an escaped %% a %.
            numbered = iter(range(1, len(params) + 1))
            text = re.sub(
                "%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbered)}", sql
            )
            cursor.execute(f"PREPARE {name} AS {text}")  # outlives a rollback: kept per session
            known.add(name)
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)


def _thresholds(year: int) -> list:
    return FiscalYear.objects.get(year=year).rating_thresholds()


def _lock(year: int, *, shared: bool) -> None:
    """Until the transaction ends: refreshes of `year`'s indicators (shared) exclude a
    refresh of the whole year (exclusive), which would otherwise overwrite them with rows
    computed before they committed. SQLite runs one writer at a time anyway."""
    if connection.vendor != "postgresql":
        return
    kind = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {kind}(%s, %s)", [LOCK_SPACE, year])


def refresh_indicators(year: int, indicator_ids: Iterable[int]) -> None:
    """Compute the stored rows of these indicators of `year` again, in the caller's
    transaction (a service's: a few milliseconds)."""
    ids = sorted(set(indicator_ids))
    with transaction.atomic():
        _lock(year, shared=True)
        thresholds = _thresholds(year)
        for pk in ids:
            _execute_prepared(*_write_sql(year, thresholds, pk))
    owed = data_versions.pending_writes()
    if owed is not None:
        owed.touched.get(year, set()).difference_update(ids)


def refresh_year(year: int) -> bool:
    """Compute every stored row of `year` again, unless another worker has just done it
    (then False). The versions are read under the lock and before the rows: an edit they
    count is committed, so the rows hold it."""
    with transaction.atomic():
        _lock(year, shared=False)
        numbers = data_versions.read_versions()
        owed = data_versions.pending_writes()
        if data_versions.standing_is_current(year, numbers) and not _owes(owed, year):
            data_versions.standing_checked(year)
            return False
        with connection.cursor() as cursor:
            # Emptied and filled: under this lock no one else writes the year's rows, and
            # plain inserts cost a quarter less than updating every row in place.
            cursor.execute(f"DELETE FROM {Standing._meta.db_table} WHERE year = %s", [year])  # noqa: S608
            before = cursor.rowcount
            cursor.execute(*_write_sql(year, _thresholds(year), None))
            if connection.vendor == "postgresql" and cursor.rowcount > before * 1.2:
                # A year new or grown: without statistics of it the dashboard's plan took its
                # rows for one and ran for seconds (autovacuum comes too late). A year
                # computed again with the same indicators keeps its statistics (~0.7 s saved).
                cursor.execute(f"ANALYZE {Standing._meta.db_table}")
        data_versions.mark_standing(year, numbers)
    if owed is not None:
        owed.year_refreshed(year)
    return True


def refresh_all() -> list[int]:
    """Refresh every year that holds indicators and is behind (a bulk writer's last step,
    once its transaction committed); the years refreshed."""
    years = Indicator.objects.order_by().values_list("fiscal_year_id", flat=True).distinct()
    return [year for year in sorted(years) if refresh_year(year)]


def _owes(owed: data_versions.OwedRaise | None, year: int) -> bool:
    """Whether the current transaction wrote to `year` in a way no refresh followed."""
    return owed is not None and owed.owes_year(year)


def ensure_current(year: int) -> None:
    """Make `year`'s stored rows hold the data this connection sees: the whole year after a
    write no one refreshed, else what the current transaction wrote itself."""
    owed = data_versions.pending_writes()
    if not data_versions.standing_is_current(year, data_versions.versions()) or _owes(owed, year):
        refresh_year(year)
    elif owed is not None and owed.touched.get(year):
        refresh_indicators(year, owed.touched[year])


def refresh_written() -> None:
    """Refresh the indicators the current transaction wrote (a service's last step)."""
    owed = data_versions.pending_writes()
    if owed is None:
        return
    for year, ids in sorted(owed.touched.items()):
        if ids:
            refresh_indicators(year, ids)


def keeps_standing[**P, R](service: Callable[P, R]) -> Callable[P, R]:
    """A service in one transaction that ends by refreshing the stored standings of the
    indicators it wrote (found by the data_versions signals: none can be forgotten)."""

    @wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic():
            result = service(*args, **kwargs)
            refresh_written()
        return result

    return run


def rows_sql(
    *,
    year: int,
    quarters: list[int],
    scope: ReportScope,
    thresholds: Callable[[], list],
    agency_ids: list[int] | None = None,
) -> tuple[str, list]:
    """rollups.quarters_rows_sql's columns for a reader of `scope`, read from the stored rows
    (made current first); computed by rollups for a scope no stored level matches, with the
    rating bands `thresholds` gives."""
    condition = scope.standing_sql()
    if condition is None:
        return rollups.quarters_rows_sql(
            year=year,
            quarters=quarters,
            thresholds=thresholds(),
            scope=scope,
            agency_ids=agency_ids,
        )
    ensure_current(year)
    chosen = ", ".join(str(int(q)) for q in sorted(set(quarters)))
    agencies = ""
    if agency_ids is not None:
        agencies = f"AND s.agency_id IN ({', '.join(str(int(pk)) for pk in agency_ids) or 'NULL'})"
    sql = f"""SELECT s.indicator_id AS id, s.agency_id, s.weight, s.as_of AS quarter, s.value,
      s.report_status, s.submitted_at, s.score, s.official, s.overall, s.achievement,
      s.latest_achievement, s.status, s.rating
    FROM {Standing._meta.db_table} s
    WHERE s.year = %s AND s.as_of IN ({chosen}) AND {condition} {agencies}"""  # noqa: S608
    return sql, [year]
