"""Large imports, their confirmation and reverts, run by the background worker with progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .imports import ImportBatch


class ImportJobAction(models.TextChoices):
    PREVIEW = "preview", _("ตรวจสอบไฟล์")
    CONFIRM = "confirm", _("บันทึกการนำเข้า")
    REVERT = "revert", _("ย้อนกลับการนำเข้า")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังทำงาน")
    DONE = "done", _("เสร็จแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ")


class ImportJob(models.Model):
    """One step of a large import done in the background; `outcome` is what the page shows."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="jobs")
    action = models.CharField(_("ขั้นตอน"), max_length=10, choices=ImportJobAction.choices)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("ทำแล้ว"), default=0)
    total = models.PositiveIntegerField(_("ทั้งหมด"), default=0)
    outcome = models.JSONField(_("ผล"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("งานนำเข้าเบื้องหลัง")
        verbose_name_plural = _("งานนำเข้าเบื้องหลัง")

    def __str__(self) -> str:
        return f"{self.action} {self.batch_id} ({self.status})"

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def under_way(self) -> bool:
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
