"""The data's versions: one of all data, one of reference data and one per fiscal year.

A cached page or figure of one fiscal year is keyed by `fingerprint(year)` (reference data and
that year), so a write in 2570 leaves 2569's pages cached; callers that span every year use
`fingerprint()`. All versions are one small table read in one query.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model

from indicators.models import (
    AgencyMembership,
    Appeal,
    Assessment,
    DataVersion,
    Evidence,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    LevelCriterion,
    QuarterReport,
    QuarterWindow,
    ReviewComment,
)
from indicators.models.versions import ALL_DATA, REFERENCE_DATA, USERS

# How a row finds its fiscal year: its own field, or through its indicator or report.
_BY_YEAR = (Indicator, QuarterWindow)
_BY_INDICATOR = (QuarterReport, LevelCriterion, IndicatorProject, IndicatorDataset, Appeal)
_BY_REPORT = (Evidence, Assessment, ReviewComment)


# The versions read once for a whole GET request (set by indicators.sessions'
# VersionsPerRequestMiddleware): the session, the signed-in user and the page share one query.
_request_versions: ContextVar[dict[str, int] | None] = ContextVar("request_versions", default=None)


def versions() -> dict[str, int]:
    """Every version by key ("all", "reference", "2570"…): one read of a table of a few rows."""
    kept = _request_versions.get()
    if kept:
        return kept
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, number FROM {DataVersion._meta.db_table}")  # noqa: S608
        numbers = dict(cursor.fetchall())
    if kept is not None:
        kept.update(numbers or {ALL_DATA: 0})
    return numbers


@contextmanager
def versions_read_once() -> Iterator[None]:
    """Within the block (a request that writes nothing), versions() queries at most once."""
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def fingerprint(year: int | None = None) -> str:
    """The version of all data, or with `year` of that fiscal year and the reference data.

    Saves, deletes and link changes of this app's models raise them through signals
    (`data_changed`); bulk writers, which send none, call `raise_after_commit` themselves
    (imports in spreadsheets.base.KpiResource.after_import, generate_city_data). Reading the
    highest ids of nine tables instead cost 2.4 ms a page on the city's data.
    """
    numbers = versions()
    if year is None:
        return str(numbers.get(ALL_DATA, 0))
    return f"{numbers.get(REFERENCE_DATA, 0)}.{numbers.get(str(year), 0)}"


def data_keys(years: set[int] | frozenset[int] | None) -> set[str]:
    """The versions an edit of `years` raises (None: of reference data, i.e. of every year)."""
    return {ALL_DATA, *(map(str, years) if years is not None else [REFERENCE_DATA])}


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


class _OwedRaise:
    """The raise one transaction owes: done by its first commit callback, skipped by the rest.

    It gathers the versions the transaction's edits raise.
    """

    def __init__(self) -> None:
        self.done = False
        self.keys: set[str] = set()
        self.known: dict[tuple[str, int], int | None] = {}

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            raise_versions(self.keys)


def _owed(using: str | None) -> _OwedRaise:
    """The current transaction's raise: a new one once the last was done or rolled back (a
    rollback takes its callbacks away, and its keys must not ride on the next transaction)."""
    database = transaction.get_connection(using)
    owed: _OwedRaise | None = getattr(database, "data_version_raise", None)
    if owed is None or owed.done or all(entry[1] is not owed for entry in database.run_on_commit):
        owed = database.data_version_raise = _OwedRaise()
    return owed


def raise_after_commit(using: str | None = None, years: set[int] | None = None) -> None:
    """Raise the versions of `years` (None: every year) once the current transaction commits.

    After the commit, not inside the transaction: the rows would otherwise stay locked, and
    every concurrent save of the city would queue behind them. Every edit registers a callback
    (a rolled back savepoint takes its own away), and all of a transaction's share one raise.
    """
    owed = _owed(using)
    owed.keys |= data_keys(years)
    _commit(owed, using)


def raise_keys_after_commit(keys: set[str], using: str | None = None) -> None:
    """Raise the versions named in `keys` once the transaction commits ("users", "sessions":
    indicators.sessions; they are not the data's)."""
    owed = _owed(using)
    owed.keys |= keys
    _commit(owed, using)


def _commit(owed: _OwedRaise, using: str | None) -> None:
    # Robust: the edit is committed already; a failed raise is logged, the page expires anyway.
    transaction.on_commit(owed, using=using, robust=True)


def _year_by(owed: _OwedRaise, kind: str, pk: int | None, using: str | None) -> int | None:
    """The fiscal year of an indicator or report by id; one query per row per transaction."""
    if pk is None:
        return None
    if (kind, pk) not in owed.known:
        if kind == "indicator":
            row = Indicator.objects.using(using).filter(pk=pk).values_list("fiscal_year_id").first()
        else:
            reports = QuarterReport.objects.using(using).filter(pk=pk)
            row = reports.values_list("indicator__fiscal_year_id").first()
        owed.known[(kind, pk)] = row[0] if row else None
    return owed.known[(kind, pk)]


def year_of(instance: Model, using: str | None = None) -> int | None:
    """The fiscal year a row belongs to, or None when it touches every year."""
    owed = _owed(using)
    if isinstance(instance, _BY_YEAR):
        return instance.fiscal_year_id
    if isinstance(instance, _BY_INDICATOR):
        indicator = instance._state.fields_cache.get("indicator")
        if indicator is not None:
            return indicator.fiscal_year_id
        return _year_by(owed, "indicator", instance.indicator_id, using)
    if isinstance(instance, _BY_REPORT):
        return _year_by(owed, "report", instance.report_id, using)
    return None


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
    year = None if instance is None else year_of(instance, using)
    raise_after_commit(using, None if year is None else {year})
