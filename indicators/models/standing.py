"""The stored standing of each indicator: rollups.indicator_rows_sql's rows, kept.

Written only by indicators/standing.py (from the same SQL, never a second scoring rule) and read
by the status filter, the strategy tree, the agency counts and the dashboard.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .indicators import Indicator

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class StandingLevel(models.IntegerChoices):
    """The visibility levels access.ReportScope distinguishes: each row is computed from the
    reports a reader of that level may see (a reporter reads FULL for their own agencies and
    PUBLIC for the others)."""

    PUBLIC = 0, _("สาธารณะ")
    STAFF = 1, _("ผู้ตรวจประเมินและผู้บริหาร")
    FULL = 2, _("ทุกรายงาน")


def _amount(label: "StrOrPromise") -> models.DecimalField:
    # Wide: an achievement of a tiny target can run to many digits; two places, as scoring.
    return models.DecimalField(label, max_digits=30, decimal_places=2, null=True)


class Standing(models.Model):
    """An indicator "as reported up to quarter `as_of`" for readers of `level`."""

    # Deleted with its indicator in one statement (no signal is connected to this model). No
    # database constraint: checking it cost a year's refresh ~1 s for 72,000 rows, and a row
    # left by a raw delete goes with its year's next refresh.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("ตัวชี้วัด"),
    )
    as_of = models.PositiveSmallIntegerField(_("ถึงไตรมาส"))
    level = models.PositiveSmallIntegerField(_("ระดับการมองเห็น"), choices=StandingLevel.choices)
    # The indicator's year and agency, copied so one year's rows are read by an index alone.
    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    agency_id = models.BigIntegerField(_("หน่วยงาน"))
    weight = models.DecimalField(_("น้ำหนัก"), max_digits=6, decimal_places=2)
    value = _amount(_("ผลงานไตรมาส"))
    report_status = models.CharField(_("สถานะรายงาน"), max_length=16, null=True)
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"), null=True)
    score = _amount(_("คะแนนไตรมาส"))
    official = _amount(_("คะแนนทางการ"))
    overall = _amount(_("ผลงานรวม"))
    achievement = _amount(_("ร้อยละความสำเร็จ"))
    latest_achievement = _amount(_("ร้อยละความสำเร็จล่าสุด"))
    status = models.CharField(_("สถานะ"), max_length=16)
    rating = models.PositiveSmallIntegerField(_("ระดับ"), null=True)

    class Meta:
        verbose_name = _("สถานะตัวชี้วัดที่คำนวณไว้")
        verbose_name_plural = _("สถานะตัวชี้วัดที่คำนวณไว้")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "as_of", "level"], name="standing_one_per_reader_level"
            )
        ]
        indexes = [
            models.Index(fields=["year", "level", "as_of", "status"], name="standing_year_reads")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} Q{self.as_of} {self.get_level_display()}: {self.status}"
