"""The data's versions: one of all data, one of reference data and one per fiscal year.

A cached page or figure of one fiscal year is keyed by `fingerprint(year)` (reference data and
that year), so a write in 2570 leaves 2569's pages cached; callers that span every year use
`fingerprint()`. All versions are one small table read in one query.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model

from indicators.models import (
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
from indicators.models.versions import ALL_DATA, REFERENCE_DATA

# How a row finds its fiscal year: its own field, or through its indicator or report.
_BY_YEAR = (Indicator, QuarterWindow)
_BY_INDICATOR = (QuarterReport, LevelCriterion, IndicatorProject, IndicatorDataset, Appeal)
_BY_REPORT = (Evidence, Assessment, ReviewComment)


def versions() -> dict[str, int]:
    """Every version by key ("all", "reference", "2570"…): one read of a table of a few rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, number FROM {DataVersion._meta.db_table}")  # noqa: S608
        return dict(cursor.fetchall())


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


def raise_data_version(years: frozenset[int] | None = None) -> None:
    """Count one more edit of `years` (None: of reference data, i.e. of every year).

    Rows are made on first use (a flushed database, a new year has none).
    """
    keys = [ALL_DATA, *(map(str, sorted(years)) if years is not None else [REFERENCE_DATA])]
    raised = DataVersion.objects.filter(key__in=keys).update(number=F("number") + 1)
    if raised == len(keys):
        return
    present = set(DataVersion.objects.filter(key__in=keys).values_list("key", flat=True))
    for key in sorted(set(keys) - present):
        try:
            with transaction.atomic():
                DataVersion.objects.create(key=key, number=1)
        except IntegrityError:  # a parallel first raise made it
            DataVersion.objects.filter(key=key).update(number=F("number") + 1)


class _OwedRaise:
    """The raise one transaction owes: done by its first commit callback, skipped by the rest.

    It gathers the years the transaction wrote; `years is None` means reference data.
    """

    def __init__(self) -> None:
        self.done = False
        self.years: set[int] | None = set()
        self.known: dict[tuple[str, int], int | None] = {}

    def add(self, years: set[int] | None) -> None:
        if years is None or self.years is None:
            self.years = None
        else:
            self.years |= years

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            raise_data_version(None if self.years is None else frozenset(self.years))


def _owed(using: str | None) -> _OwedRaise:
    database = transaction.get_connection(using)
    owed = getattr(database, "data_version_raise", None)
    if owed is None or owed.done:
        owed = database.data_version_raise = _OwedRaise()
    return owed


def raise_after_commit(using: str | None = None, years: set[int] | None = None) -> None:
    """Raise the versions of `years` (None: every year) once the current transaction commits.

    After the commit, not inside the transaction: the rows would otherwise stay locked, and
    every concurrent save of the city would queue behind them. Every edit registers a callback
    (a rolled back savepoint takes its own away), and all of a transaction's share one raise.
    """
    owed = _owed(using)
    owed.add(years)
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
    # A link change from the other side (a strategy node's indicators) has no year: every year.
    year = None if instance is None else year_of(instance, using)
    raise_after_commit(using, None if year is None else {year})
