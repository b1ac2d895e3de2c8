"""What happened to each generated quarter report, as the workflow services would have recorded it.

A closed quarter was opened as an empty draft, submitted by the agency's reporter (some late,
after the window's due date), sometimes returned with a reason and sent again, then approved
with its score by an auditor. The current quarter is work in progress: empty and filled drafts,
reports awaiting review, returned ones and a few approved already. Each step leaves the history
row and review comment `workflow.services` writes (same texts), in bulk.
"""

import datetime
import functools
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from indicators.bulk_rows import insert_rows
from indicators.city_data import CityStaff
from indicators.models import (
    Assessment,
    CommentKind,
    Indicator,
    QuarterReport,
    ReportStatus,
    ReviewComment,
)

LATE_SHARE = 0.12  # closed quarters sent after the due date
RETURN_SHARE = 0.1  # closed quarters returned once before approval
COMMENT_SHARE = 0.15  # an auditor's remark beside the decision
# The current quarter on the day of generation: (status, filled in) and their shares.
CURRENT_MIX: tuple[tuple[tuple[str, bool], float], ...] = (
    ((ReportStatus.DRAFT, False), 0.25),
    ((ReportStatus.DRAFT, True), 0.15),
    ((ReportStatus.SUBMITTED, True), 0.35),
    ((ReportStatus.RETURNED, True), 0.10),
    ((ReportStatus.APPROVED, True), 0.15),
)
RETURN_REASONS = [
    "ผลงานไม่สอดคล้องกับรายงานผลการดำเนินงาน กรุณาตรวจสอบตัวเลขอีกครั้ง",
    "กรุณาแนบหลักฐานการดำเนินงานเพิ่มเติม",
    "รายงานผลยังไม่ระบุปัญหาอุปสรรคและแนวทางแก้ไข",
]
REMARKS = [
    "ตรวจสอบหลักฐานแล้ว ครบถ้วน",
    "ขอให้รายงานความก้าวหน้าของโครงการในไตรมาสถัดไปด้วย",
    "ผลงานต่ำกว่าแผน ขอให้เร่งรัดการดำเนินงาน",
]
SAVE, SUBMIT, RETURN, APPROVE = "บันทึกร่าง", "ส่งแล้ว รอตรวจ", "ส่งกลับแก้ไข", "อนุมัติแล้ว"
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@functools.cache
def tracked(model: Any) -> list[str]:
    """The columns a model's history rows copy from the model (attribute names)."""
    fields = model.history.model._meta.concrete_fields
    return [f.attname for f in fields if not f.attname.startswith("history_")]


HISTORY = ["history_date", "history_type", "history_user_id", "history_change_reason"]


@dataclass
class Step:
    when: datetime.datetime
    kind: str  # "+" created, "~" changed
    user: int | None
    reason: str
    changes: Mapping[str, object]


@dataclass
class Story:
    """One report's steps, in order, and what they leave besides the report."""

    steps: list[Step] = field(default_factory=list)
    comments: list[tuple[int, str, str, datetime.datetime]] = field(default_factory=list)
    assessment: Assessment | None = None


