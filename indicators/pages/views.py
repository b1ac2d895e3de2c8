"""The pages everyone reads: home, indicator list, indicator detail, agency and strategy tree.

Each view asks indicators.access first (404 when the user may not see the object) and takes its
derived facts from indicators.summaries, which the PDF sheet shares.
"""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indicators import access, summaries
from indicators import strategy_tree as tree
from indicators.agency_page import agency_page
from indicators.cache import indicator_agencies, page_year, public_page, remember
from indicators.fragments import fragment_page
from indicators.history import indicator_history
from indicators.models import (
    QUARTERS,
    DistrictGroup,
    FiscalYear,
    Indicator,
    StrategyNode,
    fiscal_year_of,
)
from indicators.pages.filters import IndicatorFilter
from indicators.rollover.lineage import line_chart, line_indicators, year_line
from indicators.rollups import status_totals
from indicators.summaries import (
    chart_data,
    counts_from_totals,
    node_label,
    status_label,
    summarize,
)

PAGE_SIZE = 25


def _year_at_a_glance(years: list[FiscalYear], current: int) -> FiscalYear | None:
    """The current fiscal year if visible, else the newest visible one."""
    return next((y for y in years if y.year == current), years[0] if years else None)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The current fiscal year at a glance and the ways in."""
    years = list(access.menu_years(request.user))
    current = fiscal_year_of(timezone.localdate())
    year = _year_at_a_glance(years, current)
    counts: list = []
    total = 0
    scope = access.report_scope(request.user)
    if year is not None:
        totals = remember(
            "home-status",
            f"{year.year}|{scope.key}",
            lambda: status_totals(Indicator.objects.in_year(year.year), scope),
            year=year.year,
            scope=scope,
        )
        counts = counts_from_totals(totals)
        total = sum(totals.values())
    return render(
        request,
        "indicators/home.html",
        {
            "current_year": current,
            "year": year,
            "years": years,
            "indicator_count": total,
            "counts": counts,
            "dimensions": StrategyNode.objects.dimensions().select_related("plan"),
            "groups": DistrictGroup.objects.all(),
        },
    )


@public_page
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Filters, search, sorting and paging; every choice stays in the URL."""
    return fragment_page(
        request,
        "indicators/indicator_list.html",
        lambda: _list_context(request),
        year=page_year(request, {}),
    )


def _list_context(request: HttpRequest) -> dict:
    years = access.visible_years(request.user)
    # By the year's number: "-fiscal_year" would follow FiscalYear's own (newest-first) order
    # and list the oldest year first.
    queryset = Indicator.objects.filter(fiscal_year__in=years).order_by(
        "-fiscal_year_id", "agency__prefix", "number"
    )
    data = request.GET.copy()
    default_year = None
    if not data:
        # The bare list opens on one fiscal year: a city's 30,000 indicators of every year are
        # no page to read (nor to count). Choosing "ทุกปี" sends year= and lists every year.
        current = fiscal_year_of(timezone.localdate())
        default_year = _year_at_a_glance(list(years), current)
        if default_year is not None:
            data["year"] = str(default_year.year)
    filterset = IndicatorFilter(data, queryset=queryset, user=request.user)
    scope = access.report_scope(request.user)
    # Each card shows its agency and the year's rating thresholds (summarize()).
    chosen = filterset.qs.select_related("agency", "fiscal_year")
    rows = summaries.cards(chosen, scope) if filterset.is_valid() else queryset.none()
    # A search without a chosen order lists the closest names first.
    if "similarity" in rows.query.annotations and not request.GET.get("sort"):
        rows = rows.order_by(F("similarity").desc(), "-fiscal_year_id", "agency__prefix", "number")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = data.copy()
    params.pop("page", None)
    return {
        "filter": filterset,
        "page": page,
        "summaries": [summarize(indicator) for indicator in page.object_list],
        "query_string": params.urlencode(),
        "default_year": default_year,
    }


@public_page
def indicator_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The page of the city's seed: same sections and labels, plus status, chart and history."""
    # Not keyed by `year`: the page draws the indicator's line over every year (year_line). Keyed
    # by its agency's data: a write to an indicator raises the version of every agency on its
    # line (data_versions.owner_of).
    return fragment_page(
        request,
        "indicators/indicator_detail.html",
        lambda: _detail_context(request, year, code),
        agencies=partial(indicator_agencies, year, code),
        line=(year, code),
    )


def _detail_context(request: HttpRequest, year: int, code: str) -> dict:
    scope = access.report_scope(request.user)
    indicator = access.visible_indicator(request.user, summaries.page_queryset(scope), year, code)
    others = line_indicators(indicator, request.user)
    summaries.load_details(indicator, scope=scope, line=others)
    summary = summarize(
        indicator, with_paths=True, with_quality=access.may_see_quality(request.user)
    )
    line = year_line(summary, others)
    return {
        "indicator": indicator,
        "summary": summary,
        "status_label": status_label(summary.status),
        "chart": chart_data(summary),
        "year_line": line if len(line) > 1 else [],
        "year_chart": line_chart(line),
        "history": indicator_history(
            indicator,
            scope=scope,
            with_review_notes=access.may_see_review_notes(request.user, indicator.agency_id),
        ),
        "strategy_labels": [[node_label(n) for n in path] for path in summary.strategy_paths],
        "routine_mission": summaries.ROUTINE_MISSION_LABEL,
        "show_names": access.may_see_names(request.user),
        "show_quality": access.may_see_quality(request.user),
        "may_report": access.is_member(request.user, indicator.agency_id),
        "may_review": access.is_auditor(request.user),
    }


@public_page
def agency_detail(request: HttpRequest, prefix: str, year: int) -> HttpResponse:
    """An agency's indicators of one year grouped by dimension, with the quarter grid."""
    return fragment_page(
        request,
        "indicators/agency_detail.html",
        lambda: _agency_context(request, prefix, year),
        year=year,
    )


def _agency_context(request: HttpRequest, prefix: str, year: int) -> dict:
    fiscal_year = access.visible_year(request.user, year)
    agency = access.visible_agency(request.user, prefix)
    scope = access.report_scope(request.user)
    content = agency_page(fiscal_year, agency, scope, request.GET.get("page"))
    return {
        "agency": agency,
        "fiscal_year": fiscal_year,
        "groups": content.groups,
        "counts": content.counts,
        "total": content.total,
        "page": content.page,
        "quarters": QUARTERS,
        "years": access.menu_years(request.user),
    }


@public_page
def strategy_tree(request: HttpRequest, year: int) -> HttpResponse:
    """The plan tree; each node with its indicators and how many reached their target."""
    return fragment_page(
        request,
        "indicators/strategy_tree.html",
        lambda: _strategy_context(request, year),
        year=year,
    )


def _strategy_context(request: HttpRequest, year: int) -> dict:
    fiscal_year = access.visible_year(request.user, year)
    roots = tree.strategy_tree(fiscal_year.year, access.report_scope(request.user))
    return {
        "fiscal_year": fiscal_year,
        "roots": roots,
        "years": access.menu_years(request.user),
        "direct_limit": tree.DIRECT_LIMIT,
    }
