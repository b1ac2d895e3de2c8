"""Evidence limits, storage failures and orphaned files: refuse clearly, keep the typed text."""

import errno
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Evidence, QuarterReport
from tests.helpers import PDF_BYTES, client_for, pdf, report_url

pytestmark = pytest.mark.django_db
TYPED = "เนื้อหาที่พิมพ์ไว้ยาว ๆ ห้ามหาย"


def evidence_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "evidence"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def post(report: QuarterReport, user, files: list) -> object:
    data = {"value": "40", "narrative": TYPED, "version": report.version, "action": "save"}
    return client_for(user).post(report_url(report, "report-edit"), data | {"evidence": files})


def assert_nothing_saved(report: QuarterReport, files_before: set[str]) -> None:
    fresh = QuarterReport.objects.get(pk=report.pk)
    assert (fresh.version, fresh.value, fresh.narrative) == (report.version, None, "")
    assert not Evidence.objects.filter(report=report).exists()
    assert evidence_files() == files_before


def test_the_form_states_the_limits(report, reporter5030):
    page = client_for(reporter5030).get(report_url(report, "report-edit"))
    assert "ครั้งละไม่เกิน 10 ไฟล์ รวม 50 MB" in page.text
    assert "ต่อรายงานไม่เกิน 20 ไฟล์ รวม 100 MB" in page.text
    assert "(แนบแล้ว 0 ไฟล์ 0.0 MB)" in page.text


def test_too_many_files_in_one_request_keep_the_typed_text(report, reporter5030):
    before = evidence_files()
    response = post(report, reporter5030, [pdf(f"e{n}.pdf") for n in range(11)])
    assert response.status_code == 200
    assert "แนบได้ครั้งละไม่เกิน 10 ไฟล์" in response.text
    assert TYPED in response.text
    assert_nothing_saved(report, before)


def test_too_many_bytes_in_one_request_are_refused(report, reporter5030, settings):
    settings.EVIDENCE_MAX_MB_PER_REQUEST = 1
    big = PDF_BYTES + b"0" * 600_000
    before = evidence_files()
    response = post(report, reporter5030, [pdf("a.pdf", big), pdf("b.pdf", big)])
    assert "รวม 1 MB (ครั้งนี้ 2 ไฟล์ 1.1 MB)" in response.text
    assert_nothing_saved(report, before)


def test_the_report_quota_counts_files_already_kept(report, reporter5030, settings):
    settings.EVIDENCE_MAX_FILES_PER_REPORT = 2
    assert post(report, reporter5030, [pdf("a.pdf"), pdf("b.pdf")]).status_code == 302
    report.refresh_from_db()
    response = post(report, reporter5030, [pdf("c.pdf")])
    assert "รายงานหนึ่งมีหลักฐานได้ไม่เกิน 2 ไฟล์" in response.text
    assert "(แนบแล้ว 2 ไฟล์" in response.text
    assert Evidence.objects.filter(report=report).count() == 2


def test_a_request_past_the_hard_file_count_gets_the_portals_page(report, reporter5030):
    files = [pdf(f"e{n}.pdf") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = post(report, reporter5030, files)
    assert response.status_code == 400
    assert "แนบไฟล์มาเกิน 30 ไฟล์ในครั้งเดียว" in response.text
    assert not Evidence.objects.filter(report=report).exists()


def test_a_full_disk_keeps_the_typed_text_and_leaves_no_partial_file(
    report, reporter5030, monkeypatch
):
    real_save = FileSystemStorage._save
    calls = []

    def disk_fills_up(self, name, content):
        calls.append(name)
        if len(calls) == 2:  # the second file: half written, then the disk is full
            Path(self.path(name)).parent.mkdir(parents=True, exist_ok=True)
            Path(self.path(name)).write_bytes(b"%PDF-half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", disk_fills_up)
    before = evidence_files()
    response = post(report, reporter5030, [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    assert response.status_code == 200
    assert "เก็บไฟล์หลักฐานไม่ได้" in response.text
    assert TYPED in response.text
    assert_nothing_saved(report, before)


def test_a_file_missing_from_storage_is_a_404_with_a_message(report, reporter5030):
    assert post(report, reporter5030, [pdf("lost.pdf")]).status_code == 302
    evidence = Evidence.objects.get(report=report)
    default_storage.delete(evidence.file.name)
    response = client_for(reporter5030).get(
        reverse("indicators:evidence-download", args=[evidence.pk])
    )
    assert response.status_code == 404
    assert "ไม่พบไฟล์ “lost.pdf” ในที่เก็บไฟล์" in response.text


def test_deleting_evidence_in_the_admin_removes_its_file(
    report, reporter5030, admin_user, django_capture_on_commit_callbacks
):
    assert post(report, reporter5030, [pdf("gone.pdf")]).status_code == 302
    evidence = Evidence.objects.get(report=report)
    path = Path(evidence.file.path)
    assert path.exists()
    url = reverse("admin:indicators_evidence_delete", args=[evidence.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not path.exists()
    assert site.is_registered(Evidence)


def test_remove_orphan_files_removes_only_files_no_row_names(report, reporter5030, capsys):
    assert post(report, reporter5030, [pdf("kept.pdf")]).status_code == 302
    kept = Path(Evidence.objects.get(report=report).file.path)
    orphan = kept.parent / "orphan-left-by-a-crash.pdf"
    orphan.write_bytes(PDF_BYTES)
    old = time.time() - 2 * 60 * 60
    os.utime(orphan, (old, old))
    os.utime(kept, (old, old))
    call_command("remove_orphan_files", "--dry-run")
    assert orphan.exists()
    call_command("remove_orphan_files")
    assert "removed 1 orphaned files" in capsys.readouterr().out
    assert not orphan.exists()
    assert kept.exists()
