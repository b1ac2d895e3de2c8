"""One city indicator across its agencies: ranked rows, district groups, the city's figure.

Every number comes from the rules that exist: each agency's row is `summaries.summarize()` of
its own indicator (what its detail page shows this reader, by `access.report_scope`), the city's
figure is `scoring.city_figure` and the ranks `scoring.competition_ranks`. Four queries, however
many agencies.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators import scoring
from indicators.access import ReportScope
from indicators.models import Agency, CityIndicator, DistrictGroup, Indicator
from indicators.models.reference import localized
from indicators.summaries import IndicatorSummary, summarize

# The map's colour bands: the reported achievement cut at the year's rating thresholds. A band is
# a colour, not a rating: ratings come from official scores only (DESIGN §4).
BAND_LEVELS = (5, 4, 3, 2, 1)
DEPARTMENTS_LABEL = _("สำนักและสำนักงาน")


@dataclass(frozen=True)
class AgencyRow:
    summary: IndicatorSummary
    rank: int | None
    band: int | None  # 1–5 by achievement, None when nothing is reported

    @property
    def indicator(self) -> Indicator:
        return self.summary.indicator

    @property
    def agency(self) -> Agency:
        return self.summary.indicator.agency

    @property
    def agency_name(self) -> str:
        """A district by its own name (บางคอแหลม), other agencies by their full name."""
        agency = self.agency
        return localized(agency, "short_name") if agency.short_name_th else agency.name


@dataclass
class GroupRows:
    group: DistrictGroup | None  # None: the departments and offices
    rows: list[AgencyRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.group.name if self.group else str(DEPARTMENTS_LABEL)


@dataclass(frozen=True)
class Band:
    level: int
    minimum: Decimal | None  # None for the lowest band
    maximum: Decimal | None  # exclusive; None for the highest band


@dataclass(frozen=True)
class Comparison:
    city_indicator: CityIndicator
    rows: list[AgencyRow]  # ranked, then unranked by agency code
    city_figure: Decimal | None
    bands: list[Band]

    @property
    def groups(self) -> list[GroupRows]:
        """The ranked rows under their district groups (in the city's order), departments last."""
        groups: dict[int | None, GroupRows] = {}
        for row in self.rows:
            group = row.agency.group
            groups.setdefault(group.pk if group else None, GroupRows(group)).rows.append(row)
        return sorted(
            groups.values(),
            key=lambda g: (g.group is None, g.group.order if g.group else 0, g.label),
        )

    @property
    def reported_count(self) -> int:
        return sum(1 for row in self.rows if row.summary.overall_result is not None)

    def by_agency_code(self) -> dict[str, AgencyRow]:
        return {row.agency.code: row for row in self.rows}


def bands_of(thresholds: list[Decimal]) -> list[Band]:
    """The colour bands, best first: ≥ t5, t4 – t5, …, below t2."""
    edges: list[Decimal | None] = [*thresholds, None]
    uppers: list[Decimal | None] = [None, *thresholds]
    return [
        Band(level, low, high) for level, low, high in zip(BAND_LEVELS, edges, uppers, strict=True)
    ]


def compare(city_indicator: CityIndicator, scope: ReportScope) -> Comparison:
    """Every agency's indicator of `city_indicator` as a reader of `scope` sees it."""
    fiscal_year = city_indicator.fiscal_year
    indicators = list(
        city_indicator.assignments.with_reports(visible=scope.reports_q()).order_by(
            "agency__prefix"
        )
    )
    summaries = [summarize(indicator) for indicator in indicators]
    ranks = scoring.competition_ranks([s.achievement for s in summaries])
    thresholds = fiscal_year.rating_thresholds()
    rows = [
        AgencyRow(summary, rank, scoring.rating(summary.achievement, thresholds))
        for summary, rank in zip(summaries, ranks, strict=True)
    ]
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.agency.prefix))
    figure = scoring.city_figure((s.overall_result for s in summaries), city_indicator.city_rule)
    return Comparison(city_indicator, rows, figure, bands_of(thresholds))
