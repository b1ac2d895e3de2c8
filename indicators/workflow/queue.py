"""The auditor's queue: filters kept in the URL, sorting, counts per status, paging, approval
of many."""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import QueryDict
from django.utils.translation import gettext as _

from indicators import access
from indicators.cache import remember
from indicators.models import Agency, QuarterReport, QuarterWindow, ReportStatus
from indicators.workflow import services

# What an auditor's queue shows: drafts are the agency's own business (DESIGN §4a). Migration
# 0015's partial index names the same statuses.
QUEUE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED)
# The queue lists sent reports only, as every staff reader sees them: edits of drafts leave it.
QUEUE_SCOPE = access.STAFF_SCOPE

SORTS = ("-submitted", "due", "agency")
KEY = re.compile(r"^(?P<year>\d{4})/(?P<code>[\w-]{1,40})/q(?P<quarter>[1-4])$")
PER_PAGE = 50


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters and order as read from a query string; anything unknown is ignored."""

    year: str = ""
    quarter: str = ""
    agency: str = ""
    group: str = ""
    status: str = ReportStatus.SUBMITTED
    sort: str = SORTS[0]

    @classmethod
    def from_query(cls, query: QueryDict) -> "QueueFilters":
        status = query.get("status", ReportStatus.SUBMITTED)
        sort = query.get("sort", SORTS[0])
        return cls(
            year=query.get("year", "") if query.get("year", "").isdigit() else "",
            quarter=query.get("quarter", "")
            if query.get("quarter") in {"1", "2", "3", "4"}
            else "",
            agency=query.get("agency", "") if query.get("agency", "").isdigit() else "",
            group=query.get("group", "")[:20],
            status=status if status in QUEUE_STATUSES or status == "all" else "",
            sort=sort if sort in SORTS else SORTS[0],
        )

    def query(self, **changes: str) -> str:
        """This query string with `changes` applied, for links that keep the other filters."""
        values = {**asdict(self), **changes}
        return urlencode({name: value for name, value in values.items() if value})


def _filtered(filters: QueueFilters) -> QuerySet[QuarterReport]:
    """Reports matching every filter but the status."""
    reports = QuarterReport.objects.filter(status__in=QUEUE_STATUSES)
    if filters.year:
        reports = reports.filter(fiscal_year_id=int(filters.year))
    if filters.quarter:
        reports = reports.filter(quarter=int(filters.quarter))
    if filters.agency:
        reports = reports.filter(indicator__agency__prefix=filters.agency)
    if filters.group:
        reports = reports.filter(indicator__agency__group__code=filters.group)
    return reports


def _due_on() -> Subquery:
    # Unordered: the window's own ordering joined the fiscal year and sorted for every row.
    windows = QuarterWindow.objects.filter(
        fiscal_year_id=OuterRef("indicator__fiscal_year_id"), quarter=OuterRef("quarter")
    ).order_by()
    return Subquery(windows.values("due_on")[:1])


def _due_on_for_sorting(year: str) -> Case | Value:
    """The same date as _due_on(), as a CASE over the stored windows (of `year` if chosen; a
    few rows, one query): sorting by a subquery ran it for every report."""
    windows = QuarterWindow.objects.order_by().values_list("fiscal_year_id", "quarter", "due_on")
    if year:
        windows = windows.filter(fiscal_year_id=int(year))
    whens = [
        When(indicator__fiscal_year_id=year, quarter=quarter, then=Value(due_on))
        for year, quarter, due_on in windows
    ]
    return Case(*whens, output_field=DateField()) if whens else Value(None, DateField())


ORDERINGS = {
    # Newest submission first; a report never submitted (imported) goes last.
    "-submitted": (F("submitted_at").desc(nulls_last=True), "indicator__code", "quarter"),
    "due": (F("due_on").asc(nulls_last=True), F("submitted_at").desc(nulls_last=True)),
    "agency": ("indicator__agency__prefix", "indicator__code", "quarter"),
}


# What a row shows and what its suggested score needs: not the indicator's long texts.
ROW_FIELDS = (
    "quarter",
    "value",
    "status",
    "submitted_at",
    "version",
    "indicator__fiscal_year_id",
    "indicator__code",
    "indicator__name_th",
    "indicator__name_en",
    "indicator__measure",
    "indicator__direction",
    "indicator__target",
    "indicator__baseline",
    "indicator__target_q1",
    "indicator__target_q2",
    "indicator__target_q3",
    "indicator__target_q4",
    "indicator__agency__name_th",
    "indicator__agency__name_en",
    "indicator__agency__group__name_th",
    "indicator__agency__group__name_en",
    "submitted_by__first_name",
    "submitted_by__last_name",
    "submitted_by__username",
)


def queue_reports(filters: QueueFilters) -> QuerySet[QuarterReport]:
    """The queue's rows in the chosen order, with what a row shows (one query)."""
    reports = _filtered(filters)
    if filters.status in QUEUE_STATUSES:
        reports = reports.filter(status=filters.status)
    return (
        reports.select_related("indicator__agency__group", "submitted_by")
        .only(*ROW_FIELDS)
        .annotate(due_on=_due_on_for_sorting(filters.year) if filters.sort == "due" else _due_on())
        .order_by(*ORDERINGS[filters.sort])
    )


