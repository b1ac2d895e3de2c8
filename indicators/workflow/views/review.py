"""The auditor's review of a quarter: approve, return, score, unlock; the audit quarter."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access
from indicators.cache import indicator_agencies
from indicators.fragments import fragment_page
from indicators.history import report_history
from indicators.models import (
    CommentKind,
    QuarterReport,
)
from indicators.workflow import services
from indicators.workflow.forms import (
    AuditQuarterForm,
    ReviewForm,
    with_version,
)

REVIEW_TEMPLATE = "indicators/workflow/report_review.html"


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
    return {
        "report": report,
        "indicator": report.indicator,
        "form": form,
        "audit_form": AuditQuarterForm(initial={"audit_quarter": report.indicator.audit_quarter}),
        "quarter_target": report.indicator.target_for(report.quarter),
        "suggested": services.suggested_score_of(report),
        "suggested_working": services.suggestion_working(report),
        "assessment": getattr(report, "assessment", None),
        "evidence": report.evidence.all(),
        "history": report_history(report),
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


def _blank_review_context(request: HttpRequest, year: int, code: str, quarter: int) -> dict:
    """The unbound form of what is stored now; its hidden version is the stored report's."""
    report = access.get_report_for_review(request.user, year, code, quarter)
    form = ReviewForm(
        initial=_review_initial(report), suggested=services.suggested_score_of(report)
    )
    return _review_context(request, report, form)


REVIEW_ACTIONS = {"approve", "return", "score", "unlock"}


def _run_review(request: HttpRequest, report: QuarterReport, action: str, form: ReviewForm) -> None:
    data = form.cleaned_data
    common = {"report": report, "by": request.user, "version": data["version"]}
    if action == "approve":
        services.report_approve(
            **common,
            reason=data["reason"],
            score=data["score"],
            score_2_1=data["score_2_1"],
            score_2_2=data["score_2_2"],
        )
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
    if request.method != "POST":
        # The same for every auditor until the indicator's agency's data changes; the access
        # check runs when it is rendered (fragments.fragment_page). A late draft is shown too
        # (to be unlocked), so edits of drafts renew it.
        return fragment_page(
            request,
            REVIEW_TEMPLATE,
            lambda: _blank_review_context(request, year, code, quarter),
            year=year,
            agencies=partial(indicator_agencies, year, code),
            shows_drafts=True,
            line=(year, code),
        )
    report = access.get_report_for_review(request.user, year, code, quarter)
    suggested = services.suggested_score_of(report)
    action = request.POST.get("action", "")
    form = ReviewForm(request.POST, action=action, suggested=suggested)
    if action not in REVIEW_ACTIONS:
        form.add_error(None, _("ไม่รู้จักคำสั่งนี้"))
    elif form.is_valid():
        try:
            _run_review(request, report, action, form)
        except services.ConflictError as error:
            form = ReviewForm(
                with_version(request.POST, error.current.version),
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
    return render(request, REVIEW_TEMPLATE, _review_context(request, report, form))


@login_required
@require_POST
def audit_quarter_set(
    request: access.SignedInRequest, year: int, code: str, quarter: int
) -> HttpResponse:
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
