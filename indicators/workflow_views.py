"""Pages of the reporting and review workflow: the reporter's inbox and form, the auditor's queue
and review, evidence downloads and appeals. Rules live in `access`, changes in `services`."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access, services
from indicators.forms import (
    EVIDENCE_TYPES,
    AppealDecisionForm,
    AppealForm,
    AuditQuarterForm,
    ReportForm,
    ReviewForm,
)
from indicators.models import (
    Agency,
    Appeal,
    CommentKind,
    DistrictGroup,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
    ReviewComment,
)


@dataclass(frozen=True)
class WorkItem:
    report: QuarterReport
    window: QuarterWindow
    days_left: int
    reason: str

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def _windows(year_ids: set[int]) -> dict[tuple[int, int], QuarterWindow]:
    windows = QuarterWindow.objects.filter(fiscal_year_id__in=year_ids)
    return {(w.fiscal_year_id, w.quarter): w for w in windows}


def work_items(user, today: datetime.date) -> list[WorkItem]:
    """Draft or returned reports of the user's agencies that can be worked on, most urgent first."""
    reports = (
        QuarterReport.objects.filter(
            indicator__agency__in=access.agencies_of(user),
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        )
        .select_related("indicator__agency", "indicator__fiscal_year")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=ReviewComment.objects.filter(
                    kind__in=[CommentKind.RETURN, CommentKind.UNLOCK]
                ).order_by("-created_at"),
                to_attr="reasons",
            )
        )
    )
    windows = _windows({r.indicator.fiscal_year_id for r in reports})
    items = []
    for report in reports:
        window = windows.get((report.indicator.fiscal_year_id, report.quarter))
        window = window or QuarterWindow.default_for(report.indicator.fiscal_year, report.quarter)
        open_now = window.is_open_on(today) or report.is_unlocked
        if not open_now and report.status != ReportStatus.RETURNED:
            continue
        reason = report.reasons[0].body if report.reasons else ""
        items.append(WorkItem(report, window, (window.due_on - today).days, reason))
    items.sort(key=lambda i: (i.report.status != ReportStatus.RETURNED, i.days_left))
    return items


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    access.require_reporter(request.user)
    items = work_items(request.user, timezone.localdate())
    return render(request, "indicators/workflow/my_work.html", {"items": items})


def _previous_rows(report: QuarterReport) -> list[QuarterReport]:
    """Earlier quarters of the indicator, each with its planned target as `planned`."""
    rows = list(
        QuarterReport.objects.filter(indicator=report.indicator, quarter__lt=report.quarter)
        .select_related("assessment")
        .order_by("quarter")
    )
    for row in rows:
        row.planned = report.indicator.quarter_target(row.quarter)
    return rows


def _with_version(data: QueryDict, version: int) -> QueryDict:
    """The posted data with the current version, so a deliberate second save can go through."""
    data = data.copy()
    data["version"] = str(version)
    return data


