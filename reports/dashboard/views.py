"""The managers' dashboard: the page, its one-page print view and its PDF."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import access
from indicators.cache import public_page, remember
from indicators.fragments import fragment_page
from indicators.models import QUARTERS, FiscalYear
from indicators.summaries import STATUS_LABELS
from reports import pdf
from reports.dashboard import figures as dashboard
from reports.dashboard.charts import dashboard_charts
from reports.dashboard.figures import Dashboard
from reports.dashboard.tables import lines, list_url
from reports.views import pdf_response

# Okabe–Ito: told apart by readers with any common colour-vision deficiency.
STATUS_COLORS = {
    "achieved": "#009E73",
    "on_track": "#56B4E9",
    "off_track": "#D55E00",
    "not_reported": "#999999",
}
RATING_COLORS = {5: "#009E73", 4: "#56B4E9", 3: "#F0E442", 2: "#E69F00", 1: "#D55E00"}


def _board(request: HttpRequest, year: int) -> tuple[FiscalYear, Dashboard]:
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    if not access.may_see_dashboard(request.user, fiscal_year):
        raise Http404
    agency_ids = access.dashboard_agency_ids(request.user)
    scope = access.report_scope(request.user)
    try:
        quarter = int(request.GET.get("quarter", ""))
    except ValueError:
        quarter = 0
    if quarter not in QUARTERS:
        quarter = dashboard.default_quarter(fiscal_year, agency_ids, scope=scope)
    return fiscal_year, dashboard.cached(fiscal_year, quarter, agency_ids, scope=scope)


def _status_labels() -> dict[str, str]:
    """The one status-label table (summaries.STATUS_LABELS), keyed by status code."""
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def _status_charts(board: Dashboard) -> dict:
    """Statuses by dimension and in total, each bar linking to the indicators it counts."""
    statuses = _status_labels()
    return {
        "dimensions": {
            "labels": [f"{row.key} {row.name}" for row in board.dimensions],
            "links": [list_url(board.year, dimension=row.key) for row in board.dimensions],
            "datasets": [
                {
                    "label": statuses[status],
                    "data": [row.figures.statuses[status] for row in board.dimensions],
                    "color": STATUS_COLORS[status],
                }
                for status in dashboard.STATUSES
            ],
        },
        "statuses": {
            "labels": [statuses[s] for s in dashboard.STATUSES],
            "links": [list_url(board.year, status=s) for s in dashboard.STATUSES],
            "data": [board.total.statuses[s] for s in dashboard.STATUSES],
            "colors": [STATUS_COLORS[s] for s in dashboard.STATUSES],
            "label": _("จำนวนตัวชี้วัด"),
        },
    }


def _trend_chart(board: Dashboard) -> dict:
    """Achievement, score and reporting share quarter by quarter."""
    lines = (
        (_("ผลสำเร็จเฉลี่ย (%)"), "achievement", "#0072B2"),
        (_("คะแนนเฉลี่ย"), "score", "#E69F00"),
        (_("รายงานแล้ว (%)"), "reported_share", "#009E73"),
    )
    return {
        "labels": [_("ไตรมาส %(quarter)s") % {"quarter": q} for q, _f in board.trend],
        "datasets": [
            {
                "label": label,
                "data": [_number(getattr(f, name)) for _q, f in board.trend],
                "color": color,
            }
            for label, name, color in lines
        ],
    }


def chart_data(board: Dashboard) -> dict:
    """What the charts draw; each chart's data table on the page shows the same numbers."""
    return _status_charts(board) | {
        "ratings": {
            "labels": [_("ระดับ %(level)s") % {"level": level} for level in dashboard.RATINGS],
            "data": [board.total.ratings[level] for level in dashboard.RATINGS],
            "colors": [RATING_COLORS[level] for level in dashboard.RATINGS],
            "label": _("จำนวนตัวชี้วัด"),
        },
        "trend": _trend_chart(board),
    }


def _number(value) -> float | None:
    return None if value is None else float(value)


def _context(request: HttpRequest, fiscal_year: FiscalYear, board: Dashboard) -> dict:
    year = board.year
    return {
        "fiscal_year": fiscal_year,
        "board": board,
        "quarters": QUARTERS,
        "workflow": access.sees_dashboard_workflow(request.user),
        "scoped": access.dashboard_agency_ids(request.user) is not None,
        "charts": chart_data(board),
        "status_labels": _status_labels(),
        "status_rows": [
            (key, label, board.total.statuses[key], list_url(year, status=key))
            for key, label in _status_labels().items()
        ],
        "rating_rows": [(level, board.total.ratings[level]) for level in dashboard.RATINGS],
        "list_all": list_url(year),
        "tables": _tables(board),
    }


def _tables(board: Dashboard) -> dict[str, list]:
    """The table lines, each agency's formatted once for its table and the late list."""
    agencies = lines(board.agencies, "agency", board.year)
    return {
        "agencies": agencies,
        "groups": lines(board.groups, "group", board.year),
        "dimensions": lines(board.dimensions, "dimension", board.year),
        "late": [
            line
            for line, row in zip(agencies, board.agencies, strict=True)
            if row.figures.late or row.figures.returned
        ],
    }


@public_page
def dashboard_page(request: HttpRequest, year: int) -> HttpResponse:
    def build() -> dict:
        fiscal_year, board = _board(request, year)
        return _context(request, fiscal_year, board)

    return fragment_page(request, "reports/dashboard/page.html", build, year=year)


def _svg_charts(charts: dict) -> list:
    titles = {
        "statuses": _("สถานะของตัวชี้วัด"),
        "ratings": _("ระดับผลการประเมิน 5 ระดับ"),
        "dimensions": _("ผลตามด้านยุทธศาสตร์"),
        "trend": _("แนวโน้มรายไตรมาส"),
    }
    return dashboard_charts(charts, titles)


def _print_context(request: HttpRequest, year: int) -> dict:
    fiscal_year, board = _board(request, year)
    context = _context(request, fiscal_year, board)
    return context | {"svg_charts": _svg_charts(context["charts"])}


def dashboard_print(request: HttpRequest, year: int) -> HttpResponse:
    """One A4 landscape page for meetings; the charts are SVG drawn on the server."""
    return render(request, "reports/dashboard/print.html", _print_context(request, year))


def dashboard_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The print view as a tagged PDF, through the one PDF pipeline.

    Kept per data version for everyone who sees the same figures (agencies, report scope,
    workflow columns).
    """
    context = _print_context(request, year) | {"pdf": True}
    board = context["board"]

    def build() -> bytes:
        html = render_to_string("reports/dashboard/print.html", context, request=request)
        return pdf.write(pdf.render(html, stylesheets=()))

    agencies = access.dashboard_agency_ids(request.user)
    scope = access.report_scope(request.user)
    parts = [board.year, board.quarter, agencies, scope.key, context["workflow"], get_language()]
    key_text = "|".join(map(str, [*parts, timezone.localdate()]))
    data = remember("dashboard-pdf", key_text, build, year=board.year, scope=scope)
    return pdf_response(data, f"dashboard-{board.year}-q{board.quarter}.pdf")
