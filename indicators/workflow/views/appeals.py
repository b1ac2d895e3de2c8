"""Appeals of a score or a target: the agency files one, an auditor decides it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators import access
from indicators.models import (
    Appeal,
)
from indicators.workflow import appeals, services
from indicators.workflow.evidence import missing_file_response
from indicators.workflow.forms import (
    EVIDENCE_TYPES,
    AppealDecisionForm,
    AppealForm,
)


@login_required
def appeal_evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    appeal = access.get_appeal_for_reading(request.user, pk)
    if not appeal.evidence:
        raise Http404
    suffix = "." + (appeal.evidence.name or "").rsplit(".", 1)[-1].lower()
    try:
        stored = appeal.evidence.open("rb")
    except OSError:
        return missing_file_response(request, f"appeal-{appeal.pk}{suffix}")
    return FileResponse(
        stored,
        as_attachment=True,
        filename=f"appeal-{appeal.pk}{suffix}",
        content_type=EVIDENCE_TYPES.get(suffix, "application/octet-stream"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: access.SignedInRequest, year: int, code: str) -> HttpResponse:
    indicator = access.get_indicator_for_appeal(request.user, year, code)
    today = timezone.localdate()
    if request.method != "POST":
        form = AppealForm(indicator=indicator)
    else:
        form = AppealForm(request.POST, request.FILES, indicator=indicator)
        if form.is_valid():
            try:
                appeals.appeal_create(indicator=indicator, by=request.user, **form.cleaned_data)
            except services.TransitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("ยื่นอุทธรณ์แล้ว รอผู้ตรวจประเมินพิจารณา"))
                return redirect(request.path)
    context = {
        "indicator": indicator,
        "form": form,
        "round": appeals.open_appeal_round(indicator, today),
        "appeals": indicator.appeals.all(),
    }
    return render(request, "indicators/workflow/appeal_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_decide(request: access.SignedInRequest, pk: int) -> HttpResponse:
    access.require_auditor(request.user)
    appeal = get_object_or_404(Appeal.objects.select_related("indicator__agency"), pk=pk)
    form = AppealDecisionForm(request.POST) if request.method == "POST" else AppealDecisionForm()
    if request.method == "POST" and form.is_valid():
        try:
            appeals.appeal_decide(
                appeal=appeal,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accepted",
                note=form.cleaned_data["note"],
            )
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกผลการพิจารณาอุทธรณ์แล้ว"))
            return redirect("indicators:review-queue")
    return render(
        request,
        "indicators/workflow/appeal_decide.html",
        {
            "appeal": appeal,
            "form": form,
            "other": Appeal.objects.filter(~Q(pk=pk), indicator=appeal.indicator),
        },
    )
