"""What staff have to do: the reporter's inbox and the auditor's queue."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators import access
from indicators.cache import key_for
from indicators.fragments import fragment_page
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


# What a work item shows: not the indicator's long texts, which cost more to read than the rest.
WORK_ITEM_FIELDS = (
    "quarter",
    "status",
    "is_unlocked",
    "indicator__code",
    "indicator__name_th",
    "indicator__name_en",
    "indicator__agency__name_th",
    "indicator__agency__name_en",
    "indicator__fiscal_year",
)


def work_items(user, today: datetime.date) -> list[WorkItem]:
    """Draft or returned reports of the user's agencies that can be worked on, most urgent first."""
    reports = (
        QuarterReport.objects.filter(
            indicator__agency__in=access.agencies_of(user),
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        )
        .select_related("indicator__agency", "indicator__fiscal_year")
        .only(*WORK_ITEM_FIELDS)
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
    """The reporter's work, the same for every reporter of the same agencies (return reasons
    are the agency's, not one person's): kept per scope and the data versions of those
    agencies (of every year: a quarter of last year may still be open)."""
    access.require_reporter(request.user)
    return fragment_page(
        request,
        "indicators/workflow/my_work.html",
        lambda: {"items": work_items(request.user, timezone.localdate())},
        agencies=lambda: access.own_agency_ids(request.user),
    )


QUEUE_TEMPLATE = "indicators/workflow/review_queue.html"


def _rendered_rows(filters: queue.QueueFilters, page: Page) -> dict:
    rows = queue.rows_of(page.object_list)
    html = render_to_string(f"{QUEUE_TEMPLATE}#rows", {"rows": rows, "filters": filters})
    return {
        "rows": rows,
        "reports": [row.report for row in rows],
        "rows_html": mark_safe(html),  # noqa: S308 (our own template's HTML)
        "any_selectable": any(row.selectable for row in rows),
    }


def _queue_rows(filters: queue.QueueFilters, page: Page) -> dict:
    """A page's rows as HTML, rendered once per data version (of the chosen year) and language
    and kept for every auditor: they hold no one's own data and no CSRF token. Only what was
    rendered in this request has the rows themselves."""
    seconds = settings.STAFF_PAGE_CACHE_SECONDS
    if not seconds:
        return _rendered_rows(filters, page)
    text = f"{filters.query()}|{page.number}|{get_language()}"
    year = int(filters.year) if filters.year else None
    key = key_for("queue-rows", text, year, scope=queue.QUEUE_SCOPE)
    kept = cache.get(key)
    if kept is not None:
        html, any_selectable = kept
        return {"rows_html": mark_safe(html), "any_selectable": any_selectable}  # noqa: S308
    rendered = _rendered_rows(filters, page)
    cache.set(key, (str(rendered["rows_html"]), rendered["any_selectable"]), seconds)
    return rendered


def _queue_context(request: HttpRequest, filters: queue.QueueFilters) -> dict:
    counts = queue.status_counts(filters)
    shown = queue.shown_count(filters, counts)
    page = queue.queue_page(filters, shown, request.GET.get("page"))
    return {
        **_queue_rows(filters, page),
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
    if request.method == "POST":
        return _approve_selected(request)
    filters = queue.QueueFilters.from_query(request.GET)
    # The same page for every auditor; all data's version, not the chosen year's: the
    # pending appeals and the filters' choices span every year.
    return fragment_page(request, QUEUE_TEMPLATE, lambda: _queue_context(request, filters))


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
