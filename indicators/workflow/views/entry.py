"""The reporter's entry form for a quarter, and the evidence it holds."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access
from indicators.cache import indicator_agencies
from indicators.fragments import fragment_page
from indicators.models import (
    CommentKind,
    QuarterReport,
)
from indicators.workflow import services
from indicators.workflow.evidence import EvidenceStorageError, missing_file_response
from indicators.workflow.forms import (
    ReportForm,
    with_version,
)

EDIT_TEMPLATE = "indicators/workflow/report_edit.html"


def _previous_rows(report: QuarterReport) -> list[QuarterReport]:
    """Earlier quarters of the indicator, each with the target it is measured against."""
    rows = list(
        QuarterReport.objects.filter(indicator=report.indicator, quarter__lt=report.quarter)
        .select_related("assessment")
        .order_by("quarter")
    )
    for row in rows:
        row.target = report.indicator.target_for(row.quarter)
    return rows


def _edit_context(report: QuarterReport, form: ReportForm, request: HttpRequest) -> dict:
    block = access.edit_block_reason(request.user, report, timezone.localdate())
    saved = report.pk is not None
    return {
        "report": report,
        "indicator": report.indicator,
        "form": form,
        "quarter_target": report.indicator.target_for(report.quarter),
        "previous": _previous_rows(report),
        "window": report.indicator.fiscal_year.window(report.quarter),
        "read_only": block is not None,
        "block_reason": block,
        "evidence": report.evidence.all() if saved else [],
        "assessment": getattr(report, "assessment", None) if saved else None,
        "reasons": (
            report.comments.filter(kind__in=[CommentKind.RETURN, CommentKind.UNLOCK])
            if saved
            else []
        ),
    }


def _blank_form_context(
    request: access.SignedInRequest, year: int, code: str, quarter: int
) -> dict:
    """The unbound form of what is stored now; its hidden version is the stored report's."""
    report = access.get_report_for_edit(request.user, year, code, quarter)
    initial = {"value": report.value, "narrative": report.narrative, "version": report.version}
    return _edit_context(report, ReportForm(initial=initial, report=report), request)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(
    request: access.SignedInRequest, year: int, code: str, quarter: int
) -> HttpResponse:
    if request.method != "POST":
        # The same for every reader of the same scope until the indicator's agency's data
        # changes; the access check runs when it is rendered (fragments.fragment_page).
        return fragment_page(
            request,
            EDIT_TEMPLATE,
            lambda: _blank_form_context(request, year, code, quarter),
            year=year,
            agencies=partial(indicator_agencies, year, code),
            line=(year, code),
        )
    report = access.get_report_for_edit(request.user, year, code, quarter)
    submitting = request.POST.get("action") == "submit"
    form = ReportForm(request.POST, request.FILES, report=report, submitting=submitting)
    conflict = None
    if form.is_valid():
        service = services.report_submit if submitting else services.report_save
        try:
            service(
                report=report,
                by=request.user,
                value=form.cleaned_data["value"],
                narrative=form.cleaned_data["narrative"],
                version=form.cleaned_data["version"],
                files=form.cleaned_data["evidence"],
            )
        except services.ConflictError as error:
            conflict = error.current
            form = ReportForm(
                with_version(request.POST, conflict.version), report=report, submitting=submitting
            )
            form.is_valid()
            form.add_error(None, error.message)
        except services.TransitionError as error:
            form.add_error(None, error.message)
        except EvidenceStorageError as error:
            form.add_error(None, str(error))  # nothing was saved; the typed text stays
        else:
            messages.success(request, _("ส่งรายงานแล้ว") if submitting else _("บันทึกร่างแล้ว"))
            return redirect(request.path)
    # The page shows what is stored now (a first save refused leaves the quarter unsaved).
    report = access.get_report_for_edit(request.user, year, code, quarter)
    context = _edit_context(report, form, request) | {"conflict": conflict}
    return render(request, EDIT_TEMPLATE, context)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = access.get_evidence(request.user, pk)
    try:
        stored = evidence.file.open("rb")
    except OSError:
        return missing_file_response(request, evidence.original_name)
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_remove(request: access.SignedInRequest, pk: int) -> HttpResponse:
    """Remove one evidence file from a report still being written; back to its entry form."""
    evidence = access.get_evidence(request.user, pk)
    report = evidence.report
    if not access.is_member(request.user, report.indicator.agency_id):
        raise PermissionDenied  # may see the file, not change the report
    back = redirect(
        "indicators:report-edit",
        year=report.indicator.fiscal_year_id,
        code=report.indicator.code,
        quarter=report.quarter,
    )
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(request, _("แบบฟอร์มไม่ครบ โปรดเปิดหน้าใหม่แล้วลองอีกครั้ง"))
        return back
    try:
        services.evidence_remove(evidence=evidence, by=request.user, version=int(version))
    except services.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("ลบหลักฐาน %(name)s แล้ว") % {"name": evidence.original_name})
    return back