def _edit_context(report: QuarterReport, form: ReportForm, request: HttpRequest) -> dict:
    block = access.edit_block_reason(request.user, report, timezone.localdate())
    return {
        "report": report,
        "indicator": report.indicator,
        "form": form,
        "planned_target": report.indicator.quarter_target(report.quarter),
        "previous": _previous_rows(report),
        "window": access.window_of(report),
        "read_only": block is not None,
        "block_reason": block,
        "evidence": report.evidence.all(),
        "assessment": getattr(report, "assessment", None),
        "reasons": report.comments.filter(kind__in=[CommentKind.RETURN, CommentKind.UNLOCK]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, year: int, code: str, quarter: int) -> HttpResponse:
    report = access.get_report_for_edit(request.user, year, code, quarter)
    if request.method != "POST":
        form = ReportForm(
            initial={
                "value": report.value,
                "narrative": report.narrative,
                "version": report.version,
            },
            report=report,
        )
        return render(
            request, "indicators/workflow/report_edit.html", _edit_context(report, form, request)
        )
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
                _with_version(request.POST, conflict.version), report=report, submitting=submitting
            )
            form.is_valid()
            form.add_error(None, error.message)
        except services.TransitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("ส่งรายงานแล้ว") if submitting else _("บันทึกร่างแล้ว"))
            return redirect(request.path)
    report.refresh_from_db()
    context = _edit_context(report, form, request) | {"conflict": conflict}
    return render(request, "indicators/workflow/report_edit.html", context)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    access.require_auditor(request.user)
    reports = (
        QuarterReport.objects.awaiting_review()
        .select_related("indicator__agency__group", "submitted_by")
        .order_by("submitted_at", "indicator__code")
    )
    filters = {
        "agency": request.GET.get("agency", ""),
        "group": request.GET.get("group", ""),
        "quarter": request.GET.get("quarter", ""),
    }
    if filters["agency"].isdigit():
        reports = reports.filter(indicator__agency__prefix=filters["agency"])
    if filters["group"]:
        reports = reports.filter(indicator__agency__group__code=filters["group"])
    if filters["quarter"] in {"1", "2", "3", "4"}:
        reports = reports.filter(quarter=int(filters["quarter"]))
    context = {
        "reports": reports[:500],
        "filters": filters,
        "agencies": Agency.objects.filter(indicators__reports__status=ReportStatus.SUBMITTED)
        .distinct()
        .order_by("prefix"),
        "groups": DistrictGroup.objects.all(),
        "quarters": [1, 2, 3, 4],
        "appeals": services.pending_appeals()[:50],
    }
    return render(request, "indicators/workflow/review_queue.html", context)


def _changes_since_review(report: QuarterReport) -> dict:
    """Value, narrative and evidence changed since the last return or approval."""
    last_review = (
        report.comments.filter(kind__in=[CommentKind.RETURN, CommentKind.APPROVE])
        .order_by("-created_at")
        .first()
    )
    if last_review is None:
        return {"since": None}
    then = report.history.filter(history_date__lte=last_review.created_at).first()
    return {
        "since": last_review,
        "old_value": then.value if then else None,
        "old_narrative": then.narrative if then else "",
        "value_changed": then is not None and then.value != report.value,
        "narrative_changed": then is not None and then.narrative != report.narrative,
        "new_evidence": [
            e for e in report.evidence.all() if e.uploaded_at > last_review.created_at
        ],
    }


def _review_context(request: HttpRequest, report: QuarterReport, form: ReviewForm) -> dict:
    history = report.history.select_related("history_user").order_by("-history_date")[:50]
    return {
        "report": report,
        "indicator": report.indicator,
        "form": form,
        "audit_form": AuditQuarterForm(initial={"audit_quarter": report.indicator.audit_quarter}),
        "planned_target": report.indicator.quarter_target(report.quarter),
        "suggested": services.suggested_score_of(report),
        "assessment": getattr(report, "assessment", None),
        "evidence": report.evidence.all(),
        "comments": report.comments.select_related("author"),
        "history": history,
        "changes": _changes_since_review(report),
        "can": {
            action: access.review_block_reason(request.user, report, action) is None
            for action in ("approve", "return", "score", "unlock")
        },
    }


def _review_initial(report: QuarterReport) -> dict:
    suggested = services.suggested_score_of(report)
    assessment = getattr(report, "assessment", None)
    if assessment is not None and assessment.score is not None:
        scores = {
            "score": assessment.score,
            "score_2_1": assessment.score_2_1,
            "score_2_2": assessment.score_2_2,
            "reason": assessment.reason,
        }
    else:
        scores = {"score": suggested, "score_2_1": suggested, "score_2_2": suggested}
    return {**scores, "version": report.version}


REVIEW_ACTIONS = {"approve", "return", "score", "unlock"}


