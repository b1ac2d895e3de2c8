"""An indicator's timeline: changes to it, its quarter reports and scores, and the review thread."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, router
from django.db.models import Field, Model
from django.db.models.sql import Query
from django.utils.translation import gettext_lazy as _

from indicators.access import ReportScope
from indicators.models import Assessment, CommentKind, Indicator, QuarterReport, ReviewComment


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
    report_id: int | None = None  # the quarter report an entry belongs to, to merge one event
    is_comment: bool = False


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
# Working notes between the auditors and the agency, not part of what the public reads.
REVIEW_NOTE_FIELDS = frozenset({"reason"})
ACTIONS = {"+": _("สร้าง"), "~": _("แก้ไข"), "-": _("ลบ")}
PUBLISHED = _("เผยแพร่")


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


def _label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(field.verbose_name if isinstance(field, Field) else name)


def _changes(
    model: type, record: object, previous: object | None, fields: tuple[str, ...]
) -> tuple[Change, ...]:
    """What differs from `previous`; with none, the values a first-seen record shows."""
    if previous is None:
        shown = [name for name in fields if getattr(record, name) not in (None, "", False)]
        return tuple(Change(_label(model, name), "–", _shown(record, name)) for name in shown)
    return tuple(
        Change(_label(model, name), _shown(previous, name), _shown(record, name))
        for name in fields
        if getattr(previous, name) != getattr(record, name)
    )


def _entries(
    model: type,
    records: list,
    subject: str,
    quarter_of,
    fields: tuple[str, ...],
    *,
    report_of=lambda r: None,
    with_reasons: bool = False,
    show_created: bool = False,
) -> list[HistoryEntry]:
    """Timeline entries of the historical records a reader sees, each diffed against the one
    before it that they saw: a quarter first seen on approval reads "published", with its values.
    """
    entries = []
    previous_by_id: dict[int, object] = {}
    for record in records:
        previous = previous_by_id.get(record.id)
        previous_by_id[record.id] = record
        first_seen = previous is None and record.history_type == "~"
        created = record.history_type == "+" and not show_created
        changes = () if created else _changes(model, record, previous, fields)
        reason = (record.history_change_reason or "") if with_reasons else ""
        if record.history_type == "~" and not changes and not reason:
            continue  # a save that changed nothing a reader sees (a version bump)
        action = PUBLISHED if first_seen else ACTIONS.get(record.history_type, "")
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=subject,
                action=str(action),
                quarter=quarter_of(record),
                changes=changes,
                note="" if changes else reason,  # a step that changed no field: evidence removed
                report_id=report_of(record),
            )
        )
    return entries


def _fields(model: type[Model], with_review_notes: bool) -> tuple[str, ...]:
    fields = TRACKED_FIELDS[model]
    return fields if with_review_notes else tuple(f for f in fields if f not in REVIEW_NOTE_FIELDS)


# What a timeline reads of a historical row besides its tracked fields, and of its author.
HISTORY_COLUMNS = ("id", "history_id", "history_date", "history_type", "history_change_reason")
AUTHOR_COLUMNS = ("id", "username", "first_name", "last_name")
COMMENT_COLUMNS = ("id", "report_id", "kind", "body", "created_at")


@dataclass(frozen=True)
class _Table:
    """One table of a timeline: its `model`, the fields `names` read, the column of a row's
    author and the order of its rows."""

    model: type[Model]
    names: tuple[str, ...]
    author: str = "history_user_id"
    order: str = "h.id, h.history_date"  # oldest first per record


@cache
def _history_table(model: type[Model], *extra: str) -> _Table:
    """The historical rows of `model` with only the columns a timeline shows (a historical
    indicator carries long texts). Kept: `model.history` builds a manager class at each use."""
    history = model.history.model  # type: ignore[attr-defined]
    return _Table(
        history, _model_order(history, {*HISTORY_COLUMNS, *TRACKED_FIELDS[model], *extra})
    )


def _model_order(model: type[Model], names: set[str]) -> tuple[str, ...]:
    """`names` in the order of the model's fields, the order Model.from_db() reads values in."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


@dataclass(frozen=True)
class _Union:
    """The SQL of a UNION ALL of `tables` (each part's WHERE condition to follow its text),
    the fields in its columns and the ORM's converters of their values."""

    parts: list[str]
    end: str
    fields: list[Field]
    first: list[int]  # where each table's own fields start among `fields`
    converters: dict


# A table, a condition on its alias h and the condition's parameters.
_Part = tuple[_Table, str, Sequence[Any]]


