"""The rules of one results row: what the entry form and the review page would refuse.

Values go through the shared value checks (`indicators.values`), scores through the rules of
`workflow.services.assessment_record` (access.review_block_reason, the suggested score); an
approved report changes only with an auditor's or administrator's reason. No queries: the
resource loads everything a row needs before the first row.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators import access, scoring
from indicators.models import QuarterReport, ReportStatus
from indicators.values import too_many_places, value_problems_for
from indicators.workflow.forms import UNUSUAL_EXPLANATION_MIN
from indicators.workflow.services import suggested_score_of

VALUE_COLUMN = "ผลงาน"
NARRATIVE_COLUMN = "รายงานผลการดำเนินงาน"
REASON_COLUMN = "เหตุผลการแก้ไข"


@dataclass
class RowChange:
    """What a row does to one report: the stored facts before it and the incoming ones."""

    report: QuarterReport
    stored_value: Decimal | None
    stored_narrative: str
    stored_scores: dict[str, Decimal | None]
    scores: dict[str, Decimal | None]
    reason: str

    @property
    def value_changed(self) -> bool:
        return self.report.pk is None or self.report.value != self.stored_value

    @property
    def report_changed(self) -> bool:
        return self.value_changed or self.report.narrative != self.stored_narrative

    @property
    def scores_changed(self) -> bool:
        return any(self.stored_scores.get(n) != v for n, v in self.scores.items())


def suggested_of(report: QuarterReport) -> Decimal | None:
    """The suggested score of the row's value, worked out once for the check and the write."""
    if not hasattr(report, "_import_suggested"):
        report._import_suggested = suggested_score_of(report)
    return report._import_suggested


def value_errors(change: RowChange, previous: Decimal | None) -> dict[str, str]:
    """The entry form's value rules, applied to a value the row changes."""
    report = change.report
    if not change.value_changed or report.value is None:
        return {}
    problems = value_problems_for(report.indicator, report.value, previous)
    refused = [p.message for p in problems if p.refuses]
    if refused:
        return {VALUE_COLUMN: "; ".join(refused)}
    unusual = [p.message for p in problems if not p.refuses]
    if unusual and len(report.narrative.strip()) < UNUSUAL_EXPLANATION_MIN:
        return {
            NARRATIVE_COLUMN: _("%(problem)s กรุณาอธิบายเหตุผลในรายงานผลการดำเนินงาน")
            % {"problem": unusual[0]}
        }
    return {}


def _places_errors(scores: dict, headers: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, value in scores.items():
        problem = too_many_places(value) if value is not None else None
        if problem:
            found[headers[name]] = problem.message
    return found


def score_errors(change: RowChange, by, headers: dict[str, str]) -> dict[str, str]:
    """The review page's score rules: an auditor, a submitted or approved report, a reason."""
    if not change.scores_changed:
        return {}
    column = headers[next(iter(change.scores))]
    places = _places_errors(change.scores, headers)
    if places:
        return places
    if by is None:
        return {column: _("การนำเข้าคะแนนต้องระบุผู้นำเข้าที่เป็นผู้ตรวจประเมินหรือผู้ดูแลระบบ")}
    blocked = access.review_block_reason(by, change.report, "score")
    if blocked:
        return {column: blocked}
    score = change.scores.get("score", change.stored_scores.get("score"))
    if score is None:
        return {headers.get("score", column): _("กรุณากรอกผลประเมิน")}
    suggested = suggested_of(change.report)
    if scoring.differs_from_suggestion(suggested, change.scores.values()) and not change.reason:
        return {
            REASON_COLUMN: _("คะแนนที่บันทึกต่างจากคะแนนที่ระบบเสนอ (%(suggested)s) กรุณาระบุเหตุผล")
            % {"suggested": suggested}
        }
    return {}


def approved_errors(change: RowChange, by) -> dict[str, str]:
    """An approved report is the official record: only an auditor or administrator, with a reason."""
    report = change.report
    if report.status != ReportStatus.APPROVED:
        return {}
    if not (change.report_changed or change.scores_changed):
        return {}
    if by is None or not access.is_auditor(by):
        return {
            VALUE_COLUMN: _(
                "รายงานนี้อนุมัติแล้ว แก้ไขได้เฉพาะผู้ตรวจประเมินหรือผู้ดูแลระบบ พร้อมเหตุผลในคอลัมน์ “%(column)s”"
            )
            % {"column": REASON_COLUMN}
        }
    if not change.reason:
        return {REASON_COLUMN: _("รายงานนี้อนุมัติแล้ว กรุณาระบุเหตุผลการแก้ไขในคอลัมน์นี้")}
    return {}


def draft_score_errors(change: RowChange, headers: dict[str, str]) -> dict[str, str]:
    """A draft or returned report is never scored (nor is a report the file creates)."""
    if not change.scores_changed or change.report.status in (
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
    ):
        return {}
    column = headers[next(iter(change.scores))]
    return {
        column: _("ให้คะแนนได้เฉพาะรายงานที่ส่งแล้วหรืออนุมัติแล้ว (สถานะตอนนี้: “%(status)s”)")
        % {"status": change.report.get_status_display()}
    }


def row_errors(change: RowChange, by, previous: Decimal | None, headers) -> dict[str, str]:
    """Every refusal of one row, keyed by column, the first rule that fails for each column."""
    errors: dict[str, str] = {}
    for found in (
        value_errors(change, previous),
        approved_errors(change, by),
        draft_score_errors(change, headers),
    ):
        for column, message in found.items():
            errors.setdefault(column, message)
    if not errors:
        errors.update(score_errors(change, by, headers))
    return errors
