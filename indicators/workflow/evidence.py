"""Evidence files: how many and how large per report and per request, stored all or none.

The limits are settings (EVIDENCE_*). A storage error (a full disk, a lost mount) while files
are written removes every file this request wrote and raises EvidenceStorageError; the caller's
transaction then writes nothing, and the form keeps what was typed.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from indicators.models import Evidence, QuarterReport

log = logging.getLogger(__name__)
MB = 1024 * 1024


class EvidenceStorageError(Exception):
    """The files could not be stored; nothing of them is kept. The message is for the user."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "เก็บไฟล์หลักฐานไม่ได้ (พื้นที่เก็บไฟล์เต็มหรือขัดข้อง) ระบบจึงยังไม่ได้บันทึกสิ่งใด "
                "ข้อความที่กรอกยังอยู่บนหน้าจอ: ลองบันทึกใหม่ภายหลัง หรือแจ้งผู้ดูแลระบบ "
                "(ต้องเลือกไฟล์แนบใหม่อีกครั้ง)"
            )
        )


@dataclass(frozen=True)
class Limits:
    files_per_report: int
    bytes_per_report: int
    files_per_request: int
    bytes_per_request: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(
            settings.EVIDENCE_MAX_FILES_PER_REPORT,
            settings.EVIDENCE_MAX_MB_PER_REPORT * MB,
            settings.EVIDENCE_MAX_FILES_PER_REQUEST,
            settings.EVIDENCE_MAX_MB_PER_REQUEST * MB,
        )


def stored_totals(report: QuarterReport) -> tuple[int, int]:
    """The report's evidence already kept: number of files and bytes."""
    totals = Evidence.objects.filter(report=report).aggregate(files=Count("pk"), size=Sum("size"))
    return totals["files"], totals["size"] or 0


def limits_text(report: QuarterReport) -> str:
    """The limits as the form states them, with what the report holds already."""
    limits = Limits.current()
    files, size = stored_totals(report) if report.pk else (0, 0)
    return _(
        "ครั้งละไม่เกิน %(request_files)d ไฟล์ รวม %(request_mb)d MB · "
        "ต่อรายงานไม่เกิน %(report_files)d ไฟล์ รวม %(report_mb)d MB "
        "(แนบแล้ว %(files)d ไฟล์ %(mb).1f MB)"
    ) % {
        "request_files": limits.files_per_request,
        "request_mb": limits.bytes_per_request // MB,
        "report_files": limits.files_per_report,
        "report_mb": limits.bytes_per_report // MB,
        "files": files,
        "mb": size / MB,
    }


def check_quota(report: QuarterReport, uploads: list[UploadedFile]) -> None:
    """Refuse uploads past the per-request or per-report limits, naming the limit."""
    if not uploads:
        return
    limits = Limits.current()
    size = sum(upload.size or 0 for upload in uploads)
    if len(uploads) > limits.files_per_request or size > limits.bytes_per_request:
        raise ValidationError(
            _("แนบได้ครั้งละไม่เกิน %(files)d ไฟล์ รวม %(mb)d MB (ครั้งนี้ %(count)d ไฟล์ %(size).1f MB)"),
            code="evidence_request_quota",
            params={
                "files": limits.files_per_request,
                "mb": limits.bytes_per_request // MB,
                "count": len(uploads),
                "size": size / MB,
            },
        )
    stored_files, stored_size = stored_totals(report)
    if (
        stored_files + len(uploads) > limits.files_per_report
        or stored_size + size > limits.bytes_per_report
    ):
        raise ValidationError(
            _(
                "รายงานหนึ่งมีหลักฐานได้ไม่เกิน %(files)d ไฟล์ รวม %(mb)d MB "
                "(แนบแล้ว %(stored)d ไฟล์ %(stored_mb).1f MB)"
            ),
            code="evidence_report_quota",
            params={
                "files": limits.files_per_report,
                "mb": limits.bytes_per_report // MB,
                "stored": stored_files,
                "stored_mb": stored_size / MB,
            },
        )


def evidence_attach(
    *, report: QuarterReport, by: User, files: Iterable[UploadedFile], content_type_of
) -> list[Evidence]:
    """Store the files and their rows; on any error remove every file written here.

    Files of a transaction that fails only at its commit are left for `remove_orphan_files`.
    """
    written: list[str] = []
    try:
        return [_store(report, by, upload, content_type_of, written) for upload in files]
    except OSError:
        log.exception("Evidence for report %s could not be stored", report.pk)
        _remove(written)
        raise EvidenceStorageError() from None
    except Exception:
        _remove(written)
        raise


def _store(report, by, upload: UploadedFile, content_type_of, written: list[str]) -> Evidence:
    field = Evidence._meta.get_field("file")
    original = upload.name or "evidence"
    name = field.generate_filename(Evidence(report=report), original)
    written.append(name)  # before saving: a half-written file must go too
    written[-1] = field.storage.save(name, upload, max_length=field.max_length)
    return Evidence.objects.create(
        report=report,
        file=written[-1],
        original_name=original[:255],
        content_type=content_type_of(original),
        size=upload.size or 0,
        uploaded_by=by,
    )


def _remove(names: Iterable[str]) -> None:
    storage = Evidence._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            log.warning("Could not remove evidence file %s", name)


def missing_file_response(request: HttpRequest, name: str) -> HttpResponse:
    """404 naming the file whose row exists but whose content is gone from storage."""
    log.error("Evidence file missing from storage: %s", name)
    message = _("ไม่พบไฟล์ “%(name)s” ในที่เก็บไฟล์ (ไฟล์อาจถูกย้ายหรือสูญหาย): แจ้งผู้ดูแลระบบ") % {"name": name}
    context = {"title": _("ไม่พบไฟล์หลักฐาน"), "message": message}
    return render(request, "400.html", context, status=404)
