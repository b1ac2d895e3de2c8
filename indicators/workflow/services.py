"""State changes of quarter reports, assessments and appeals.

Each function runs in one transaction, locks the report row, checks the actor (through
`indicators.access`), the state and the version, and writes history with the acting user. A
refused change raises `TransitionError` or `ConflictError` and leaves nothing half-done.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import access, data_versions, scoring
from indicators.models import (
    Appeal,
    Assessment,
    CommentKind,
    Evidence,
    Indicator,
    Measure,
    QuarterReport,
    ReportStatus,
    ReviewComment,
)
from indicators.standing import keeps_standing
from indicators.workflow import evidence, notifications
from indicators.workflow.forms import EVIDENCE_TYPES


class WorkflowError(Exception):
    """A refused change; `message` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionError(WorkflowError):
    """The actor may not make this change, or not in the report's current state."""


class ConflictError(WorkflowError):
    """Someone else saved the report since this form was opened."""

    def __init__(self, message: str, current: QuarterReport) -> None:
        super().__init__(message)
        self.current = current


def _today() -> datetime.date:
    return timezone.localdate()


def _conflict(current: QuarterReport) -> ConflictError:
    last = current.history.select_related("history_user").first()
    who = last.history_user.get_full_name() if last and last.history_user else _("ผู้อื่น")
    return ConflictError(
        _(
            "รายงานนี้ถูกแก้ไขโดย %(who)s ระหว่างที่ท่านเปิดแบบฟอร์มอยู่ "
            "ข้อความของท่านยังอยู่บนหน้าจอ โปรดเทียบกับค่าปัจจุบันแล้วบันทึกอีกครั้ง"
        )
        % {"who": who},
        current,
    )


def _locked(report: QuarterReport, version: int) -> QuarterReport:
    """The report re-read under a row lock; refused when its version moved on.

    A report not saved yet (an empty quarter's first save) is taken as it is; `_write`
    inserts it, and a parallel first save makes that insert a conflict.
    """
    if report.pk is None:
        return report
    current = (
        QuarterReport.objects.select_for_update()
        .select_related("indicator__agency", "indicator__fiscal_year")
        .get(pk=report.pk)
    )
    if current.version != version:
        raise _conflict(current)
    return current


def _write(report: QuarterReport, by: User, reason: str) -> None:
    """Save with a new version and a history row that names the actor and the step."""
    report.version += 1
    report._history_user = by
    report._change_reason = reason
    if report.pk is not None:
        report.save()
        return
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        # Someone else's first save of the same empty quarter committed first.
        report.version -= 1
        current = QuarterReport.objects.get(
            indicator_id=report.indicator_id, quarter=report.quarter
        )
        raise _conflict(current) from None


def _keep_private(current: QuarterReport, before: str | None) -> None:
    """An edit of a draft that stays one is seen only by its agency and the administrator:
    it leaves every other reader's cached pages alone (data_versions.private_write)."""
    if access.edit_stays_private(before, current.status):
        data_versions.private_write(current.pk)


def _comment(report: QuarterReport, by: User, kind: str, body: str) -> ReviewComment:
    return ReviewComment.objects.create(report=report, author=by, kind=kind, body=body)


def _refuse_edit(report: QuarterReport, by: User, today: datetime.date) -> None:
    reason = access.edit_block_reason(by, report, today)
    if reason:
        raise TransitionError(reason)


def _attach(report: QuarterReport, by: User, files: Iterable[UploadedFile]) -> None:
    uploads = list(files)
    try:
        evidence.check_quota(report, uploads)  # again under the row lock: two tabs, one quota
    except ValidationError as error:
        raise TransitionError(error.messages[0]) from None
    evidence.evidence_attach(report=report, by=by, files=uploads, content_type_of=_content_type)


