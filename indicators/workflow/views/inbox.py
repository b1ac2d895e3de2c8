"""What staff have to do: the reporter's inbox and the auditor's queue."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indicators import access
from indicators.models import (
    Agency,
    CommentKind,
    DistrictGroup,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
    ReviewComment,
)
from indicators.workflow import appeals


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
def my_work(request: HttpRequest) -> HttpResponse:
    access.require_reporter(request.user)
    items = work_items(request.user, timezone.localdate())
    return render(request, "indicators/workflow/my_work.html", {"items": items})


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
        "appeals": appeals.pending_appeals()[:50],
    }
    return render(request, "indicators/workflow/review_queue.html", context)
