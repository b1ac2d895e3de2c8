"""The import page (upload, preview, confirm, revert) and the blank templates to fill in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from indicators import access
from indicators.models import (
    ImportBatch,
    ImportJob,
    ImportJobAction,
    ImportJobStatus,
    ImportStatus,
)
from indicators.scorecards.cards import batch_agency_years, weight_messages
from indicators.spreadsheets import jobs
from indicators.spreadsheets.exports import template_bytes
from indicators.spreadsheets.imports import (
    KIND_LABELS,
    MAX_PROBLEMS_SHOWN,
    ImportRevertError,
    import_confirm,
    import_preview,
    import_revert,
)
from indicators.spreadsheets.resources import RESOURCES, describe_columns

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ไฟล์ Excel (.xlsx) หรือ CSV"),
        help_text=gettext_lazy(
            "ขนาดไม่เกิน 10 MB ใช้หัวคอลัมน์ตามแม่แบบ หรือหน้าเว็บระบบเดิม digitalplans (.html, .txt หรือ .zip)"
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("ปีงบประมาณของหน้าเว็บระบบเดิม (ถ้าหน้าไม่ระบุ)"),
        min_value=2500,
        max_value=2700,
        required=False,
    )
    create_agencies = forms.BooleanField(
        label=gettext_lazy("สร้างหน่วยงานที่ไม่มีในข้อมูลอ้างอิง (รอผู้ดูแลระบบตั้งชื่อ)"),
        required=False,
    )


def _upload_context(form: ImportUploadForm) -> dict:
    templates = [
        {"kind": kind, "label": KIND_LABELS[kind], "columns": describe_columns(resource())}
        for kind, resource in RESOURCES.items()
    ]
    batches = ImportBatch.objects.select_related("created_by").exclude(
        status=ImportStatus.PREVIEWED
    )[:20]
    return {"form": form, "templates": templates, "batches": batches}


@login_required
def import_upload(request: access.SignedInRequest) -> HttpResponse:
    access.check_can_import(request.user)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            options = {
                "year": form.cleaned_data["year"],
                "create_agencies": form.cleaned_data["create_agencies"],
            }
            rows = jobs.row_count(upload)
            if rows is not None and jobs.runs_in_background(rows):
                job = jobs.preview_later(file=upload, by=request.user, rows=rows)
                return redirect("indicators:import-job", pk=job.pk)
            outcome = import_preview(file=upload, by=request.user, options=options)
            context = {
                "outcome": outcome,
                "problems": outcome.problems[:MAX_PROBLEMS_SHOWN],
                "hidden_problems": max(0, len(outcome.problems) - MAX_PROBLEMS_SHOWN),
            }
            status = 200 if outcome.ok else 400  # refused: nothing was kept
            return render(request, "indicators/imports/preview.html", context, status=status)
    else:
        form = ImportUploadForm()
    return render(request, "indicators/imports/upload.html", _upload_context(form))


@login_required
@require_POST
def import_confirm_view(request: access.SignedInRequest, pk: int) -> HttpResponse:
    access.check_can_import(request.user)
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.status == ImportStatus.PREVIEWED and jobs.runs_in_background(batch.total_rows):
        job = jobs.job_start(
            batch=batch, action=ImportJobAction.CONFIRM, by=request.user, total=batch.total_rows
        )
        return redirect("indicators:import-job", pk=job.pk)
    outcome = import_confirm(batch=batch, by=request.user)
    if outcome.already_done and outcome.batch is not None:
        messages.info(request, already_done_message(outcome.batch))
        return redirect("indicators:import-upload")
    if outcome.ok:
        messages.success(
            request,
            _("นำเข้าแล้ว: เพิ่มใหม่ %(created)d แก้ไข %(updated)d ไม่เปลี่ยนแปลง %(unchanged)d")
            % {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
            },
        )
        if outcome.kind == "indicators":
            agency_years = batch_agency_years(batch.change_reason)
            for message in weight_messages(agency_years):
                messages.warning(request, message)
        return redirect("indicators:import-upload")
    context = {"outcome": outcome, "problems": outcome.problems[:MAX_PROBLEMS_SHOWN]}
    return render(request, "indicators/imports/preview.html", context)


def already_done_message(batch: ImportBatch) -> str:
    if batch.status == ImportStatus.COMMITTED:
        return _("นำเข้าไปแล้ว: “%(name)s” บันทึกไว้ตั้งแต่การยืนยันครั้งแรก ไม่ได้บันทึกซ้ำ") % {
            "name": batch.file_name
        }
    return _("การนำเข้า “%(name)s” ไม่รอการยืนยันแล้ว (สถานะ: %(status)s) ไม่ได้บันทึกใด ๆ") % {
        "name": batch.file_name,
        "status": batch.get_status_display(),
    }


@login_required
@require_POST
def import_revert_view(request: access.SignedInRequest, pk: int) -> HttpResponse:
    access.check_can_import(request.user)
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.status == ImportStatus.COMMITTED and jobs.runs_in_background(batch.total_rows):
        job = jobs.job_start(
            batch=batch, action=ImportJobAction.REVERT, by=request.user, total=batch.total_rows
        )
        return redirect("indicators:import-job", pk=job.pk)
    try:
        import_revert(batch=batch, by=request.user)
    except ImportRevertError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("ย้อนกลับการนำเข้า “%(name)s” แล้ว") % {"name": batch.file_name})
    return redirect("indicators:import-upload")


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background step's progress; then the preview, or what was written or undone."""
    access.check_can_import(request.user)
    job = get_object_or_404(ImportJob.objects.select_related("batch"), pk=pk)
    if job.action == ImportJobAction.PREVIEW and job.status == ImportJobStatus.DONE:
        outcome = jobs.outcome_of(job)
        context = {
            "outcome": outcome,
            "problems": outcome.problems,
            "hidden_problems": max(0, job.outcome["problem_count"] - len(outcome.problems)),
        }
        status = 200 if outcome.ok else 400
        return render(request, "indicators/imports/preview.html", context, status=status)
    return render(request, "indicators/imports/job.html", {"job": job})


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    access.check_can_import(request.user)
    if kind not in RESOURCES or file_format not in ("xlsx", "csv"):
        raise Http404
    response = HttpResponse(
        template_bytes(kind, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="kpi-{kind}-template.{file_format}"'
    return response