def status_counts(filters: QueueFilters) -> dict[str, int]:
    """How many reports of each queue status match the other filters, reused while the data
    (of the chosen year, when one is) stays the same: every auditor reads the same counts."""
    key = f"{filters.year}|{filters.quarter}|{filters.agency}|{filters.group}"
    year = int(filters.year) if filters.year else None
    return remember(
        "queue-counts", key, lambda: _count_statuses(filters), year=year, scope=QUEUE_SCOPE
    )


def _count_statuses(filters: QueueFilters) -> dict[str, int]:
    # COUNT(*), not COUNT(id): the (status, quarter) index answers alone (index-only scan).
    rows = _filtered(filters).values("status").annotate(n=Count("*")).order_by()
    counts = {status.value: 0 for status in QUEUE_STATUSES}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def shown_count(filters: QueueFilters, counts: dict[str, int]) -> int:
    """How many rows the chosen status lists, read from the counts."""
    return counts.get(filters.status, sum(counts.values()))


class CountedPaginator(Paginator):
    """A paginator told how many rows there are: the status counts already hold the number,
    so no COUNT query of its own."""

    def __init__(self, object_list: QuerySet[QuarterReport], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def queue_page(filters: QueueFilters, count: int, number: str | None) -> Page:
    """Page `number` of the queue; a junk number shows the first page, one past the end the
    last (Paginator.get_page)."""
    return CountedPaginator(queue_reports(filters), PER_PAGE, count).get_page(number)


def agencies_in_queue() -> QuerySet[Agency]:
    """The agencies with a report in the queue, for the filter: a semi-join (EXISTS) that stops
    at an agency's first report, not a DISTINCT over every year's reports (57 ms → 2 ms at
    the city's scale)."""
    in_queue = QuarterReport.objects.filter(
        indicator__agency=OuterRef("pk"), status__in=QUEUE_STATUSES
    )
    return Agency.objects.filter(Exists(in_queue)).order_by("prefix")


def report_key(report: QuarterReport) -> str:
    """How a row names its report in the selection: `<year>/<code>/q<N>`."""
    return f"{report.indicator.fiscal_year_id}/{report.indicator.code}/q{report.quarter}"


def is_selectable(report: QuarterReport) -> bool:
    """A routine report: submitted, with a suggested score to approve it with."""
    return (
        report.status == ReportStatus.SUBMITTED and services.suggested_score_of(report) is not None
    )


def selected_reports(keys: list[str]) -> list[QuarterReport]:
    """The reports named by `keys` (unknown or malformed keys are dropped), in the keys' order."""
    wanted = {}
    for key in dict.fromkeys(keys):
        match = KEY.match(key)
        if match:
            wanted[(int(match["year"]), match["code"], int(match["quarter"]))] = key
    found = QuarterReport.objects.filter(
        indicator__fiscal_year_id__in={year for year, _, _ in wanted},
        indicator__code__in={code for _, code, _ in wanted},
    ).select_related("indicator__agency", "indicator__fiscal_year")
    by_key = {report_key(r): r for r in found}
    return [by_key[key] for key in wanted.values() if key in by_key]


@dataclass(frozen=True)
class QueueRow:
    """A report as the queue and the confirmation list it: its key, suggestion, selectability."""

    report: QuarterReport
    key: str
    suggested: Decimal | None
    selectable: bool


def rows_of(reports: Iterable[QuarterReport]) -> list[QueueRow]:
    """Rows of reports read with their indicator (no query per row)."""
    return [
        QueueRow(
            report, report_key(report), services.suggested_score_of(report), is_selectable(report)
        )
        for report in reports
    ]


@dataclass
class BulkResult:
    approved: list[tuple[QuarterReport, Decimal | None]] = field(default_factory=list)
    refused: list[tuple[QuarterReport, str]] = field(default_factory=list)


def reports_approve(
    *, reports: list[QuarterReport], versions: dict[str, int], by: User
) -> BulkResult:
    """Approve each report with its suggested score, each in its own transaction and history.

    A report refused (its version moved on, someone else decided it, no suggested score) is
    reported with the reason and does not stop the others.
    """
    result = BulkResult()
    for report in reports:
        version = versions.get(report_key(report), report.version)
        suggested = services.suggested_score_of(report)
        if suggested is None:
            result.refused.append((report, _("ไม่มีคะแนนที่ระบบเสนอ ต้องตรวจและให้คะแนนทีละรายการ")))
            continue
        try:
            services.report_approve(report=report, by=by, version=version)
        except services.ConflictError:
            message = _("รายงานถูกแก้ไขหลังจากที่ท่านเปิดหน้ายืนยัน โปรดตรวจอีกครั้ง")
            result.refused.append((report, message))
        except services.WorkflowError as error:
            result.refused.append((report, error.message))
        else:
            result.approved.append((report, suggested))
    return result
