"""Import batches: who loaded which file when, what it changed, and whether it was reverted."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_file_path(instance: "ImportBatch", filename: str) -> str:
    """Keep uploads under a random name; the user's file name is kept in the row only."""
    suffix = Path(filename).suffix.lower()[:6]
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("ตรวจสอบแล้ว รอยืนยัน")
    COMMITTED = "committed", _("นำเข้าแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ")
    REVERTED = "reverted", _("ย้อนกลับแล้ว")


class ImportBatch(models.Model):
    """One import of one file; history rows written by it carry `change_reason`."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ผู้นำเข้า"),
    )
    created_at = models.DateTimeField(_("วันที่นำเข้า"), auto_now_add=True)
    file = models.FileField(_("ไฟล์"), upload_to=import_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    file_format = models.CharField(_("รูปแบบ"), max_length=10)
    kind = models.CharField(_("ชนิดข้อมูล"), max_length=20, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    total_rows = models.PositiveIntegerField(_("จำนวนแถว"), default=0)
    created_count = models.PositiveIntegerField(_("เพิ่มใหม่"), default=0)
    updated_count = models.PositiveIntegerField(_("แก้ไข"), default=0)
    unchanged_count = models.PositiveIntegerField(_("ไม่เปลี่ยนแปลง"), default=0)
    error_count = models.PositiveIntegerField(_("ข้อผิดพลาด"), default=0)
    # Choices made at upload that confirm must repeat (a migration's year, creating agencies).
    options = models.JSONField(_("ตัวเลือก"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("วันที่บันทึก"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("วันที่ย้อนกลับ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("รอบการนำเข้า")
        verbose_name_plural = _("รอบการนำเข้า")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def change_reason(self) -> str:
        """Written into every history row this batch creates, so a revert can find them."""
        return f"import-batch:{self.pk}"
