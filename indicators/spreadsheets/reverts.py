"""Undoing a committed import, refused while anything was added or changed on its rows since.

A revert deletes the rows the batch created and puts changed rows back, so it may only run
while the batch's rows are as the batch left them: later reports, scores, evidence, review
comments or appeals on them would otherwise be lost (or cascade-deleted) without a word.
"""

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import (
    Appeal,
    Assessment,
    Evidence,
    ImportBatch,
    ImportStatus,
    Indicator,
    QuarterReport,
    ReviewComment,
)

HISTORY_MODELS = (Assessment, QuarterReport, Indicator)
Records = dict[type[models.Model], list]  # each model's history rows written by the batch
BLOCKERS_SHOWN = 10
HISTORY_TYPES = {"+": gettext_lazy("เพิ่ม"), "~": gettext_lazy("แก้ไข"), "-": gettext_lazy("ลบ")}


class ImportRevertError(Exception):
    """The batch cannot be reverted; the message is for the user."""


def batch_rows(model, batch: ImportBatch) -> models.QuerySet:
    """History rows the batch wrote: marked with its reason, alone or followed by a row's own."""
    mark = batch.change_reason
    return model.history.filter(
        models.Q(history_change_reason=mark)
        | models.Q(history_change_reason__startswith=f"{mark}: ")
    )


def _not_batch(queryset: models.QuerySet, batch: ImportBatch) -> models.QuerySet:
    mark = batch.change_reason
    return queryset.exclude(history_change_reason=mark).exclude(
        history_change_reason__startswith=f"{mark}: "
    )


class Scope:
    """The batch's rows: indicators, reports (also those under its indicators), assessments."""

    def __init__(self, records: Records) -> None:
        self.since = min(r.history_date for rows in records.values() for r in rows)
        self.indicator_ids = {r.id for r in records[Indicator]}
        self.report_ids = {r.id for r in records[QuarterReport]} | set(
            QuarterReport.objects.filter(indicator_id__in=self.indicator_ids).values_list(
                "pk", flat=True
            )
        )
        self.report_ids |= {r.report_id for r in records[Assessment]}
        self.assessment_ids = {r.id for r in records[Assessment]}
        self.quarters = {(r.indicator_id, r.quarter) for r in records[QuarterReport]}

    def labels(self) -> dict[int, str]:
        """Reports by id as "5030-2001 ไตรมาส 1", for the messages."""
        reports = QuarterReport.objects.filter(pk__in=self.report_ids).values_list(
            "pk", "indicator__code", "quarter"
        )
        return {pk: _quarter_label(code, q) for pk, code, q in reports}


def _quarter_label(code: str, quarter: int | None) -> str:
    if quarter is None:
        return code
    return _("%(code)s ไตรมาส %(quarter)s") % {"code": code, "quarter": quarter}


def _what(record) -> str:
    who = record.history_user.get_full_name() if record.history_user else ""
    what = record.history_change_reason or str(HISTORY_TYPES.get(record.history_type, ""))
    return f"{what} ({who})" if who else what


def _history_blockers(scope: Scope, batch: ImportBatch, labels: dict[int, str]) -> list[str]:
    later = {"history_date__gt": scope.since}
    found = []
    reports = QuarterReport.history.filter(
        models.Q(id__in=scope.report_ids) | models.Q(indicator_id__in=scope.indicator_ids), **later
    )
    for record in _not_batch(reports, batch).select_related("history_user"):
        label = labels.get(record.id) or _quarter_label(f"#{record.id}", record.quarter)
        found.append(f"{label}: {_('รายงานผล')} {_what(record)}")
    scores = Assessment.history.filter(
        models.Q(id__in=scope.assessment_ids) | models.Q(report_id__in=scope.report_ids), **later
    )
    for record in _not_batch(scores, batch).select_related("history_user"):
        found.append(f"{labels.get(record.report_id, '')}: {_('ผลประเมิน')} {_what(record)}")
    indicators = Indicator.history.filter(id__in=scope.indicator_ids, **later)
    for record in _not_batch(indicators, batch).select_related("history_user"):
        found.append(f"{record.code}: {_('ตัวชี้วัด')} {_what(record)}")
    return found