@lru_cache(maxsize=8)
def _union(tables: tuple[_Table, ...]) -> _Union:
    """Each table's own columns beside typed NULLs for the others', authors joined once.

    Plain SQL from the models' metadata, written once: the ORM spent about a millisecond
    compiling each of a detail page's history queries, more than the database took to answer
    them, and each query is a round trip.
    """
    quote = connection.ops.quote_name
    slots = [
        (n, _field(table.model, name)) for n, table in enumerate(tables) for name in table.names
    ]
    parts = []
    for n, table in enumerate(tables):
        columns = [
            f"h.{quote(str(field.column))}"
            if owner == n
            else f"CAST(NULL AS {field.cast_db_type(connection)})"
            for owner, field in slots
        ]
        parts.append(
            f"SELECT {n} AS source, ROW_NUMBER() OVER (ORDER BY {table.order}) AS row_order, "  # noqa: S608
            f"h.{quote(table.author)} AS author, {', '.join(columns)} "
            f"FROM {quote(table.model._meta.db_table)} h WHERE "
        )
    authors = ", ".join(f"u.{quote(name)}" for name in AUTHOR_COLUMNS)
    end = (
        f") t LEFT JOIN {quote(User._meta.db_table)} u ON u.id = t.author "
        f"ORDER BY t.source, t.row_order"
    )
    fields = [field for _owner, field in slots]
    compiler = Query(None).get_compiler(connection=connection)
    return _Union(
        [f"SELECT t.*, {authors} FROM (" + parts[0], *parts[1:]],  # noqa: S608
        end,
        fields,
        [sum(len(table.names) for table in tables[:n]) for n in range(len(tables))],
        compiler.get_converters([f.get_col(f.model._meta.db_table) for f in fields]),
    )


def _read(sources: list[_Part]) -> list[list]:
    """The rows of every (table, condition on alias h, its parameters) with their authors,
    in one query; each list of rows in its table's order."""
    union = _union(tuple(table for table, _where, _params in sources))
    sql = " UNION ALL ".join(
        part + where for part, (_table, where, _params) in zip(union.parts, sources, strict=True)
    )
    params = [param for _table, _where, table_params in sources for param in table_params]
    with connection.cursor() as cursor:
        cursor.execute(sql + union.end, params)
        rows = cursor.fetchall()
    return _records([table for table, _where, _params in sources], union, rows)