@dataclass
class Teller:
    """Tells the stories of one batch; `now` bounds every step."""

    staff: CityStaff
    rng: random.Random
    now: datetime.datetime

    def opened(self, report: QuarterReport) -> Step:
        start = report.indicator.fiscal_year.quarter_start(report.quarter)
        moment = datetime.datetime.combine(start, datetime.time(8), tzinfo=self.now.tzinfo)
        empty = {"value": None, "narrative": "", "status": ReportStatus.DRAFT}
        return Step(min(moment, self.now - DAY), "+", None, "", empty | {"submitted_at": None})

    def submit(self, report: QuarterReport, when: datetime.datetime, before: str) -> Step:
        reporter = self.staff.reporters[report.indicator.agency_id]
        return Step(
            when,
            "~",
            reporter,
            f"{before} → {SUBMIT}",
            {
                "value": report.value,
                "narrative": report.narrative,
                "status": ReportStatus.SUBMITTED,
                "submitted_at": when,
                "submitted_by_id": reporter,
            },
        )

    def give_back(self, story: Story, when: datetime.datetime) -> None:
        auditor = self.rng.choice(self.staff.auditors)
        reason = self.rng.choice(RETURN_REASONS)
        changes = {"status": ReportStatus.RETURNED}
        story.steps.append(Step(when, "~", auditor, f"{SUBMIT} → {RETURN}: {reason}", changes))
        story.comments.append((auditor, CommentKind.RETURN, reason, when))

    def approve(self, story: Story, assessment: Assessment, when: datetime.datetime) -> None:
        auditor = self.rng.choice(self.staff.auditors)
        step = f"{SUBMIT} → {APPROVE}"
        if assessment.score is not None:
            step += f" · ผลประเมิน {assessment.score}"
        assessment.assessed_by_id, assessment.assessed_at = auditor, when
        story.assessment = assessment
        if self.rng.random() < COMMENT_SHARE:
            story.comments.append((auditor, CommentKind.COMMENT, self.rng.choice(REMARKS), when))
        story.steps.append(Step(when, "~", auditor, step, {"status": ReportStatus.APPROVED}))
        story.comments.append((auditor, CommentKind.APPROVE, step, when + HOUR))

    def closed(self, report: QuarterReport, assessment: Assessment) -> Story:
        """A closed quarter: sent (on time or late), maybe returned once, approved."""
        story = Story([self.opened(report)])
        sent = report.submitted_at or self.now - 2 * DAY
        if self.rng.random() < LATE_SHARE:
            due = report.indicator.fiscal_year.window(report.quarter).due_on
            late = datetime.datetime.combine(due, datetime.time(10), tzinfo=self.now.tzinfo)
            sent = min(late + self.rng.randint(1, 25) * DAY, self.now - 2 * DAY)
        if self.rng.random() < RETURN_SHARE:
            story.steps.append(self.submit(report, sent - 9 * DAY, SAVE))
            self.give_back(story, sent - 6 * DAY)
            story.steps.append(self.submit(report, sent, RETURN))
        else:
            story.steps.append(self.submit(report, sent, SAVE))
        decided = min(sent + self.rng.randint(2, 20) * DAY, self.now - HOUR)
        self.approve(story, assessment, decided)
        return story

    def current(self, report: QuarterReport, assessment: Assessment) -> Story:
        """The quarter open on the day: drafts, sent, returned and approved reports."""
        story = Story([self.opened(report)])
        states = [state for state, _ in CURRENT_MIX]
        status, filled = self.rng.choices(states, [share for _, share in CURRENT_MIX])[0]
        start = story.steps[0].when
        moment = start + (self.now - start) * self.rng.uniform(0.3, 0.9)
        if status == ReportStatus.DRAFT:
            if filled:
                changes = {"value": report.value, "narrative": report.narrative}
                reporter = self.staff.reporters[report.indicator.agency_id]
                story.steps.append(Step(moment, "~", reporter, SAVE, changes))
            return story
        story.steps.append(self.submit(report, moment, SAVE))
        later = moment + (self.now - moment) / 2
        if status == ReportStatus.RETURNED:
            self.give_back(story, later)
        elif status == ReportStatus.APPROVED:
            self.approve(story, assessment, later)
        return story


def settle(report: QuarterReport, story: Story) -> None:
    """The report's final state: every step's changes applied, one version per change."""
    for step in story.steps:
        for name, value in step.changes.items():
            setattr(report, name, value)
    report.version = len(story.steps)


def write_stories(reports: list[QuarterReport], stories: list[Story]) -> None:
    """History rows, assessments (and theirs) and comments of saved reports."""
    columns = tracked(QuarterReport)
    rows = []
    for report, story in zip(reports, stories, strict=True):
        state = {name: getattr(report, name) for name in columns}
        state |= {"value": None, "narrative": "", "status": ReportStatus.DRAFT, "version": 0}
        state |= {"submitted_at": None, "submitted_by_id": None}
        for step in story.steps:
            state |= {**step.changes, "version": state["version"] + 1}
            rows.append(
                [state[n] for n in columns] + [step.when, step.kind, step.user, step.reason]
            )
    insert_rows(QuarterReport.history.model, columns + HISTORY, rows)
    assessments = [story.assessment for story in stories if story.assessment is not None]
    for assessment in assessments:
        assessment.report_id = assessment.report.pk
    Assessment.objects.bulk_create(assessments)
    insert_rows(
        Assessment.history.model,
        tracked(Assessment) + HISTORY,
        [
            [getattr(a, n) for n in tracked(Assessment)]
            + [a.assessed_at, "+", a.assessed_by_id, "อนุมัติ"]
            for a in assessments
        ],
    )
    insert_rows(
        ReviewComment,
        ["report_id", "author_id", "kind", "body", "created_at"],
        [(r.pk, *comment) for r, s in zip(reports, stories, strict=True) for comment in s.comments],
    )


def write_indicator_history(indicators: list[Indicator], when: datetime.datetime) -> None:
    """Each indicator's first history row: entered before its year began."""
    columns = tracked(Indicator)
    insert_rows(
        Indicator.history.model,
        columns + HISTORY,
        [[getattr(i, n) for n in columns] + [when, "+", None, "นำเข้าตัวชี้วัด"] for i in indicators],
    )
