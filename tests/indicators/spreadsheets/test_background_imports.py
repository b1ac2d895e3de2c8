"""Large imports in the background: preview → confirm → revert with progress, safe to rerun."""

from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import (
    ImportBatch,
    ImportJob,
    ImportJobAction,
    ImportJobStatus,
    ImportStatus,
    QuarterReport,
)
from indicators.spreadsheets import jobs
from indicators.spreadsheets.imports import import_run
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
YEAR = 2564
HEADERS = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส", "ผลงาน", "รายงานผลการดำเนินงาน", "เหตุผลการแก้ไข"]
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def reports() -> list[QuarterReport]:
    return list(
        QuarterReport.objects.filter(indicator__fiscal_year_id=YEAR)
        .select_related("indicator")
        .order_by("pk")[:12]
    )


def results_file(reports: list[QuarterReport], narrative: str) -> SimpleUploadedFile:
    # 2564's quarters are approved: a change to them names its reason.
    rows = [[YEAR, r.indicator.code, r.quarter, "3", narrative, "แก้ตามเอกสาร"] for r in reports]
    data = tablib.Dataset(*rows, headers=HEADERS).export("csv").encode()
    return SimpleUploadedFile("big.csv", data)


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 5


def test_a_large_file_is_previewed_confirmed_and_reverted_in_the_background(
    reports, admin_user, small_threshold
):
    client = client_for(admin_user)
    response = client.post(
        reverse("indicators:import-upload"), {"file": results_file(reports, "จากงานเบื้องหลัง")}
    )
    preview = ImportJob.objects.get(action=ImportJobAction.PREVIEW)
    assert response["Location"] == reverse("indicators:import-job", args=[preview.pk])
    page = client.get(response["Location"])  # tests run tasks at once: the check is done
    assert page.status_code == 200
    assert "ยืนยันการนำเข้า" in page.text
    assert f"<strong>{len(reports)}</strong> แก้ไข" in page.text.replace("\n", "")
    assert not QuarterReport.objects.filter(narrative="จากงานเบื้องหลัง").exists()

    confirm = client.post(reverse("indicators:import-confirm", args=[preview.batch_id]))
    job = ImportJob.objects.get(action=ImportJobAction.CONFIRM)
    assert confirm["Location"] == reverse("indicators:import-job", args=[job.pk])
    assert f"แก้ไข {len(reports)}" in client.get(confirm["Location"]).text
    assert QuarterReport.objects.filter(narrative="จากงานเบื้องหลัง").count() == len(reports)

    revert = client.post(reverse("indicators:import-revert", args=[preview.batch_id]))
    assert "ย้อนกลับการนำเข้า" in client.get(revert["Location"]).text
    assert not QuarterReport.objects.filter(narrative="จากงานเบื้องหลัง").exists()
    assert ImportBatch.objects.get(pk=preview.batch_id).status == ImportStatus.REVERTED


def test_the_job_page_follows_progress_until_the_worker_is_done(
    reports, admin_user, small_threshold, settings
):
    settings.TASKS = DUMMY_TASKS  # queued, never run: the page shows it waiting
    client = client_for(admin_user)
    response = client.post(
        reverse("indicators:import-upload"), {"file": results_file(reports, "x")}
    )
    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' in page.content
    assert f"ทำแล้ว 0 จาก {len(reports)} แถว" in page.text
    job = ImportJob.objects.get()
    jobs.job_run(job.pk)  # what the worker does
    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in page.content
    assert "ยืนยันการนำเข้า" in page.text


def test_a_bad_large_file_shows_its_problems_and_writes_nothing(
    reports, admin_user, small_threshold
):
    file = results_file(reports, "x")
    file = SimpleUploadedFile("big.csv", file.read().replace(b",3,", b",abc,", 1))
    client = client_for(admin_user)
    response = client.post(reverse("indicators:import-upload"), {"file": file})
    page = client.get(response["Location"])
    assert page.status_code == 400
    assert "“abc” ไม่ใช่ตัวเลข" in page.text
    assert "ยืนยันการนำเข้า" not in page.text


def test_every_row_ticks_the_progress(reports, admin_user):
    ticks = []
    token = jobs.import_progress.set(lambda: ticks.append(1))
    try:
        outcome = import_run(file=results_file(reports, "y"), by=admin_user, dry_run=True)
    finally:
        jobs.import_progress.reset(token)
    assert outcome.ok
    assert len(ticks) == len(reports)


def test_a_confirm_run_again_after_a_lost_worker_imports_once(reports, admin_user, small_threshold):
    client = client_for(admin_user)
    client.post(reverse("indicators:import-upload"), {"file": results_file(reports, "z")})
    batch = ImportBatch.objects.get()
    client.post(reverse("indicators:import-confirm", args=[batch.pk]))
    job = ImportJob.objects.get(action=ImportJobAction.CONFIRM)
    versions = list(QuarterReport.objects.filter(narrative="z").values_list("version", flat=True))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING)  # the worker died
    jobs.job_run(job.pk)  # the reaper queued it again
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert job.outcome["updated"] == len(reports)
    again = list(QuarterReport.objects.filter(narrative="z").values_list("version", flat=True))
    assert again == versions
    assert QuarterReport.objects.filter(value=Decimal("3"), narrative="z").count() == len(reports)


def test_only_importers_see_a_job(reports, admin_user, manager, small_threshold):
    client_for(admin_user).post(
        reverse("indicators:import-upload"), {"file": results_file(reports, "w")}
    )
    url = reverse("indicators:import-job", args=[ImportJob.objects.get().pk])
    assert client_for(manager).get(url).status_code == 403
