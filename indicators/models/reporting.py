"""Quarter reports, their evidence, assessments, review threads and appeals."""

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .indicators import Indicator
from .reference import FiscalYear

if TYPE_CHECKING:
    from decimal import Decimal

    from django.contrib.auth.models import User


def score_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": 0, f"{field}__lte": 100}) | models.Q(
        **{f"{field}__isnull": True}
    )


def copied_year() -> models.ForeignKey:
    """The fiscal year of the row a report or assessment belongs to, copied so that one year's
    rows are read through an index. The database checks the copy with a foreign key on both
    columns (the row's parent and year, migration 0015), not this one-column key."""
    return models.ForeignKey(
        FiscalYear,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # indexed with the quarter (reports) or alone (assessments): Meta.indexes
        related_name="+",
        editable=False,
    )


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    SUBMITTED = "submitted", _("ส่งแล้ว รอตรวจ")
    RETURNED = "returned", _("ส่งกลับแก้ไข")
    APPROVED = "approved", _("อนุมัติแล้ว")


# Sent to the auditors and not yet approved: "awaiting review" where the reader may not see it.
IN_REVIEW = frozenset({ReportStatus.SUBMITTED, ReportStatus.RETURNED})


class QuarterReportQuerySet(models.QuerySet):
    def awaiting_review(self) -> "QuarterReportQuerySet":
        return self.filter(status=ReportStatus.SUBMITTED)

    def reported(self) -> "QuarterReportQuerySet":
        return self.filter(value__isnull=False)


class QuarterReport(models.Model):
    """รายงานผลฯ ไตรมาสที่ N: one indicator's result for one quarter."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    # The indicator's year, so the dashboard reads one year's reports; `of()` sets it.
    fiscal_year = copied_year()
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"))
    # Null means "not reported", which is not the same as a reported 0.
    value = models.DecimalField(_("ผลงาน"), max_digits=15, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("รายงานผลการดำเนินงาน"), blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้ส่ง"),
    )
    submitted_at = models.DateTimeField(_("วันที่ส่ง"), null=True, blank=True)
    # An auditor's unlock reopens this indicator-quarter after the window has locked.
    is_unlocked = models.BooleanField(_("เปิดให้แก้ไขหลังปิดรับ"), default=False)
    version = models.PositiveIntegerField(_("รุ่น"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "fiscal_year"])
    # Set before save(): simple_history writes them into the history row (who, and why).
    _history_user: "User"
    _change_reason: str
    # A spreadsheet import's scores of the row, before they are written (result_resource.py),
    # the row's reason for the change, and the suggested score its checks worked out.
    _import_scores: "dict[str, Decimal | None] | None"
    _import_reason: str
    _import_suggested: "Decimal | None"
    # The target the quarter is measured against, set on the rows the entry page lists.
    target: "Decimal"
    objects = QuarterReportQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "quarter"]
        verbose_name = _("รายงานผลรายไตรมาส")
        verbose_name_plural = _("รายงานผลรายไตรมาส")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="unique_report_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_4"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            # What an assessment's year refers to (Assessment.fiscal_year).
            models.UniqueConstraint(fields=["id", "fiscal_year"], name="unique_report_year"),
        ]
        indexes = [
            models.Index(fields=["status", "quarter"]),
            models.Index(fields=["fiscal_year", "quarter"], name="report_year_quarter"),
            # The counts of one fiscal year's reports (indicator by indicator, index only). The
            # review queue's order (newest first, NULLS LAST) has two more indexes, made by
            # migration 0015 on PostgreSQL only: SQLite cannot order an index NULLS LAST.
            models.Index(fields=["indicator", "status"], name="report_indicator_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} Q{self.quarter}"

    @classmethod
    def of(cls, indicator: Indicator, quarter: int, **fields: object) -> "QuarterReport":
        """A new (unsaved) report of `indicator`'s `quarter`, filed under its fiscal year."""
        year = indicator.fiscal_year_id
        return cls(indicator=indicator, fiscal_year_id=year, quarter=quarter, **fields)

    @property
    def is_reported(self) -> bool:
        return self.value is not None


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Store evidence under a random name; the original name is kept in the row only."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    report = models.ForeignKey(QuarterReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("ไฟล์"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")

    def __str__(self) -> str:
        return self.original_name


