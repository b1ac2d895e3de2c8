"""The agency page's content: an agency's indicators of a year by dimension, paged for big
offices (a district has a few dozen indicators, a department may have hundreds)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from indicators import rollups
from indicators.access import ReportScope
from indicators.models import Agency, FiscalYear, Indicator
from indicators.summaries import (
    DimensionGroup,
    agency_summaries,
    counts_from_totals,
    dimension_order,
    group_by_dimension,
    status_counts,
    strategy_paths,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class AgencyPage:
    page: Page
    groups: list[DimensionGroup]
    counts: list[tuple[str, str, int]]  # of every indicator of the agency, not just this page
    total: int


def agency_page(
    fiscal_year: FiscalYear, agency: Agency, scope: ReportScope, number: str | int | None
) -> AgencyPage:
    """Page `number` of the agency's indicators in the page's order (by dimension, routine
    work last): only that page's indicators are loaded and summarized. An agency of up to
    PAGE_SIZE indicators is one page, as before."""
    pks = list(
        Indicator.objects.filter(fiscal_year=fiscal_year, agency=agency).values_list(
            "pk", flat=True
        )
    )
    paths = strategy_paths(pks)
    pks.sort(key=lambda pk: dimension_order(paths.get(pk, [])))  # stable: numbers stay in order
    page = Paginator(pks, PAGE_SIZE).get_page(number)
    summaries = agency_summaries(
        fiscal_year, agency, scope, pks=list(page.object_list), paths=paths
    )
    if page.paginator.num_pages > 1:
        totals = rollups.agency_status_totals(fiscal_year, agency, scope)
        counts = counts_from_totals(totals)
    else:
        counts = status_counts([summary.status.value for summary in summaries])
    return AgencyPage(page, group_by_dimension(summaries), counts, len(pks))
