"""The district map of a comparison: each of the 50 districts with its row, link and label."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.compare.comparison import AgencyRow, Comparison
from indicators.compare.geometry import District, district_map
from indicators.models.reference import localized
from indicators.templatetags.kpi import plain


@dataclass(frozen=True)
class MapArea:
    district: District
    row: AgencyRow | None  # None: the district does not measure this city indicator
    href: str | None
    label: str  # what a screen reader and a hovering pointer read

    @property
    def css_class(self) -> str:
        if self.row is None or self.row.band is None:
            return "map-no-data"
        return f"map-band-{self.row.band}"


def _label(district: District, row: AgencyRow | None) -> str:
    name = localized(district, "name")
    if row is None:
        return _("%(name)s: ไม่ได้รับมอบตัวชี้วัดนี้") % {"name": name}
    if row.summary.achievement is None:
        return _("%(name)s: ยังไม่มีผลที่เผยแพร่") % {"name": name}
    return _("%(name)s: ผลงาน %(value)s %(unit)s · ความสำเร็จ %(pct)s%% · อันดับ %(rank)s") % {
        "name": name,
        "value": plain(row.summary.overall_result),
        "unit": row.indicator.unit,
        "pct": plain(row.summary.achievement),
        "rank": row.rank,
    }


def map_areas(comparison: Comparison) -> list[MapArea]:
    """The 50 districts, each matched to its district office's row by the 8-digit BMA code."""
    rows = comparison.by_agency_code()
    areas = []
    for district in district_map().districts:
        row = rows.get(district.agency_code)
        href = None
        if row is not None:
            href = reverse(
                "indicators:indicator-detail",
                args=[row.indicator.fiscal_year_id, row.indicator.code],
            )
        areas.append(MapArea(district, row, href, _label(district, row)))
    return areas


def has_districts(comparison: Comparison) -> bool:
    """Whether any district measures the indicator: departments alone get no map."""
    return any(row.agency.group_id is not None for row in comparison.rows)