def _field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 (names are the models' own columns)
    return field


def _records(tables: list[_Table], union: _Union, rows: list[tuple]) -> list[list]:
    """Model instances of each table from the union's rows, values converted as the ORM
    converts them (SQLite gives decimals and dates as text), each with its author."""
    db = router.db_for_read(User)
    records: list[list] = [[] for _table in tables]
    width = len(union.fields)
    for n, _row_order, _author_id, *row in rows:
        values = row[:width]
        for position, (functions, column) in union.converters.items():
            for function in functions:
                values[position] = function(values[position], column, connection)
        table = tables[n]
        own = values[union.first[n] : union.first[n] + len(table.names)]
        record = table.model.from_db(db, list(table.names), own)
        setattr(record, table.author.removesuffix("_id"), _author(row[width:]))
        records[n].append(record)
    return records


def _author(values: Sequence[object]) -> User | None:
    """The author read beside a row; other fields load on access (deferred)."""
    if values[0] is None:
        return None
    return User.from_db(router.db_for_read(User), list(AUTHOR_COLUMNS), list(values))


@cache
def _thread_table() -> _Table:
    """The review comments, in the order they were written."""
    names = _model_order(ReviewComment, set(COMMENT_COLUMNS))
    return _Table(ReviewComment, names, author="author_id", order="h.created_at, h.id")


def _in(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _record_entries(
    indicator: Indicator, scope: ReportScope, with_review_notes: bool
) -> list[HistoryEntry]:
    """Entries from the history tables of the indicator, its reports and their scores, and
    (with review notes) the review thread: not yet merged into events."""
    quarter_by_report = {report.pk: report.quarter for report in indicator.reports.all()}
    report_where = "h.indicator_id = %s"
    report_params: list[object] = [indicator.pk]
    if scope.statuses is not None and indicator.agency_id not in scope.agency_ids:
        statuses = sorted(str(status) for status in scope.statuses)
        report_where += f" AND h.status IN ({_in(statuses)})"
        report_params += statuses
    report_ids = list(quarter_by_report)
    # No report the reader sees: no score either (IN () is no SQL).
    scores = f"h.report_id IN ({_in(report_ids)})" if report_ids else "FALSE"
    sources: list[_Part] = [
        (_history_table(Indicator), "h.id = %s", [indicator.pk]),
        (_history_table(QuarterReport, "quarter"), report_where, report_params),
        (_history_table(Assessment, "report_id"), scores, report_ids),
    ]
    if with_review_notes:
        reports = connection.ops.quote_name(QuarterReport._meta.db_table)
        comments = f"h.report_id IN (SELECT id FROM {reports} WHERE indicator_id = %s)"  # noqa: S608
        sources.append((_thread_table(), comments, [indicator.pk]))
    indicator_records, report_records, assessment_records, *thread = _read(sources)
    return _entries(
        Indicator, indicator_records, str(_("ข้อมูลตัวชี้วัด")), lambda r: None, TRACKED_FIELDS[Indicator]
    ) + _report_entries(
        report_records,
        assessment_records,
        thread[0] if thread else [],
        quarter_by_report,
        with_review_notes=with_review_notes,
    )


def indicator_history(
    indicator: Indicator, *, scope: ReportScope, with_review_notes: bool, limit: int = 100
) -> list[HistoryEntry]:
    """Changes to the indicator, its quarter reports and scores, and the review thread, newest
    first and one entry per event, as a reader of `scope` may see them: report states they may
    not see (a draft's value, a submission awaiting review) are left out, and review notes unless
    `with_review_notes`.

    `indicator` comes with its reports as `scope` shows them (`detail_queryset(scope)`).
    One query whatever the length of the history.
    """
    return merge_events(_record_entries(indicator, scope, with_review_notes))[:limit]


def report_history(report: QuarterReport) -> list[HistoryEntry]:
    """One quarter report's timeline for the auditor and the agency, review notes included."""
    ordering = ("id", "history_date")
    report_records = list(report.history.select_related("history_user").order_by(*ordering))
    assessment_records = list(
        Assessment.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by(*ordering)
    )
    comments = list(report.comments.select_related("author"))
    return merge_events(
        _report_entries(
            report_records,
            assessment_records,
            comments,
            {report.pk: report.quarter},
            with_review_notes=True,
        )
    )


def _report_entries(
    report_records: list,
    assessment_records: list,
    comments: list[ReviewComment],
    quarter_by_report: dict[int, int],
    *,
    with_review_notes: bool,
) -> list[HistoryEntry]:
    """Entries of quarter reports, their scores and review comments, not yet merged."""
    entries = _entries(
        QuarterReport,
        report_records,
        str(_("รายงานผล")),
        lambda r: r.quarter,
        _fields(QuarterReport, with_review_notes),
        report_of=lambda r: r.id,
        with_reasons=with_review_notes,
    ) + _entries(
        Assessment,
        assessment_records,
        str(_("ผลประเมิน")),
        lambda r: quarter_by_report.get(r.report_id),
        _fields(Assessment, with_review_notes),
        report_of=lambda r: r.report_id,
        show_created=True,  # a first score is news: "– → 90"
    )
    return entries + [
        HistoryEntry(
            when=comment.created_at,
            who=comment.author,
            subject=str(_("การตรวจ")),
            action=comment.get_kind_display(),
            quarter=quarter_by_report.get(comment.report_id),
            note=_comment_reason(comment),
            report_id=comment.report_id,
            is_comment=True,
        )
        for comment in comments
    ]


def _comment_reason(comment: ReviewComment) -> str:
    """What the reviewer wrote: an approval's or a score's comment repeats its step before it."""
    if comment.kind in (CommentKind.APPROVE, CommentKind.SCORE):
        return comment.body.split(": ", 1)[1] if ": " in comment.body else ""
    return comment.body


# One service call writes the report, its assessment and a comment within the same moment.
SAME_EVENT = datetime.timedelta(seconds=2)


def merge_events(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """One entry per event, newest first: the rows one step wrote for the same report and actor
    (a transition, its scores, its comment) become one entry with the comment's name and reason.
    """
    events: list[list[HistoryEntry]] = []
    open_events: dict[tuple[int, object], list[HistoryEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.when):
        if entry.report_id is None:
            events.append([entry])
            continue
        key = (entry.report_id, getattr(entry.who, "pk", None))
        event = open_events.get(key)
        if event is not None and _joins(event, entry):
            event.append(entry)
        else:
            open_events[key] = event = [entry]
            events.append(event)
    merged = [_merged(event) for event in events]
    merged.sort(key=lambda entry: entry.when, reverse=True)
    return merged


def _source(entry: HistoryEntry) -> str:
    return "comment" if entry.is_comment else entry.subject


def _joins(event: list[HistoryEntry], entry: HistoryEntry) -> bool:
    """Part of the same step: moments apart, and no second row of the same kind (two saves in
    a row are two events)."""
    return entry.when - event[-1].when <= SAME_EVENT and _source(entry) not in {
        _source(e) for e in event
    }


def _merged(event: list[HistoryEntry]) -> HistoryEntry:
    if len(event) == 1:
        return event[0]
    comment = next((e for e in event if e.is_comment), None)
    main = comment or next((e for e in event if e.subject == str(_("รายงานผล"))), event[0])
    return HistoryEntry(
        when=event[-1].when,
        who=event[0].who,
        subject=main.subject,
        action=main.action,
        quarter=main.quarter,
        changes=tuple(change for e in event for change in e.changes),
        note=" · ".join(e.note for e in event if e.note),
        report_id=main.report_id,
    )