def _content_type(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EVIDENCE_TYPES.get(suffix, "application/octet-stream")


@keeps_standing
def report_save(
    *,
    report: QuarterReport,
    by: User,
    value: Decimal | None,
    narrative: str,
    version: int,
    files: Iterable[UploadedFile] = (),
    today: datetime.date | None = None,
) -> QuarterReport:
    """Save a draft; a returned report becomes a draft again."""
    current = _locked(report, version)
    _refuse_edit(current, by, today or _today())
    before = None if current.pk is None else current.status
    current.value = value
    current.narrative = narrative
    step = _("บันทึกร่าง")
    if current.status == ReportStatus.RETURNED:
        current.status = ReportStatus.DRAFT
        step = _("ส่งกลับแก้ไข → ร่าง")
    _keep_private(current, before)
    _write(current, by, step)
    _attach(current, by, files)
    return current


@keeps_standing
def report_submit(
    *,
    report: QuarterReport,
    by: User,
    value: Decimal | None,
    narrative: str,
    version: int,
    files: Iterable[UploadedFile] = (),
    today: datetime.date | None = None,
) -> QuarterReport:
    """Save and send for review: draft or returned → submitted."""
    current = _locked(report, version)
    _refuse_edit(current, by, today or _today())
    if value is None or not narrative.strip():
        raise TransitionError(_("ต้องมีผลการดำเนินงานและรายงานผลก่อนส่ง"))
    previous = current.get_status_display()
    current.value = value
    current.narrative = narrative
    current.status = ReportStatus.SUBMITTED
    current.submitted_by = by
    current.submitted_at = timezone.now()
    _write(current, by, f"{previous} → {current.get_status_display()}")
    _attach(current, by, files)
    return current


@keeps_standing
def evidence_remove(
    *, evidence: Evidence, by: User, version: int, today: datetime.date | None = None
) -> QuarterReport:
    """Remove a file attached by mistake while the report is still the agency's to edit.

    The report's history keeps the removal with the file's name; the stored file goes once the
    removal has committed, so a refused or rolled-back removal loses nothing.
    """
    current = _locked(evidence.report, version)
    _refuse_edit(current, by, today or _today())
    name, storage, stored = evidence.original_name, evidence.file.storage, evidence.file.name
    _keep_private(current, current.status)
    evidence.delete()
    _write(current, by, _("ลบหลักฐาน: %(name)s") % {"name": name})
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    return current


def _refuse_review(report: QuarterReport, by: User, action: str) -> None:
    reason = access.review_block_reason(by, report, action)
    if reason:
        raise TransitionError(reason)


@keeps_standing
def report_return(*, report: QuarterReport, by: User, reason: str, version: int) -> QuarterReport:
    """Send a submitted report back for revision, with a required reason."""
    current = _locked(report, version)
    _refuse_review(current, by, "return")
    if not reason.strip():
        raise TransitionError(_("กรุณาระบุเหตุผลที่ส่งกลับให้แก้ไข"))
    current.status = ReportStatus.RETURNED
    # After the lock date a returned report must still be fixable by its agency.
    if not current.indicator.fiscal_year.window(current.quarter).is_open_on(_today()):
        current.is_unlocked = True
    _write(current, by, _("ส่งแล้ว → ส่งกลับแก้ไข: %(reason)s") % {"reason": reason})
    _comment(current, by, CommentKind.RETURN, reason)
    notifications.on_commit_report(current, "return", reason)
    return current


@keeps_standing
def report_approve(
    *,
    report: QuarterReport,
    by: User,
    version: int,
    reason: str = "",
    score: Decimal | None = None,
    score_2_1: Decimal | None = None,
    score_2_2: Decimal | None = None,
) -> QuarterReport:
    """Approve a submitted report and record its scores in one step; approval locks it.

    Scores left out are the suggested score, as the review form prefills them, so an approval
    never leaves the quarter without its official result.
    """
    current = _locked(report, version)
    _refuse_review(current, by, "approve")
    suggested = suggested_score_of(current)
    score = suggested if score is None else score
    if score is not None:
        _score(
            current,
            by,
            score=score,
            score_2_1=suggested if score_2_1 is None else score_2_1,
            score_2_2=suggested if score_2_2 is None else score_2_2,
            reason=reason,
            step=_("อนุมัติ"),
        )
    current.status = ReportStatus.APPROVED
    current.is_unlocked = False
    step = _("ส่งแล้ว → อนุมัติแล้ว")
    if score is not None:
        step += " · " + _("ผลประเมิน %(score)s") % {"score": score}
    _write(current, by, step)
    _comment(current, by, CommentKind.APPROVE, f"{step}: {reason}" if reason else step)
    notifications.on_commit_report(current, "approve", reason)
    return current


def suggested_score_of(report: QuarterReport) -> Decimal | None:
    """What the scoring rules suggest for this quarter, against Indicator.target_for()."""
    return report.indicator.suggested_score(report.quarter, report.value)


def suggestion_working(report: QuarterReport) -> str:
    """How the suggested score was worked out, in one line the auditor can check."""
    indicator = report.indicator
    target = indicator.target_for(report.quarter)
    if indicator.measure == Measure.LEVEL:
        rule = _("ตามเกณฑ์ 5 ระดับ: ระดับ 5 = 100 คะแนน ลดลงระดับละ 20 (เชิงเส้นระหว่างระดับ)")
    else:
        rule = _("คะแนน = ร้อยละความสำเร็จ สูงสุด 100")
    reached = scoring.achievement(
        report.value, target, indicator.direction, baseline=indicator.baseline
    )
    return _(
        "ค่าเป้าหมายไตรมาส %(target)s · ผลงาน %(value)s · ร้อยละความสำเร็จ %(reached)s · %(rule)s"
    ) % {
        "target": target,
        "value": report.value if report.value is not None else "–",
        "reached": reached if reached is not None else "–",
        "rule": rule,
    }


def _score(
    report: QuarterReport,
    by: User,
    *,
    score: Decimal | None,
    score_2_1: Decimal | None,
    score_2_2: Decimal | None,
    reason: str,
    step: str,
) -> Assessment:
    """Check and save the scores of a report already locked; the caller writes the report."""
    scores = [s for s in (score, score_2_1, score_2_2) if s is not None]
    if score is None or any(not 0 <= s <= 100 for s in scores):
        raise TransitionError(_("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"))
    suggested = suggested_score_of(report)
    if scoring.differs_from_suggestion(suggested, scores) and not reason.strip():
        raise TransitionError(
            _("คะแนนที่บันทึกต่างจากคะแนนที่ระบบเสนอ (%(suggested)s) กรุณาระบุเหตุผล")
            % {"suggested": suggested}
        )
    assessment = Assessment.objects.filter(report=report).first() or Assessment.of(report)
    assessment.score, assessment.score_2_1, assessment.score_2_2 = score, score_2_1, score_2_2
    assessment.suggested_score = suggested
    assessment.reason = reason
    assessment.assessed_by = by
    assessment.assessed_at = timezone.now()
    assessment._history_user = by
    assessment._change_reason = f"{step}: {reason}" if reason else step
    assessment.save()
    return assessment


@keeps_standing
def assessment_record(
    *,
    report: QuarterReport,
    by: User,
    score: Decimal | None,
    score_2_1: Decimal | None,
    score_2_2: Decimal | None,
    reason: str,
    version: int,
    appeal: Appeal | None = None,
) -> Assessment:
    """Record (or re-record) the auditor's scores of a submitted or approved report."""
    current = _locked(report, version)
    _refuse_review(current, by, "score")
    step = _("บันทึกผลประเมิน %(score)s") % {"score": score}
    if appeal is not None:
        step += " " + _("(ตามอุทธรณ์ #%(id)s)") % {"id": appeal.pk}
    assessment = _score(
        current,
        by,
        score=score,
        score_2_1=score_2_1,
        score_2_2=score_2_2,
        reason=reason,
        step=step,
    )
    _write(current, by, step)
    body = f"{step}: {reason}" if reason else step
    _comment(current, by, CommentKind.SCORE, body)
    notifications.on_commit_report(current, "score", body)
    return assessment


@keeps_standing
def report_unlock(*, report: QuarterReport, by: User, reason: str, version: int) -> QuarterReport:
    """Reopen one indicator-quarter for its agency, after the lock date or after approval."""
    current = _locked(report, version)
    _refuse_review(current, by, "unlock")
    if not reason.strip():
        raise TransitionError(_("กรุณาระบุเหตุผลที่เปิดให้แก้ไข"))
    previous = current.get_status_display()
    current.is_unlocked = True
    if current.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        current.status = ReportStatus.DRAFT
    _write(
        current,
        by,
        f"{previous} → {current.get_status_display()} ({_('เปิดให้แก้ไข')}): {reason}",
    )
    _comment(current, by, CommentKind.UNLOCK, reason)
    return current


@keeps_standing
def indicator_set_audit_quarter(*, indicator: Indicator, by: User, quarter: int | None) -> None:
    """Set which quarter the auditors officially assess (สยป. ตรวจประเมิน : ไตรมาสที่ N)."""
    if not access.is_auditor(by):
        raise TransitionError(_("เฉพาะผู้ตรวจประเมินเท่านั้นที่ดำเนินการนี้ได้"))
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    previous = current.audit_quarter
    current.audit_quarter = quarter
    current._history_user = by
    current._change_reason = _("ไตรมาสที่ตรวจประเมิน %(old)s → %(new)s") % {
        "old": previous or "—",
        "new": quarter or "—",
    }
    current.save()