def _added_blockers(scope: Scope, labels: dict[int, str]) -> list[str]:
    found = []
    evidence = Evidence.objects.filter(report_id__in=scope.report_ids, uploaded_at__gt=scope.since)
    for item in evidence.order_by("uploaded_at"):
        found.append(f"{labels.get(item.report_id, '')}: {_('แนบหลักฐาน')} “{item.original_name}”")
    comments = ReviewComment.objects.filter(
        report_id__in=scope.report_ids, created_at__gt=scope.since
    )
    for comment in comments.order_by("created_at"):
        found.append(
            f"{labels.get(comment.report_id, '')}: {_('ความเห็น')} ({comment.get_kind_display()})"
        )
    indicator_ids = scope.indicator_ids | {i for i, _q in scope.quarters}
    appeals = Appeal.history.filter(indicator_id__in=indicator_ids, history_date__gt=scope.since)
    for record in appeals.select_related("indicator"):
        on_batch = record.indicator_id in scope.indicator_ids or (
            (record.indicator_id, record.quarter) in scope.quarters
        )
        if on_batch:
            label = _quarter_label(record.indicator.code, record.quarter)
            found.append(f"{label}: {_('อุทธรณ์')} {_what(record)}")
    return found


def revert_blockers(batch: ImportBatch, records: Records) -> list[str]:
    """What was added to or changed on the batch's rows after it, one line each."""
    if not any(records.values()):
        return []
    scope = Scope(records)
    labels = scope.labels()
    return list(
        dict.fromkeys(_history_blockers(scope, batch, labels) + _added_blockers(scope, labels))
    )


def _refusal(blockers: list[str]) -> str:
    shown = "; ".join(blockers[:BLOCKERS_SHOWN])
    more = len(blockers) - BLOCKERS_SHOWN
    if more > 0:
        shown += " " + _("และอีก %(count)d รายการ") % {"count": more}
    return _("ย้อนกลับไม่ได้: มีการเพิ่มหรือแก้ไขข้อมูลของการนำเข้านี้ภายหลัง — %(what)s") % {"what": shown}


def _undo(model, records: list, by: User, reason: str) -> int:
    """Changed rows go back to what they were before the batch; created rows go."""
    undone = 0
    for record in records:
        if record.history_type == "~" and record.prev_record is not None:
            restored = record.prev_record.instance
            if hasattr(restored, "version"):
                # An entry form opened on the imported values must not save over the revert.
                restored.version = record.version + 1
            restored._change_reason = reason
            restored._history_user = by
            restored.save()
            undone += 1
    created = [r.id for r in records if r.history_type == "+"]
    return undone + model.objects.filter(pk__in=created).delete()[1].get(model._meta.label, 0)


@transaction.atomic
def import_revert(*, batch: ImportBatch, by: User) -> int:
    """Undo a committed batch through the history; refused, listing why, after later work."""
    current = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if current.status != ImportStatus.COMMITTED:
        raise ImportRevertError(
            _("ย้อนกลับไม่ได้: การนำเข้านี้อยู่ในสถานะ “%(status)s”")
            % {"status": current.get_status_display()}
        )
    records: Records = {model: list(batch_rows(model, current)) for model in HISTORY_MODELS}
    blockers = revert_blockers(current, records)
    if blockers:
        raise ImportRevertError(_refusal(blockers))
    reason = _("ย้อนกลับการนำเข้า %(id)s") % {"id": current.pk}
    undone = sum(_undo(model, records[model], by, reason) for model in HISTORY_MODELS)
    current.status = ImportStatus.REVERTED
    current.reverted_at = timezone.now()
    current.save(update_fields=["status", "reverted_at"])
    batch.status, batch.reverted_at = current.status, current.reverted_at
    return undone
