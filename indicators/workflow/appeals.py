"""Appeals of a recorded score or of the year's target: filed in a round, decided by an auditor."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access
from indicators.models import (
    Appeal,
    AppealKind,
    AppealRound,
    AppealStatus,
    Assessment,
    Indicator,
    QuarterReport,
)
from indicators.standing import keeps_standing
from indicators.workflow import notifications
from indicators.workflow.services import TransitionError, _today, assessment_record

APPEAL_ROUND_DAYS = 30
PENDING_ALREADY = gettext_lazy("มีอุทธรณ์เรื่องนี้รอพิจารณาอยู่แล้ว")


def open_appeal_round(indicator: Indicator, today: datetime.date) -> str | None:
    """The appeal round open today: mid-year after Q2 locks, year-end after Q4 locks, 30 days each."""
    for quarter, round_ in ((2, AppealRound.MID_YEAR), (4, AppealRound.YEAR_END)):
        opens = indicator.fiscal_year.window(quarter).locks_on
        if opens <= today < opens + datetime.timedelta(days=APPEAL_ROUND_DAYS):
            return round_
    return None


def pending_exists(indicator: Indicator, kind: str, quarter: int | None) -> bool:
    """The friendly early check; the database's constraint decides a race."""
    return Appeal.objects.filter(
        indicator=indicator, kind=kind, quarter=quarter, status=AppealStatus.PENDING
    ).exists()


@keeps_standing
def appeal_create(
    *,
    indicator: Indicator,
    by: User,
    kind: str,
    quarter: int | None,
    requested_value: Decimal,
    reason: str,
    evidence: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> Appeal:
    """An agency's appeal of a recorded quarter score or of the year's target."""
    quarter = quarter if kind == AppealKind.SCORE else None  # a target is the whole year's
    if not access.is_member(by, indicator.agency_id):
        raise TransitionError(_("เฉพาะเจ้าหน้าที่ของหน่วยงานนี้เท่านั้นที่ยื่นอุทธรณ์ได้"))
    round_ = open_appeal_round(indicator, today or _today())
    if round_ is None:
        raise TransitionError(_("ขณะนี้ไม่อยู่ในช่วงเวลายื่นอุทธรณ์"))
    if not reason.strip():
        raise TransitionError(_("กรุณาระบุเหตุผลของการอุทธรณ์"))
    if kind == AppealKind.SCORE and (
        quarter is None
        or not Assessment.objects.filter(
            report__indicator=indicator, report__quarter=quarter, score__isnull=False
        ).exists()
    ):
        raise TransitionError(_("ไตรมาสนี้ยังไม่มีผลคะแนนให้อุทธรณ์"))
    if pending_exists(indicator, kind, quarter):
        raise TransitionError(str(PENDING_ALREADY))
    appeal = Appeal(
        indicator=indicator,
        quarter=quarter,
        kind=kind,
        round=round_,
        requested_value=requested_value,
        reason=reason,
        created_by=by,
    )
    if evidence is not None:
        appeal.evidence = evidence
    appeal._history_user = by
    appeal._change_reason = _("ยื่นอุทธรณ์")
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError:
        # A parallel appeal of the same thing committed between the check above and this save.
        raise TransitionError(str(PENDING_ALREADY)) from None
    return appeal


@keeps_standing
def appeal_decide(*, appeal: Appeal, by: User, accept: bool, note: str) -> Appeal:
    """Accept or reject a pending appeal; an accepted one changes the score or the target."""
    if not access.can_decide_appeal(by):
        raise TransitionError(_("เฉพาะผู้ตรวจประเมินเท่านั้นที่พิจารณาอุทธรณ์ได้"))
    current = Appeal.objects.select_for_update().select_related("indicator").get(pk=appeal.pk)
    if current.status != AppealStatus.PENDING:
        raise TransitionError(_("อุทธรณ์นี้พิจารณาไปแล้ว"))
    if not note.strip():
        raise TransitionError(_("กรุณาระบุผลการพิจารณา"))
    current.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
    current.decided_by = by
    current.decided_at = timezone.now()
    current.decision_note = note
    current._history_user = by
    current._change_reason = f"{_('รอพิจารณา')} → {current.get_status_display()}: {note}"
    current.save()
    if accept:
        _apply_appeal(current, by, note)
    notifications.on_commit_appeal(current)
    return current


def _apply_appeal(appeal: Appeal, by: User, note: str) -> None:
    reason = _("อุทธรณ์ #%(id)s: %(note)s") % {"id": appeal.pk, "note": note}
    if appeal.kind == AppealKind.TARGET:
        indicator = Indicator.objects.select_for_update().get(pk=appeal.indicator_id)
        old = indicator.target
        indicator.target = appeal.requested_value
        indicator._history_user = by
        indicator._change_reason = f"{_('ค่าเป้าหมาย')} {old} → {indicator.target} ({reason})"
        indicator.save()
        return
    if appeal.quarter is None:  # appeal_create refuses a score appeal without its quarter
        raise TransitionError(_("ไตรมาสนี้ยังไม่มีผลคะแนนให้อุทธรณ์"))
    report = QuarterReport.objects.get(indicator_id=appeal.indicator_id, quarter=appeal.quarter)
    assessment = report.assessment
    assessment_record(
        report=report,
        by=by,
        score=appeal.requested_value,
        score_2_1=assessment.score_2_1,
        score_2_2=assessment.score_2_2,
        reason=reason,
        version=report.version,
        appeal=appeal,
    )


def pending_appeals() -> models.QuerySet[Appeal]:
    return Appeal.objects.filter(status=AppealStatus.PENDING).select_related(
        "indicator__agency", "created_by"
    )
