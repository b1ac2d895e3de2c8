"""The data's versions: one of all data, one of reference data, one per fiscal year and one
per agency (with one of the writes no single agency owns).

A cached page or figure of one fiscal year is keyed by `fingerprint(year)` (reference data and
that year), so a write in 2570 leaves 2569's pages cached; callers that span every year use
`fingerprint()`. A page that shows only some agencies' indicators (a reporter's work list, an
indicator's page and forms) is keyed by `fingerprint(agencies=...)`, so a save in one agency
leaves the others' pages cached. All versions are one small table read in one query.
"""

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Model

from indicators.models import (
    AgencyMembership,
    Appeal,
    Assessment,
    DataVersion,
    Evidence,
    FiscalYear,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    LevelCriterion,
    QuarterReport,
    QuarterWindow,
    ReviewComment,
    SelfAssessment,
)
from indicators.models.versions import (
    ALL_DATA,
    PRIVATE,
    REFERENCE_DATA,
    SHARED,
    USERS,
    agency_key,
    private_key,
)
from indicators.rollover.lineage import chain_sql

if TYPE_CHECKING:
    from indicators.access import ReportScope

# How a row finds its fiscal year: its own field, or through its indicator or report. Rows of
# _BY_YEAR belong to no single agency's pages: an indicator's save may move it to another
# agency or line, and a window is the whole year's.
_BY_YEAR = (Indicator, QuarterWindow)
_BY_INDICATOR = (
    QuarterReport,
    LevelCriterion,
    IndicatorProject,
    IndicatorDataset,
    Appeal,
    SelfAssessment,
)
_BY_REPORT = (Evidence, Assessment, ReviewComment)
# A row's fiscal year, indicator id and the agencies whose pages show it (None: unknown / all).
_Known = tuple[int | None, int | None, frozenset[int] | None]


# The versions read once for a whole GET request (set by indicators.sessions'
# VersionsPerRequestMiddleware): the session, the signed-in user and the page share one query.
_request_versions: ContextVar[dict[str, int] | None] = ContextVar("request_versions", default=None)


def versions() -> dict[str, int]:
    """Every version by key ("all", "reference", "2570"…): one read of a table of a few rows."""
    kept = _request_versions.get()
    if kept:
        return kept
    numbers = read_versions()
    if kept is not None:
        kept.update(numbers or {ALL_DATA: 0})
    return numbers


def read_versions() -> dict[str, int]:
    """Every version as the database has it now (never the request's copy)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, number FROM {DataVersion._meta.db_table}")  # noqa: S608
        return dict(cursor.fetchall())


@contextmanager
def versions_read_once() -> Iterator[None]:
    """Within the block (a request that writes nothing), versions() queries at most once."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def fingerprint(
    year: int | None = None,
    agencies: Collection[int] | None = None,
    scope: "ReportScope | None" = None,
    *,
    with_private: bool = True,
) -> str:
    """The version of all data, or with `year` of that fiscal year and the reference data, or
    with `agencies` of the reference data, the writes no agency owns and those agencies' own;
    with the versions of the edits of drafts a reader of `scope` sees (None: any reader, so
    every agency's); `with_private=False` leaves them out, for a caller that checks a kept
    page against them itself (fragments.fragment_page, with line_stamp).

    Saves, deletes and link changes of this app's models raise them through signals
    (`data_changed`); bulk writers, which send none, call `raise_after_commit` themselves
    (imports in spreadsheets.base.KpiResource.after_import, generate_city_data). Reading the
    highest ids of nine tables instead cost 2.4 ms a page on the city's data.
    """
    numbers = versions()
    if agencies is not None:
        own = [numbers.get(agency_key(pk), 0) for pk in sorted(agencies)]
        text = "agencies:" + ".".join(
            map(str, [numbers.get(REFERENCE_DATA, 0), numbers.get(SHARED, 0), *own])
        )
    elif year is None:
        text = str(numbers.get(ALL_DATA, 0))
    else:
        text = f"{numbers.get(REFERENCE_DATA, 0)}.{numbers.get(str(year), 0)}"
    private = private_fingerprint(scope) if with_private else ""
    return f"{text}+{private}" if private else text


def private_fingerprint(scope: "ReportScope | None" = None) -> str:
    """The versions of the edits of drafts a reader of `scope` sees (None: any reader, so every
    agency's); empty for a reader who sees no drafts."""
    numbers = versions()
    keys = (PRIVATE,) if scope is None else scope.private_version_keys
    return ".".join(str(numbers.get(key, 0)) for key in keys)


