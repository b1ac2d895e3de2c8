"""Agency books built in the background and kept until their data changes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Agency, FiscalYear


class BookStatus(models.TextChoices):
    PENDING = "pending", _("รอคิว")
    BUILDING = "building", _("กำลังจัดทำ")
    READY = "ready", _("พร้อมดาวน์โหลด")
    FAILED = "failed", _("จัดทำไม่สำเร็จ")


class AgencyBook(models.Model):
    """The PDF book of one agency's indicators in one fiscal year and language."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="books")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="books")
    language = models.CharField(_("ภาษา"), max_length=8)
    # Hash of the indicators' and reports' last-changed times: a different one means stale.
    fingerprint = models.CharField(_("ลายนิ้วมือข้อมูล"), max_length=64)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=BookStatus.choices, default=BookStatus.PENDING
    )
    done = models.PositiveIntegerField(_("จัดทำแล้ว"), default=0)
    total = models.PositiveIntegerField(_("ทั้งหมด"), default=0)
    file = models.FileField(_("ไฟล์"), upload_to="books/", blank=True, max_length=200)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    requested_at = models.DateTimeField(_("ขอเมื่อ"), default=timezone.now)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("สมุดตัวชี้วัดของหน่วยงาน")
        verbose_name_plural = _("สมุดตัวชี้วัดของหน่วยงาน")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "language"], name="unique_agency_book"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency.prefix} {self.fiscal_year_id} {self.language}"

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    def is_current(self, fingerprint: str) -> bool:
        return self.fingerprint == fingerprint and self.status == BookStatus.READY

    def is_under_way(self, fingerprint: str) -> bool:
        in_progress = self.status in (BookStatus.PENDING, BookStatus.BUILDING)
        return self.fingerprint == fingerprint and in_progress
