"""Indicators, their level criteria, projects and datasets."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators import scoring

from .plans import StrategyNode
from .reference import QUARTERS, Agency, FiscalYear, localized

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .reporting import QuarterReport


class Measure(models.TextChoices):
    NUMBER = "number", _("จำนวน")
    PERCENT = "percent", _("ร้อยละ")
    LEVEL = "level", _("ระดับความสำเร็จ (1–5)")
    SCORE = "score", _("คะแนน")


class Direction(models.TextChoices):
    HIGHER = "higher", _("ยิ่งมากยิ่งดี")
    LOWER = "lower", _("ยิ่งน้อยยิ่งดี")
    LEVEL = "level", _("บรรลุระดับ")


class Aggregation(models.TextChoices):
    LATEST = "latest", _("ผลสะสมล่าสุด")
    SUM = "sum", _("ผลรวมทุกไตรมาส")
    AVERAGE = "average", _("ค่าเฉลี่ย")
    MAX = "max", _("ค่าสูงสุด")


class IndicatorKind(models.TextChoices):
    STRATEGIC = "strategic", _("ตัวชี้วัดเชิงยุทธศาสตร์")
    ROUTINE = "routine", _("ตัวชี้วัดงานประจำ")


class ResultLevel(models.TextChoices):
    OUTPUT = "output", _("ตัวชี้วัดระดับผลผลิต (output)")
    OUTCOME = "outcome", _("ตัวชี้วัดระดับผลลัพธ์ (outcome)")


class Project(models.Model):
    code = models.CharField(_("รหัสโครงการ"), max_length=40, unique=True)
    name_th = models.TextField(_("ชื่อโครงการ/กิจกรรม"))
    name_en = models.TextField(_("ชื่อโครงการ (อังกฤษ)"), blank=True)
    progress = models.DecimalField(
        _("ความก้าวหน้า (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("โครงการ/กิจกรรม")
        verbose_name_plural = _("โครงการ/กิจกรรม")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100)
                | models.Q(progress__isnull=True),
                name="project_progress_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class Dataset(models.Model):
    code = models.CharField(_("รหัสข้อมูล"), max_length=40, unique=True)
    title_th = models.TextField(_("ชื่อข้อมูล"))
    title_en = models.TextField(_("ชื่อข้อมูล (อังกฤษ)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ข้อมูลประกอบ")
        verbose_name_plural = _("ข้อมูลประกอบ")

    def __str__(self) -> str:
        return f"{self.code} : {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class IndicatorQuerySet(models.QuerySet):
    def in_year(self, year: int) -> "IndicatorQuerySet":
        return self.filter(fiscal_year_id=year)

    def published(self) -> "IndicatorQuerySet":
        return self.filter(fiscal_year__is_published=True)

    def of_agencies(self, agencies) -> "IndicatorQuerySet":
        return self.filter(agency__in=agencies)

    def continued(self) -> "IndicatorQuerySet":
        """Indicators carried on from an earlier year's (ต่อเนื่องจากปีที่แล้ว)."""
        return self.filter(continues__isnull=False)

    def new_this_year(self) -> "IndicatorQuerySet":
        """Indicators that continue none (ใหม่ในปีนี้)."""
        return self.filter(continues__isnull=True)

    def with_reports(self, *, visible: models.Q, review_flags: bool = True) -> "IndicatorQuerySet":
        """Load the agency, quarter reports and their assessments in a fixed number of queries."""
        return self.select_related("agency", "agency__group", "fiscal_year").with_quarter_reports(
            visible=visible, review_flags=review_flags
        )

    def with_quarter_reports(
        self, *, visible: models.Q, review_flags: bool = True, brief: bool = False
    ) -> "IndicatorQuerySet":
        """The quarter reports `visible` lets the reader see, with their assessments (one query;
        `quarter_reports_prefetch`), and without `review_flags` no `with_review_flags()`: a
        reader who sees every report in review awaits nothing unseen, and the four subqueries
        are not asked."""
        indicators = self.with_review_flags() if review_flags else self
        return indicators.prefetch_related(quarter_reports_prefetch(visible, brief=brief))

    def with_review_flags(self) -> "IndicatorQuerySet":
        """Each indicator gets `in_review_q1` … `in_review_q4`: whether that quarter has a
        report submitted or returned, so a page can say "awaiting review" without loading it."""
        from .reporting import IN_REVIEW, QuarterReport  # reporting imports this module

        return self.annotate(
            **{
                f"in_review_q{quarter}": models.Exists(
                    QuarterReport.objects.filter(
                        indicator=models.OuterRef("pk"),
                        quarter=quarter,
                        status__in=sorted(IN_REVIEW),
                    )
                )
                for quarter in QUARTERS
            }
        )