# The quarter reports of an indicator's line (rollover.lineage's chain, from its year and code):
# how many, and the sum of their versions, which every edit through the services raises.
LINE_STAMP_SQL = """
SELECT COUNT(*), COALESCE(SUM(r.version), 0) FROM {reports} r WHERE r.indicator_id IN ({chain})
"""


def line_stamp(year: int, code: str) -> str:
    """A number that every private write to the line of indicator `code` of `year` changes
    (each raises its report's version): a page of that line kept for a reader of drafts is
    still current after other indicators' drafts were edited if its stamp is the same."""
    quote = connection.ops.quote_name
    chain = chain_sql(quote(Indicator._meta.db_table), "fiscal_year_id = %s AND code = %s")
    sql = LINE_STAMP_SQL.format(reports=quote(QuarterReport._meta.db_table), chain=chain)
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, code, year, code])
        count, total = cursor.fetchone()
    return f"{count}.{total}"


def standing_keys(year: int) -> tuple[str, str]:
    """The versions of `year` and of reference data the year's stored standings were computed
    at (indicators/standing.py), kept beside the versions they follow: read in the same query."""
    return f"standing.{year}", f"standing.r.{year}"


def standing_is_current(year: int, numbers: dict[str, int]) -> bool:
    """Whether the stored standings of `year` were computed at the versions in `numbers`."""
    year_key, reference_key = standing_keys(year)
    return numbers.get(year_key) == numbers.get(str(year), 0) and numbers.get(
        reference_key
    ) == numbers.get(REFERENCE_DATA, 0)


def mark_standing(year: int, numbers: dict[str, int]) -> None:
    """Record that `year`'s standings hold the data at the versions in `numbers`."""
    year_key, reference_key = standing_keys(year)
    marks = {year_key: numbers.get(str(year), 0), reference_key: numbers.get(REFERENCE_DATA, 0)}
    with connection.cursor() as cursor:
        for key, number in marks.items():
            cursor.execute(
                f"INSERT INTO {DataVersion._meta.db_table} (key, number) VALUES (%s, %s)"  # noqa: S608
                " ON CONFLICT (key) DO UPDATE SET number = EXCLUDED.number",
                [key, number],
            )
    standing_checked(year)


def standing_checked(year: int) -> None:
    """For the rest of the request, `year`'s standings count as current at the versions the
    request read (they were just refreshed, or found current, at those or later ones)."""
    kept = _request_versions.get()
    if kept:
        year_key, reference_key = standing_keys(year)
        kept[year_key] = kept.get(str(year), 0)
        kept[reference_key] = kept.get(REFERENCE_DATA, 0)


