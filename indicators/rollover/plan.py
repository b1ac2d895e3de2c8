"""What a rollover would do, worked out without writing: the preview and the service share it.

Each chosen indicator of the source year becomes one row: the code and number it keeps in the
new year, the target proposed (last year's), and whether it is new, already carried on (an
indicator of the new year continues it) or skipped (its code is taken there by another one, or
it is a district's share of a city indicator, which the city assigns anew each year).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from indicators.models import Agency, Indicator


class RowStatus(StrEnum):
    NEW = "new"
    EXISTS = "exists"  # already continued in the target year: reported, not copied again
    SKIPPED = "skipped"  # its code is taken in the target year by an indicator continuing none
    CITY = "city"  # a city indicator's assignment: the city assigns each year's (compare/services)


STATUS_LABELS = {
    RowStatus.NEW: _("จะคัดลอก"),
    RowStatus.EXISTS: _("มีอยู่แล้ว"),
    RowStatus.SKIPPED: _("ข้าม: รหัสนี้ถูกใช้แล้วในปีใหม่"),
    RowStatus.CITY: _("ข้าม: ตัวชี้วัดระดับเมือง กรุงเทพมหานครมอบหมายใหม่ทุกปี"),
}


@dataclass
class PlanRow:
    source: Indicator
    code: str  # the code in the new year: the same agency prefix and number
    target: Decimal  # proposed: last year's target
    status: RowStatus
    existing: Indicator | None = None  # the target year's indicator holding the code

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class RolloverPlan:
    source_year: int
    target_year: int
    rows: list[PlanRow] = field(default_factory=list)

    def of_status(self, status: RowStatus) -> list[PlanRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def new_rows(self) -> list[PlanRow]:
        return self.of_status(RowStatus.NEW)

    @property
    def existing(self) -> list[PlanRow]:
        return self.of_status(RowStatus.EXISTS)

    @property
    def skipped(self) -> list[PlanRow]:
        """Rows not copied and not already there: a taken code, or a city indicator's share."""
        return self.of_status(RowStatus.SKIPPED) + self.of_status(RowStatus.CITY)


@dataclass(frozen=True)
class Selection:
    """Which indicators of the source year to carry: by agency, district group or id (all
    when nothing is chosen)."""

    source_year: int
    target_year: int
    agencies: tuple[str, ...] = ()  # prefixes
    groups: tuple[str, ...] = ()  # district group codes
    indicator_ids: tuple[int, ...] = ()

    def sources(self) -> QuerySet[Indicator]:
        queryset = Indicator.objects.in_year(self.source_year)
        if self.agencies or self.groups:
            queryset = queryset.filter(
                Q(agency__prefix__in=self.agencies) | Q(agency__group__code__in=self.groups)
            )
        if self.indicator_ids:
            queryset = queryset.filter(pk__in=self.indicator_ids)
        return queryset.select_related("agency").order_by("agency__prefix", "number")


def unknown_agencies(prefixes: Iterable[str]) -> list[str]:
    """The prefixes among `prefixes` that name no agency."""
    wanted = set(prefixes)
    known = set(Agency.objects.filter(prefix__in=wanted).values_list("prefix", flat=True))
    return sorted(wanted - known)


def build_plan(selection: Selection) -> RolloverPlan:
    """The preview: three queries however many indicators (sources, target year's holders)."""
    sources = list(selection.sources())
    codes = [Indicator.build_code(s.agency.prefix, s.number) for s in sources]
    holders = {
        indicator.code: indicator
        for indicator in Indicator.objects.in_year(selection.target_year).filter(
            Q(code__in=codes) | Q(continues__in=[s.pk for s in sources])
        )
    }
    continued = {h.continues_id: h for h in holders.values() if h.continues_id is not None}
    plan = RolloverPlan(selection.source_year, selection.target_year)
    for source, code in zip(sources, codes, strict=True):
        if source.pk in continued:
            row = PlanRow(source, code, source.target, RowStatus.EXISTS, continued[source.pk])
        elif source.city_indicator_id is not None:
            row = PlanRow(source, code, source.target, RowStatus.CITY, holders.get(code))
        elif code in holders:
            row = PlanRow(source, code, source.target, RowStatus.SKIPPED, holders[code])
        else:
            row = PlanRow(source, code, source.target, RowStatus.NEW)
        plan.rows.append(row)
    return plan
