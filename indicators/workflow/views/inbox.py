"""What staff have to do: the reporter's inbox and the auditor's queue."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from indicators import access
from indicators.models import (
    CommentKind,
    DistrictGroup,
    FiscalYear,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
    ReviewComment,
    fiscal_year_of,
)
from indicators.workflow import appeals, queue


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


def work_items(user, today: datetime.date) -> list[WorkItem]:
    """Draft or returned reports of the user's agencies that can be worked on, most urgent first."""
    reports = (
        QuarterReport.objects.filter(
            indicator__agency__in=access.agencies_of(user),
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        )
        .select_related("indicator__agency", "indicator__fiscal_year")
        .prefetch_related(
            "indicator__fiscal_year__windows",
            Prefetch(
                "comments",
                queryset=ReviewComment.objects.filter(
                    kind__in=[CommentKind.RETURN, CommentKind.UNLOCK]
                ).order_by("-created_at"),
                to_attr="reasons",
            ),
        )
    )
    items = []
    for report in reports:
        window = report.indicator.fiscal_year.window(report.quarter)
        open_now = window.is_open_on(today) or report.is_unlocked
        if not open_now and report.status != ReportStatus.RETURNED:
            continue
        reason = report.reasons[0].body if report.reasons else ""
        items.append(WorkItem(report, window, (window.due_on - today).days, reason))
    items.sort(key=lambda i: (i.report.status != ReportStatus.RETURNED, i.days_left))
    return items


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where a login lands when it has no `next`: each role's own work."""
    kind = access.landing_kind(request.user)
    if kind == access.REPORTER:
        return redirect("indicators:my-work")
    if kind == access.AUDITOR:
        return redirect("indicators:review-queue")
    if kind == access.MANAGER:
        return redirect("reports:dashboard", year=fiscal_year_of(timezone.localdate()))
    return redirect("indicators:home")


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    access.require_reporter(request.user)
    items = work_items(request.user, timezone.localdate())
    return render(request, "indicators/workflow/my_work.html", {"items": items})


def _queue_context(request: HttpRequest, filters: queue.QueueFilters) -> dict:
    counts = queue.status_counts(filters)
    shown = queue.shown_count(filters, counts)
    page = queue.queue_page(filters, shown, request.GET.get("page"))
    rows = queue.rows_of(page.object_list)
    return {
        "rows": rows,
        "reports": [row.report for row in rows],
        "page": page,
        "query_string": filters.query(),
        "filters": filters,
        "counts": [
            (status, counts[status.value], filters.query(status=status.value))
            for status in queue.QUEUE_STATUSES
        ],
        "all_query": filters.query(status="all"),
        "total": sum(counts.values()),
        "shown": shown,
        "years": FiscalYear.objects.order_by("-year").values_list("year", flat=True),
        "agencies": queue.agencies_in_queue(),
        "groups": DistrictGroup.objects.all(),
        "quarters": [1, 2, 3, 4],
        "sorts": SORT_LABELS,
        "statuses": queue.QUEUE_STATUSES,
        "any_selectable": any(row.selectable for row in rows),
        "appeals": appeals.pending_appeals()[:50],
    }


SORT_LABELS = {
    "-submitted": gettext_lazy("ส่งล่าสุดก่อน"),
    "due": gettext_lazy("กำหนดส่ง"),
    "agency": gettext_lazy("หน่วยงาน"),
}


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request: access.SignedInRequest) -> HttpResponse:
    access.require_auditor(request.user)
    filters = queue.QueueFilters.from_query(request.GET)
    if request.method == "POST":
        return _approve_selected(request)
    context = _queue_context(request, filters)
    return render(request, "indicators/workflow/review_queue.html", context)


def _approve_selected(request: access.SignedInRequest) -> HttpResponse:
    """Ask to confirm the selected reports with their suggested scores, then approve each."""
    back = request.get_full_path()
    if request.POST.get("action") != "approve_selected":
        messages.error(request, _("ไม่รู้จักคำสั่งนี้"))
        return redirect(back)
    reports = queue.selected_reports(request.POST.getlist("report"))
    if not reports:
        messages.error(request, _("กรุณาเลือกรายงานที่จะอนุมัติอย่างน้อยหนึ่งรายการ"))
        return redirect(back)
    if request.POST.get("confirm") != "yes":
        context = {"rows": queue.rows_of(reports), "back": back}
        return render(request, "indicators/workflow/approve_confirm.html", context)
    versions = {
        key: int(value)
        for key in request.POST.getlist("report")
        if (value := request.POST.get(f"version:{key}", "")).isdigit()
    }
    result = queue.reports_approve(reports=reports, versions=versions, by=request.user)
    if result.approved:
        messages.success(
            request,
            ngettext(
                "อนุมัติแล้ว %(n)d รายการ: %(codes)s",
                "อนุมัติแล้ว %(n)d รายการ: %(codes)s",
                len(result.approved),
            )
            % {
                "n": len(result.approved),
                "codes": ", ".join(_label(r) for r, _s in result.approved),
            },
        )
    for report, reason in result.refused:
        messages.error(
            request,
            _("ไม่ได้อนุมัติ %(report)s: %(reason)s") % {"report": _label(report), "reason": reason},
        )
    return redirect(back)


def _label(report: QuarterReport) -> str:
    return f"{report.indicator.code} Q{report.quarter}/{report.indicator.fiscal_year_id}"
