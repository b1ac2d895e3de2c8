"""City indicators: one definition set by the city, measured by many agencies (issue 18)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .indicators import Aggregation, Direction, IndicatorKind, Measure, ResultLevel
from .reference import FiscalYear, localized


class CityRule(models.TextChoices):
    """How the agencies' results make the city's figure."""

    SUM = "sum", _("ผลรวมของทุกหน่วยงาน")
    MEAN = "mean", _("ค่าเฉลี่ยของหน่วยงาน")


class CityIndicatorQuerySet(models.QuerySet):
    def in_year(self, year: int) -> "CityIndicatorQuerySet":
        return self.filter(fiscal_year_id=year)


class CityIndicator(models.Model):
    """The city's definition; each agency measures it as an ordinary Indicator linked to it.

    `number` is the running number every assignment takes (`<prefix>-<number>`), so the same
    city indicator has the same number in every agency.
    """

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="city_indicators",
        verbose_name=_("ปีงบประมาณ"),
    )
    slug = models.SlugField(_("รหัสเรียก (URL)"), max_length=60)
    number = models.PositiveIntegerField(_("เลขลำดับของตัวชี้วัดในแต่ละหน่วยงาน"))
    name_th = models.TextField(_("ชื่อตัวชี้วัด"))
    name_en = models.TextField(_("ชื่อตัวชี้วัด (อังกฤษ)"), blank=True)
    unit = models.CharField(_("หน่วยนับ"), max_length=100)
    measure = models.CharField(_("ลักษณะการวัด"), max_length=10, choices=Measure.choices)
    direction = models.CharField(
        _("ทิศทาง"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("การรวมผลรายไตรมาส"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.LATEST,
    )
    city_rule = models.CharField(
        _("การรวมผลระดับเมือง"), max_length=10, choices=CityRule.choices, default=CityRule.MEAN
    )
    target = models.DecimalField(
        _("ค่าเป้าหมายตั้งต้นของแต่ละหน่วยงาน"), max_digits=15, decimal_places=2, default=Decimal(0)
    )
    baseline = models.DecimalField(
        _("ค่าฐาน"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    kind = models.CharField(
        _("ประเภทตัวชี้วัด"),
        max_length=10,
        choices=IndicatorKind.choices,
        default=IndicatorKind.STRATEGIC,
    )
    result_level = models.CharField(
        _("ระดับตัวชี้วัด"),
        max_length=10,
        choices=ResultLevel.choices,
        default=ResultLevel.OUTCOME,
    )
    definition = models.TextField(_("นิยาม หรือความหมายของตัวชี้วัด"), blank=True)
    calculation_method = models.TextField(_("วิธีการคำนวณ หรือ เกณฑ์การประเมิน"), blank=True)

    objects = CityIndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "number"]
        verbose_name = _("ตัวชี้วัดระดับเมือง")
        verbose_name_plural = _("ตัวชี้วัดระดับเมือง")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "slug"], name="unique_city_slug"),
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="unique_city_number"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id} {self.slug}"

    @property
    def name(self) -> str:
        return localized(self, "name")
