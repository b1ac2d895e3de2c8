"""Reference data: district groups, agencies and fiscal years with their reporting windows."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.dates import BE_OFFSET

QUARTERS = (1, 2, 3, 4)


def localized(obj: object, field: str) -> str:
    """Return the English value of `field` when English is active and filled, else the Thai one."""
    if (get_language() or "th").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_th")


class DistrictGroup(models.Model):
    code = models.SlugField(_("รหัส"), max_length=40, unique=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200, unique=True)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("กลุ่มเขต")
        verbose_name_plural = _("กลุ่มเขต")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class AgencyKind(models.TextChoices):
    COUNCIL_SECRETARIAT = "council_secretariat", _("สำนักงานเลขานุการสภา")
    OFFICE = "office", _("สำนักงาน")
    DEPARTMENT = "department", _("สำนัก")
    DISTRICT_OFFICE = "district_office", _("สำนักงานเขต")


class AgencyQuerySet(models.QuerySet):
    def districts(self) -> "AgencyQuerySet":
        return self.filter(kind=AgencyKind.DISTRICT_OFFICE)

    def in_group(self, code: str) -> "AgencyQuerySet":
        """The district offices of one district group (by its code, e.g. "central")."""
        return self.filter(group__code=code)


class Agency(models.Model):
    code = models.CharField(_("รหัสหน่วยงาน"), max_length=8, unique=True)
    prefix = models.CharField(_("รหัสนำหน้าตัวชี้วัด"), max_length=4, unique=True)
    name_th = models.CharField(_("ชื่อหน่วยงาน (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อหน่วยงาน (อังกฤษ)"), max_length=200, blank=True)
    short_name_th = models.CharField(_("ชื่อย่อ (ไทย)"), max_length=100, blank=True)
    short_name_en = models.CharField(_("ชื่อย่อ (อังกฤษ)"), max_length=100, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=30, choices=AgencyKind.choices)
    # Created by a migration from an indicator code's prefix alone, waiting for its real name.
    needs_name = models.BooleanField(_("รอตั้งชื่อ"), default=False)
    group = models.ForeignKey(
        DistrictGroup,
        verbose_name=_("กลุ่มเขต"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{8}$"), name="agency_code_8_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(prefix__regex=r"^[0-9]{4}$"), name="agency_prefix_4_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class AgencyMembership(models.Model):
    """A user who reports for an agency; a reporter may belong to several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("สมาชิกหน่วยงาน")
        verbose_name_plural = _("สมาชิกหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="unique_agency_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.agency.prefix}"


def be_to_ce(be_year: int) -> int:
    """Convert a Buddhist Era year to the Common Era."""
    return be_year - BE_OFFSET


def fiscal_year_of(day: datetime.date) -> int:
    """The Buddhist Era fiscal year that contains `day` (it starts on 1 October)."""
    ce_end_year = day.year + 1 if day.month >= 10 else day.year
    return ce_end_year + BE_OFFSET


def quarter_of(day: datetime.date) -> int:
    """The fiscal quarter (1–4) that contains `day`."""
    return (day.month - 10) % 12 // 3 + 1


class FiscalYearQuerySet(models.QuerySet):
    def published(self) -> "FiscalYearQuerySet":
        return self.filter(is_published=True)


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), primary_key=True)
    is_published = models.BooleanField(_("เผยแพร่ต่อสาธารณะ"), default=False)
    sub_score_1_label = models.CharField(_("ชื่อคะแนนย่อย 1"), max_length=20, default="2.1")
    sub_score_1_meaning = models.CharField(_("ความหมายคะแนนย่อย 1"), max_length=300, blank=True)
    sub_score_2_label = models.CharField(_("ชื่อคะแนนย่อย 2"), max_length=20, default="2.2")
    sub_score_2_meaning = models.CharField(_("ความหมายคะแนนย่อย 2"), max_length=300, blank=True)
    # Lower bounds (achievement %) of the Thai 5-level rating: levels 5, 4, 3, 2; below is 1.
    rating_bands = models.JSONField(_("เกณฑ์ระดับคะแนน 5 ระดับ"), default=list, blank=True)

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2500, year__lte=2700), name="fiscal_year_be_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def ce_year(self) -> int:
        """The Common Era year in which this fiscal year ends."""
        return be_to_ce(self.year)

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.ce_year - 1, 10, 1)

    @property
    def end_date(self) -> datetime.date:
        return datetime.date(self.ce_year, 9, 30)

    def quarter_start(self, quarter: int) -> datetime.date:
        month = 10 + 3 * (quarter - 1)
        year = self.ce_year - 1
        if month > 12:
            month -= 12
            year += 1
        return datetime.date(year, month, 1)

    def quarter_end(self, quarter: int) -> datetime.date:
        if quarter == 4:
            return self.end_date
        return self.quarter_start(quarter + 1) - datetime.timedelta(days=1)

    def window(self, quarter: int) -> "QuarterWindow":
        """The quarter's reporting window: the stored one, else the usual one.

        The one rule every caller uses (access, services, appeals, inbox, reminders, dashboard).
        Reads `windows` prefetched with `prefetch_related("windows")` when a caller loops.
        """
        for window in self.windows.all():
            if window.quarter == quarter:
                return window
        return QuarterWindow.default_for(self, quarter)

    def rating_thresholds(self) -> list[Decimal]:
        """The achievement % lower bounds of levels 5, 4, 3 and 2."""
        bands = self.rating_bands or [100, 90, 80, 70]
        return [Decimal(str(b)) for b in bands]


class QuarterWindow(models.Model):
    """When reporting for one quarter of a fiscal year opens, is due and locks."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="windows", verbose_name=_("ปีงบประมาณ")
    )
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"))
    opens_on = models.DateField(_("เปิดรายงาน"))
    due_on = models.DateField(_("กำหนดส่ง"))
    locks_on = models.DateField(_("ปิดรับรายงาน"))

    class Meta:
        ordering = ["fiscal_year", "quarter"]
        verbose_name = _("ช่วงเวลารายงานรายไตรมาส")
        verbose_name_plural = _("ช่วงเวลารายงานรายไตรมาส")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "quarter"], name="unique_window"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="window_quarter_1_4"
            ),
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("due_on"))
                & models.Q(due_on__lte=models.F("locks_on")),
                name="window_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id} Q{self.quarter}"

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day < self.locks_on

    @classmethod
    def default_for(cls, fiscal_year: FiscalYear, quarter: int) -> "QuarterWindow":
        """The usual window: opens with the quarter, due 15 and locked 30 days after its end."""
        end = fiscal_year.quarter_end(quarter)
        return cls(
            fiscal_year=fiscal_year,
            quarter=quarter,
            opens_on=fiscal_year.quarter_start(quarter),
            due_on=end + datetime.timedelta(days=15),
            locks_on=end + datetime.timedelta(days=30),
        )