def quarter_reports_prefetch(visible: models.Q, *, brief: bool = False) -> models.Prefetch:
    """An indicator's `reports` that `visible` lets the reader see, quarter by quarter, with
    their assessments. `brief` is for pages of many indicators, which show neither narratives
    nor evidence: the reports come without their narratives (deferred) and without
    `evidence_count` (a join and a GROUP BY)."""
    from .reporting import QuarterReport  # reporting imports this module

    reports = QuarterReport.objects.filter(visible).select_related("assessment")
    if brief:
        reports = reports.defer("narrative")
    else:
        reports = reports.annotate(evidence_count=models.Count("evidence"))
    return models.Prefetch("reports", queryset=reports.order_by("quarter"))


class Indicator(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("ปีงบประมาณ")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("หน่วยงาน")
    )
    number = models.PositiveIntegerField(_("เลขลำดับ"))
    code = models.CharField(_("รหัสตัวชี้วัด"), max_length=20, editable=False)
    display_number = models.CharField(_("ลำดับที่แสดง"), max_length=20, blank=True)
    name_th = models.TextField(_("ชื่อตัวชี้วัด"))
    name_en = models.TextField(_("ชื่อตัวชี้วัด (อังกฤษ)"), blank=True)
    unit = models.CharField(_("หน่วยนับ"), max_length=100)
    measure = models.CharField(_("ลักษณะการวัด"), max_length=10, choices=Measure.choices)
    direction = models.CharField(
        _("ทิศทาง"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    target = models.DecimalField(_("ค่าเป้าหมาย"), max_digits=15, decimal_places=2)
    baseline = models.DecimalField(
        _("ค่าฐาน"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("ใช้กับตัวชี้วัดที่ยิ่งน้อยยิ่งดี: ค่าตั้งต้นก่อนลดลง"),
    )
    target_q1 = models.DecimalField(
        _("เป้าหมายไตรมาส 1"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    target_q2 = models.DecimalField(
        _("เป้าหมายไตรมาส 2"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    target_q3 = models.DecimalField(
        _("เป้าหมายไตรมาส 3"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    target_q4 = models.DecimalField(
        _("เป้าหมายไตรมาส 4"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    aggregation = models.CharField(
        _("การรวมผลรายไตรมาส"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.LATEST,
    )
    kind = models.CharField(_("ประเภทตัวชี้วัด"), max_length=10, choices=IndicatorKind.choices)
    result_level = models.CharField(_("ระดับตัวชี้วัด"), max_length=10, choices=ResultLevel.choices)
    weight = models.DecimalField(_("น้ำหนัก"), max_digits=6, decimal_places=2, default=Decimal(1))
    definition = models.TextField(_("นิยาม หรือความหมายของตัวชี้วัด"), blank=True)
    calculation_method = models.TextField(_("วิธีการคำนวณ หรือ เกณฑ์การประเมิน"), blank=True)
    data_collection = models.TextField(_("วิธีการการเก็บข้อมูล/แหล่งข้อมูล"), blank=True)
    summary = models.TextField(_("สรุปผลการดำเนินงาน"), blank=True)
    audit_quarter = models.PositiveSmallIntegerField(
        _("ไตรมาสที่ สยป. ตรวจประเมิน"), null=True, blank=True
    )
    strategy_nodes = models.ManyToManyField(
        StrategyNode, blank=True, related_name="indicators", verbose_name=_("ยุทธศาสตร์ที่สนับสนุน")
    )
    projects = models.ManyToManyField(
        Project, through="IndicatorProject", blank=True, related_name="indicators"
    )
    datasets = models.ManyToManyField(
        Dataset, through="IndicatorDataset", blank=True, related_name="indicators"
    )
    # Migrated from the old digitalplans pages: where from, by which batch, and what they printed.
    source_url = models.CharField(_("ที่มา (ระบบเดิม)"), max_length=500, blank=True)
    import_batch = models.ForeignKey(
        "indicators.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="migrated_indicators",
        verbose_name=_("รอบการนำเข้า"),
    )
    source_text = models.JSONField(_("ข้อความตามหน้าเดิม"), default=dict, blank=True)
    # Lineage (issue 18): the previous year's indicator this one carries on, set by the rollover.
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations",
        verbose_name=_("ต่อเนื่องจากตัวชี้วัด"),
    )
    # Set only by compare.services.city_indicator_assign: this agency's measure of a city indicator.
    city_indicator = models.ForeignKey(
        "indicators.CityIndicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("ตัวชี้วัดระดับเมือง"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    # Set before save(): simple_history writes them into the history row (who, and why).
    _history_user: "User"
    _change_reason: str
    # A spreadsheet import's links of the row, before they are written (indicator_resource.py).
    _import_links: dict[str, list[int]]
    _original_links: dict[str, list[int]]
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "agency__prefix", "number"]
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"], name="unique_indicator_code_per_year"
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "agency", "number"], name="unique_indicator_number"
            ),
            models.CheckConstraint(
                condition=models.Q(audit_quarter__gte=1, audit_quarter__lte=4)
                | models.Q(audit_quarter__isnull=True),
                name="indicator_audit_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="indicator_weight_positive"
            ),
            models.UniqueConstraint(
                fields=["city_indicator", "agency"], name="unique_city_assignment"
            ),
            # What a report's year refers to (QuarterReport.fiscal_year).
            models.UniqueConstraint(fields=["id", "fiscal_year"], name="unique_indicator_year"),
        ]
        indexes = [
            # The year's indicators by agency and number with their ids, read from the index
            # alone: the strategy page's links in the page's order (45 → 17 ms at 30,000
            # indicators), an agency page's indicators. It serves what (year, agency) served.
            models.Index(
                fields=["fiscal_year", "agency", "number", "id"], name="indicator_year_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @staticmethod
    def build_code(prefix: str, number: int) -> str:
        return f"{prefix}-{number}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_migrated(self) -> bool:
        return bool(self.source_url)

    @property
    def shows_results(self) -> bool:
        """False for the 2562–2563 pages, which had no results, type or audit to show."""
        return self.source_text.get("layout") != "indicator_2563"

    def quarter_target(self, quarter: int) -> Decimal | None:
        """The planned target typed for `quarter`, or None when none was planned."""
        return getattr(self, f"target_q{quarter}")

    def target_for(self, quarter: int) -> Decimal:
        """The target a quarter's result is measured against: planned, else the annual target.

        The one rule for every caller; rollups.indicator_rows_sql mirrors it in SQL
        (COALESCE(target_qN, target)).
        """
        planned = self.quarter_target(quarter)
        return planned if planned is not None else self.target

    def quarter_reports(self) -> dict[int, "QuarterReport"]:
        """Reports by quarter; uses the prefetched reports when `with_reports()` loaded them."""
        return {report.quarter: report for report in self.reports.all()}

    def overall_result(self) -> Decimal | None:
        """The overall result (ผลงานที่ทำได้), derived from the quarters by the aggregation rule."""
        reports = self.quarter_reports()
        values = [reports[q].value if q in reports else None for q in QUARTERS]
        return scoring.aggregate_quarters(values, self.aggregation)

    def suggested_score(self, quarter: int, value: Decimal | None) -> Decimal | None:
        """What the scoring rules suggest for `value` in `quarter` (scoring.suggested_score)."""
        return scoring.suggested_score(
            value,
            self.target_for(quarter),
            self.direction,
            baseline=self.baseline,
            levels=self.measure == Measure.LEVEL,
        )

    def achievement(self) -> Decimal | None:
        """Achievement % of the overall result against the annual target."""
        return scoring.achievement(
            self.overall_result(), self.target, self.direction, baseline=self.baseline
        )


class LevelCriterion(models.Model):
    """One rung of a success-level indicator's five-level ladder."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="criteria")
    level = models.PositiveSmallIntegerField(_("ระดับ"))
    description = models.TextField(_("เกณฑ์"))
    # The result (in the indicator's unit) that reaches this level; the scorecard reads a round's
    # result between two thresholds linearly (indicators/scorecards/scoring.py).
    threshold = models.DecimalField(
        _("ผลงานที่ถึงระดับนี้"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("ผลงานขั้นต่ำ (หน่วยเดียวกับตัวชี้วัด) ที่ถือว่าถึงระดับนี้ ใช้คำนวณคะแนนตามคำรับรองการปฏิบัติราชการ"),
    )

    class Meta:
        ordering = ["indicator", "level"]
        verbose_name = _("เกณฑ์ระดับความสำเร็จ")
        verbose_name_plural = _("เกณฑ์ระดับความสำเร็จ")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="unique_criterion_level"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="criterion_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} ระดับ {self.level}"


class IndicatorProject(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    project = models.ForeignKey(Project, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("โครงการที่สนับสนุน")
        verbose_name_plural = _("โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "project"], name="unique_indicator_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.project_id}"


class IndicatorDataset(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("ข้อมูลประกอบ")
        verbose_name_plural = _("ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "dataset"], name="unique_indicator_dataset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.dataset_id}"