def _run_review(request: HttpRequest, report: QuarterReport, action: str, form: ReviewForm) -> None:
    data = form.cleaned_data
    common = {"report": report, "by": request.user, "version": data["version"]}
    if action == "approve":
        services.report_approve(**common, reason=data["reason"])
    elif action == "return":
        services.report_return(**common, reason=data["reason"])
    elif action == "unlock":
        services.report_unlock(**common, reason=data["reason"] or _("ผู้ตรวจประเมินเปิดให้แก้ไข"))
    else:
        services.assessment_record(
            **common,
            score=data["score"],
            score_2_1=data["score_2_1"],
            score_2_2=data["score_2_2"],
            reason=data["reason"],
        )


DONE = {
    "approve": gettext_lazy("อนุมัติรายงานแล้ว"),
    "return": gettext_lazy("ส่งกลับให้หน่วยงานแก้ไขแล้ว"),
    "score": gettext_lazy("บันทึกผลประเมินแล้ว"),
    "unlock": gettext_lazy("เปิดให้หน่วยงานแก้ไขแล้ว"),
}


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, year: int, code: str, quarter: int) -> HttpResponse:
    report = access.get_report_for_review(request.user, year, code, quarter)
    suggested = services.suggested_score_of(report)
    if request.method != "POST":
        form = ReviewForm(initial=_review_initial(report), suggested=suggested)
        return render(
            request,
            "indicators/workflow/report_review.html",
            _review_context(request, report, form),
        )
    action = request.POST.get("action", "")
    form = ReviewForm(request.POST, action=action, suggested=suggested)
    if action not in REVIEW_ACTIONS:
        form.add_error(None, _("ไม่รู้จักคำสั่งนี้"))
    elif form.is_valid():
        try:
            _run_review(request, report, action, form)
        except services.ConflictError as error:
            form = ReviewForm(
                _with_version(request.POST, error.current.version),
                action=action,
                suggested=suggested,
            )
            form.is_valid()
            form.add_error(None, error.message)
        except services.TransitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, DONE[action])
            return redirect(request.path)
    report.refresh_from_db()
    return render(
        request, "indicators/workflow/report_review.html", _review_context(request, report, form)
    )


@login_required
@require_POST
def audit_quarter_set(request: HttpRequest, year: int, code: str, quarter: int) -> HttpResponse:
    report = access.get_report_for_review(request.user, year, code, quarter)
    form = AuditQuarterForm(request.POST)
    if form.is_valid():
        services.indicator_set_audit_quarter(
            indicator=report.indicator, by=request.user, quarter=form.cleaned_data["audit_quarter"]
        )
        messages.success(request, _("บันทึกไตรมาสที่ตรวจประเมินแล้ว"))
    else:
        messages.error(request, _("ไตรมาสไม่ถูกต้อง"))
    return redirect("indicators:report-review", year=year, code=code, quarter=quarter)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access.get_evidence(request.user, pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def appeal_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    appeal = access.get_appeal_for_reading(request.user, pk)
    if not appeal.evidence:
        raise Http404
    suffix = "." + appeal.evidence.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        appeal.evidence.open("rb"),
        as_attachment=True,
        filename=f"appeal-{appeal.pk}{suffix}",
        content_type=EVIDENCE_TYPES.get(suffix, "application/octet-stream"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, year: int, code: str) -> HttpResponse:
    indicator = access.get_indicator_for_appeal(request.user, year, code)
    today = timezone.localdate()
    if request.method != "POST":
        form = AppealForm(indicator=indicator)
    else:
        form = AppealForm(request.POST, request.FILES, indicator=indicator)
        if form.is_valid():
            try:
                services.appeal_create(indicator=indicator, by=request.user, **form.cleaned_data)
            except services.TransitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("ยื่นอุทธรณ์แล้ว รอผู้ตรวจประเมินพิจารณา"))
                return redirect(request.path)
    context = {
        "indicator": indicator,
        "form": form,
        "round": services.open_appeal_round(indicator, today),
        "appeals": indicator.appeals.all(),
    }
    return render(request, "indicators/workflow/appeal_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_auditor(request.user)
    appeal = get_object_or_404(Appeal.objects.select_related("indicator__agency"), pk=pk)
    form = AppealDecisionForm(request.POST) if request.method == "POST" else AppealDecisionForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(
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