def advance_standing_marker(year: int) -> None:
    """After a raise of `year` by a transaction that kept its standings current: the marker
    follows, if it stood at the version just before (else an edit no one refreshed came in
    between, and the next reader refreshes the year)."""
    table = DataVersion._meta.db_table
    year_key, reference_key = standing_keys(year)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET number = number + 1
            WHERE key = %s AND number + 1 = (SELECT number FROM {table} WHERE key = %s)
              AND EXISTS (SELECT 1 FROM {table} r WHERE r.key = %s AND r.number =
                COALESCE((SELECT number FROM {table} WHERE key = %s), 0))""",  # noqa: S608
            [year_key, str(year), reference_key, REFERENCE_DATA],
        )


def data_keys(
    years: set[int] | frozenset[int] | None, agencies: frozenset[int] | None = None
) -> set[str]:
    """The versions an edit of `years` raises (None: of reference data, i.e. of every year),
    with the versions of the `agencies` whose pages show what it edited (None: every agency's)."""
    if years is None:
        return {ALL_DATA, REFERENCE_DATA}
    finer = {agency_key(pk) for pk in agencies} if agencies else {SHARED}
    return {ALL_DATA, *map(str, years), *finer}


def raise_data_version(years: frozenset[int] | None = None) -> None:
    """Count one more edit of `years` (None: of reference data, i.e. of every year)."""
    raise_versions(data_keys(years))


def raise_versions(keys: set[str]) -> None:
    """Count one more edit of each version in `keys`; rows are made on first use (a flushed
    database, a new year has none)."""
    raised = DataVersion.objects.filter(key__in=keys).update(number=F("number") + 1)
    if raised == len(keys):
        return
    present = set(DataVersion.objects.filter(key__in=keys).values_list("key", flat=True))
    for key in sorted(keys - present):
        try:
            with transaction.atomic():
                DataVersion.objects.create(key=key, number=1)
        except IntegrityError:  # a parallel first raise made it
            DataVersion.objects.filter(key=key).update(number=F("number") + 1)


class OwedRaise:
    """The raise one transaction owes: done by its first commit callback, skipped by the rest.

    It gathers the versions the transaction's edits raise, and what they did to the stored
    standings (indicators/standing.py): the indicators written and not yet refreshed
    (`touched`, by year), the years written in ways no refresh follows (`blind`, or
    `everything`). A year the transaction left current has its standing marker raised with
    its version, so a service's save does not make the next reader refresh the whole year.
    """

    def __init__(self) -> None:
        self.done = False
        self.keys: set[str] = set()
        self.known: dict[tuple[str, int], _Known] = {}
        self.touched: dict[int, set[int]] = {}
        self.blind: set[int] = set()
        self.everything = False
        self.refreshed: set[int] = set()  # years refreshed whole since `everything` was set
        # Reports whose edits stay private (private_write), and by year the versions their
        # edits would have raised otherwise: raised after all if a year is left unrefreshed.
        self.private_reports: set[int] = set()
        self.private_fallback: dict[int, set[str]] = {}

    def wrote_everything(self) -> None:
        self.everything = True
        self.refreshed.clear()

    def owes_year(self, year: int) -> bool:
        """Whether this transaction wrote to `year` in a way no refresh of it followed."""
        return year in self.blind or (self.everything and year not in self.refreshed)

    def year_refreshed(self, year: int) -> None:
        self.blind.discard(year)
        self.touched.pop(year, None)
        self.refreshed.add(year)

    def leaves_behind(self) -> bool:
        """Whether this transaction wrote what no refresh of the stored standings followed
        (reference data sends every year's readers to refresh: standing_is_current)."""
        return (
            self.everything
            or bool(self.blind)
            or any(self.touched.values())
            or REFERENCE_DATA in self.keys
        )

    def kept_current(self) -> set[int]:
        """The years whose every edit in this transaction the stored standings already hold."""
        if self.everything:
            return set()
        years = {int(key) for key in self.keys if key.isdigit()}
        return {year for year in years - self.blind if not self.touched.get(year)}

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        for year, keys in self.private_fallback.items():
            if self.owes_year(year) or self.touched.get(year):  # readers refresh from the year's
                self.keys |= keys
        current = self.kept_current()
        if not current:
            raise_versions(self.keys)
        else:
            with transaction.atomic():  # the raised rows stay locked: the numbers read are ours
                raise_versions(self.keys)
                for year in sorted(current):
                    advance_standing_marker(year)
        if self.leaves_behind():
            _refresh_in_background()


def _refresh_in_background() -> None:
    """The years a write left behind are computed again by the background worker, not by
    their next reader (who would wait seconds at the city's size); a reader who comes first
    still refreshes, and the worker then finds the year done (standing.refresh_year)."""
    from indicators.tasks import refresh_standings  # the tasks import the standings, and they us

    refresh_standings.enqueue()


def pending_writes(using: str | None = None) -> OwedRaise | None:
    """What the current transaction wrote and has not committed yet, if anything."""
    database = transaction.get_connection(using)
    owed: OwedRaise | None = getattr(database, "data_version_raise", None)
    if owed is None or owed.done or all(entry[1] is not owed for entry in database.run_on_commit):
        return None
    return owed


def _owed(using: str | None) -> OwedRaise:
    """The current transaction's raise: a new one once the last was done or rolled back (a
    rollback takes its callbacks away, and its keys must not ride on the next transaction)."""
    owed = pending_writes(using)
    if owed is None:
        owed = transaction.get_connection(using).data_version_raise = OwedRaise()
    return owed


def raise_after_commit(
    using: str | None = None,
    years: set[int] | None = None,
    agencies: frozenset[int] | None = None,
) -> None:
    """Raise the versions of `years` (None: every year) and of `agencies` (None: every agency's)
    once the current transaction commits.

    After the commit, not inside the transaction: the rows would otherwise stay locked, and
    every concurrent save of the city would queue behind them. Every edit registers a callback
    (a rolled back savepoint takes its own away), and all of a transaction's share one raise.
    Called by bulk writers, whose rows no one lists: those years' stored standings are
    refreshed by their next reader.
    """
    owed = _raise(using, years, agencies)
    if years is None:
        owed.wrote_everything()
    else:
        owed.blind |= years


def _raise(
    using: str | None, years: set[int] | None, agencies: frozenset[int] | None = None
) -> OwedRaise:
    owed = _owed(using)
    owed.keys |= data_keys(years, agencies)
    _commit(owed, using)
    return owed


def private_write(report_id: int, using: str | None = None) -> None:
    """The current transaction's edits of report `report_id` and of its evidence change only
    what readers of its agency's drafts see (a service decides it: access.edit_stays_private).
    They raise the private versions instead of the year's, the agency's and "all", so every
    other reader's pages stay cached. The service must refresh the report's stored standing and
    raise the report's version (pages of one indicator's line check line_stamp)."""
    owed = _owed(using)
    owed.private_reports.add(report_id)
    _commit(owed, using)


def _is_private(owed: OwedRaise, instance: Model | None) -> bool:
    if isinstance(instance, QuarterReport):
        return instance.pk in owed.private_reports
    return isinstance(instance, Evidence) and instance.report_id in owed.private_reports


def raise_keys_after_commit(keys: set[str], using: str | None = None) -> None:
    """Raise the versions named in `keys` once the transaction commits ("users", "sessions":
    indicators.sessions; they are not the data's)."""
    owed = _owed(using)
    owed.keys |= keys
    _commit(owed, using)


def _commit(owed: OwedRaise, using: str | None) -> None:
    # Robust: the edit is committed already; a failed raise is logged, the page expires anyway.
    transaction.on_commit(owed, using=using, robust=True)


# The indicator's own year, and the agencies of every indicator on its line across years: each
# of their indicator pages draws this indicator's numbers (rollover.lineage.year_line).
SCOPE_SQL = "SELECT id, fiscal_year_id, agency_id FROM {table} WHERE id IN ({chain})"

Scope = tuple[int, frozenset[int]]  # a fiscal year, and the agencies whose pages show a row


def _indicator_scope(indicator_id: int, using: str | None) -> Scope | None:
    database = connections[using or DEFAULT_DB_ALIAS]
    table = database.ops.quote_name(Indicator._meta.db_table)
    sql = SCOPE_SQL.format(table=table, chain=chain_sql(table))
    with database.cursor() as cursor:
        cursor.execute(sql, [indicator_id, indicator_id])
        rows = cursor.fetchall()
    year = next((year for pk, year, _agency in rows if pk == indicator_id), None)
    return None if year is None else (year, frozenset(agency for _pk, _year, agency in rows))


def _of_row(owed: OwedRaise, kind: str, pk: int | None, using: str | None) -> _Known:
    """The fiscal year, indicator and showing agencies of an indicator or report by id; a query
    or two per row per transaction."""
    if pk is None:
        return None, None, None
    if (kind, pk) not in owed.known:
        indicator_id: int | None = pk
        if kind == "report":
            reports = QuarterReport.objects.using(using).filter(pk=pk)
            indicator_id = reports.values_list("indicator_id", flat=True).first()
        scope = None if indicator_id is None else _indicator_scope(indicator_id, using)
        owed.known[(kind, pk)] = (
            (None, None, None) if scope is None else (scope[0], indicator_id, scope[1])
        )
    return owed.known[(kind, pk)]


def owner_of(instance: Model, using: str | None = None) -> _Known:
    """The fiscal year a row belongs to (None: every year), its indicator (None when it has
    none) and the agencies whose pages show it (None: every agency's)."""
    if isinstance(instance, Indicator):
        return instance.fiscal_year_id, instance.pk, None
    if isinstance(instance, _BY_YEAR):
        return instance.fiscal_year_id, None, None
    owed = _owed(using)
    if isinstance(instance, _BY_INDICATOR):
        return _of_row(owed, "indicator", instance.indicator_id, using)
    if isinstance(instance, _BY_REPORT):
        return _of_row(owed, "report", instance.report_id, using)
    return None, None, None


def data_changed(sender, **kwargs) -> None:
    """Signal receiver (indicators.apps) for saves, deletes and link changes of this app."""
    if sender is DataVersion:
        return
    using = kwargs.get("using")
    instance = kwargs.get("instance")
    if isinstance(instance, AgencyMembership):
        # Whom a reporter reports for changes what they see, not the data (sessions.py).
        raise_keys_after_commit({USERS}, using)
        return
    # A link change from the other side (a strategy node's indicators) has no year: every year.
    year, indicator, agencies = (
        (None, None, None) if instance is None else owner_of(instance, using)
    )
    owed = _owed(using)
    if year is not None and indicator is not None and agencies and _is_private(owed, instance):
        owed.private_fallback.setdefault(year, set()).update(data_keys({year}, agencies))
        owed.keys |= {PRIVATE, *map(private_key, agencies)}
        owed.touched.setdefault(year, set()).add(indicator)
        _commit(owed, using)
        return
    owed = _raise(using, None if year is None else {year}, agencies)
    # Other data of every year (agencies, plans) is no part of a stored standing; once
    # committed, its reference version still sends each year's readers to refresh.
    if isinstance(instance, FiscalYear):  # its rating bands rate the year's standings
        owed.blind.add(instance.year)
    elif year is not None and indicator is None:
        owed.blind.add(year)
    elif year is not None and indicator is not None:  # its stored standing is owed a refresh
        owed.touched.setdefault(year, set()).add(indicator)
