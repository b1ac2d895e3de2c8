"""An indicator's timeline: changes to it, its quarter reports and scores, and the review thread."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Field, Model
from django.utils.translation import gettext_lazy as _

from indicators.access import ReportScope
from indicators.models import Assessment, Indicator, QuarterReport, ReviewComment


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
    model: type, records: list, subject: str, quarter_of, fields: tuple[str, ...]
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
        changes = () if record.history_type == "+" else _changes(model, record, previous, fields)
        if record.history_type == "~" and not changes:
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
            )
        )
    return entries


def _fields(model: type[Model], with_review_notes: bool) -> tuple[str, ...]:
    fields = TRACKED_FIELDS[model]
    return fields if with_review_notes else tuple(f for f in fields if f not in REVIEW_NOTE_FIELDS)


def _record_entries(
    indicator: Indicator, scope: ReportScope, with_review_notes: bool
) -> list[HistoryEntry]:
    """Entries from the history tables of the indicator, its reports and their scores."""
    quarter_by_report = {report.pk: report.quarter for report in indicator.reports.all()}
    ordering = ("id", "history_date")
    indicator_records = list(
        Indicator.history.filter(id=indicator.pk).select_related("history_user").order_by(*ordering)
    )
    report_history = QuarterReport.history.filter(indicator_id=indicator.pk)
    if scope.statuses is not None and indicator.agency_id not in scope.agency_ids:
        report_history = report_history.filter(status__in=sorted(scope.statuses))
    report_records = list(report_history.select_related("history_user").order_by(*ordering))
    assessment_records = list(
        Assessment.history.filter(report_id__in=list(quarter_by_report))
        .select_related("history_user")
        .order_by(*ordering)
    )
    return [
        *_entries(
            Indicator,
            indicator_records,
            str(_("ข้อมูลตัวชี้วัด")),
            lambda r: None,
            TRACKED_FIELDS[Indicator],
        ),
        *_entries(
            QuarterReport,
            report_records,
            str(_("รายงานผล")),
            lambda r: r.quarter,
            _fields(QuarterReport, with_review_notes),
        ),
        *_entries(
            Assessment,
            assessment_records,
            str(_("ผลประเมิน")),
            lambda r: quarter_by_report.get(r.report_id),
            _fields(Assessment, with_review_notes),
        ),
    ]


def _comment_entries(indicator: Indicator) -> list[HistoryEntry]:
    """The review thread (returns, approvals, unlocks) as history entries."""
    comments = ReviewComment.objects.filter(report__indicator=indicator).select_related(
        "author", "report"
    )
    return [
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


def indicator_history(
    indicator: Indicator, *, scope: ReportScope, with_review_notes: bool, limit: int = 100
) -> list[HistoryEntry]:
    """Changes to the indicator, its quarter reports and scores, and the review thread, newest
    first, as a reader of `scope` may see them: report states they may not see (a draft's value,
    a submission awaiting review) are left out, and review notes unless `with_review_notes`.

    `indicator` comes with its reports as `scope` shows them (`detail_queryset(scope)`).
    Four queries whatever the length of the history.
    """
    entries = _record_entries(indicator, scope, with_review_notes)
    if with_review_notes:
        entries += _comment_entries(indicator)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