class Assessment(models.Model):
    """ผลประเมินตัวชี้วัด: the auditor's score and sub-scores of one quarter report."""

    report = models.OneToOneField(
        QuarterReport, on_delete=models.CASCADE, related_name="assessment"
    )
    # The report's year, as QuarterReport.fiscal_year; `of()` sets it.
    fiscal_year = copied_year()
    # Null means "not assessed", which is not the same as a score of 0.
    score = models.DecimalField(
        _("ผลประเมินตัวชี้วัด"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_2_1 = models.DecimalField(
        _("คะแนน 2.1"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_2_2 = models.DecimalField(
        _("คะแนน 2.2"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    suggested_score = models.DecimalField(
        _("คะแนนที่ระบบเสนอ"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("เหตุผล"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("วันที่ประเมิน"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["fiscal_year"])
    # Set before save(): simple_history writes them into the history row (who, and why).
    _history_user: "User"
    _change_reason: str

    class Meta:
        verbose_name = _("ผลประเมิน")
        verbose_name_plural = _("ผลประเมิน")
        constraints = [
            models.CheckConstraint(condition=score_in_range("score"), name="score_0_100"),
            models.CheckConstraint(condition=score_in_range("score_2_1"), name="score_2_1_0_100"),
            models.CheckConstraint(condition=score_in_range("score_2_2"), name="score_2_2_0_100"),
            models.CheckConstraint(
                condition=score_in_range("suggested_score"), name="suggested_score_0_100"
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year"], name="assessment_year")]

    def __str__(self) -> str:
        return f"{self.report} = {self.score}"

    @classmethod
    def of(cls, report: QuarterReport, **fields: object) -> "Assessment":
        """A new (unsaved) assessment of `report`, filed under the report's fiscal year."""
        return cls(report=report, fiscal_year_id=report.fiscal_year_id, **fields)


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("ความเห็น")
    RETURN = "return", _("ส่งกลับแก้ไข")
    APPROVE = "approve", _("อนุมัติ")
    UNLOCK = "unlock", _("เปิดให้แก้ไข")
    SCORE = "score", _("บันทึกผลประเมิน")


class ReviewComment(models.Model):
    report = models.ForeignKey(QuarterReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(
        _("ประเภท"), max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    body = models.TextField(_("ข้อความ"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("ความเห็นการตรวจ")
        verbose_name_plural = _("ความเห็นการตรวจ")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="return") | ~models.Q(body=""),
                name="return_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class AppealKind(models.TextChoices):
    SCORE = "score", _("ขอปรับผลคะแนน")
    TARGET = "target", _("ขอปรับค่าเป้าหมาย")


class AppealRound(models.TextChoices):
    MID_YEAR = "mid_year", _("รอบครึ่งปี")
    YEAR_END = "year_end", _("รอบสิ้นปีงบประมาณ")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("รอพิจารณา")
    ACCEPTED = "accepted", _("อนุมัติ")
    REJECTED = "rejected", _("ไม่อนุมัติ")


class Appeal(models.Model):
    """อุทธรณ์: an agency's request to change a quarter's score or the year's target."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="appeals")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), null=True, blank=True)
    kind = models.CharField(_("เรื่อง"), max_length=10, choices=AppealKind.choices)
    round = models.CharField(_("รอบ"), max_length=10, choices=AppealRound.choices)
    requested_value = models.DecimalField(_("ค่าที่ขอ"), max_digits=15, decimal_places=2)
    reason = models.TextField(_("เหตุผล"))
    evidence = models.FileField(_("หลักฐาน"), upload_to=evidence_path, blank=True, max_length=200)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ผลการพิจารณา"), blank=True)

    history = HistoricalRecords()
    # Set before save(): simple_history writes them into the history row (who, and why).
    _history_user: "User"
    _change_reason: str

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("อุทธรณ์")
        verbose_name_plural = _("อุทธรณ์")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4) | models.Q(quarter__isnull=True),
                name="appeal_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="score") | models.Q(quarter__isnull=False),
                name="score_appeal_names_quarter",
            ),
            # One pending appeal per indicator, subject and quarter; a target appeal has no
            # quarter, and NULLs never collide in a unique index, hence the second constraint.
            models.UniqueConstraint(
                fields=["indicator", "kind", "quarter"],
                condition=models.Q(status="pending", quarter__isnull=False),
                name="one_pending_appeal_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["indicator", "kind"],
                condition=models.Q(status="pending", quarter__isnull=True),
                name="one_pending_appeal_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_kind_display()}"
