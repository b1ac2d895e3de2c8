"""Assigning a city indicator to agencies: the one writer of `Indicator.city_indicator`."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from indicators.cache import raise_after_commit
from indicators.models import Agency, CityIndicator, Indicator


@dataclass
class Assignment:
    """What one call did: indicators created, ones already there, agencies it had to skip."""

    created: list[Indicator] = field(default_factory=list)
    existing: list[Indicator] = field(default_factory=list)
    # The agency already uses the city indicator's number for another indicator of the year.
    conflicts: list[Agency] = field(default_factory=list)


def _agency_indicator(city: CityIndicator, agency: Agency, target: Decimal) -> Indicator:
    """The agency's own indicator of `city`: the city's definition, the agency's target."""
    indicator = Indicator(
        fiscal_year_id=city.fiscal_year_id,
        agency=agency,
        number=city.number,
        code=Indicator.build_code(agency.prefix, city.number),
        name_th=city.name_th,
        name_en=city.name_en,
        unit=city.unit,
        measure=city.measure,
        direction=city.direction,
        aggregation=city.aggregation,
        target=target,
        baseline=city.baseline,
        kind=city.kind,
        result_level=city.result_level,
        definition=city.definition,
        calculation_method=city.calculation_method,
        city_indicator=city,
    )
    return indicator


def city_indicator_assign(
    *,
    city_indicator: CityIndicator,
    agencies: Iterable[Agency],
    targets: Mapping[str, Decimal] | None = None,
    by: User | None = None,
) -> Assignment:
    """Give each agency its own indicator of `city_indicator`; a second call changes nothing.

    `targets` are agency targets by prefix (else the city's default target). An agency that
    already measures the city indicator keeps its indicator, target and results as they are.
    """
    targets = targets or {}
    result = Assignment()
    with transaction.atomic():
        # One assignment of a city indicator at a time: two would race for the same codes.
        city = CityIndicator.objects.select_for_update().get(pk=city_indicator.pk)
        chosen = sorted(set(agencies), key=lambda agency: agency.prefix)
        existing = {i.agency_id: i for i in city.assignments.select_related("agency")}
        codes = [Indicator.build_code(agency.prefix, city.number) for agency in chosen]
        taken = set(
            Indicator.objects.filter(fiscal_year_id=city.fiscal_year_id, code__in=codes)
            .exclude(city_indicator=city)
            .values_list("agency_id", flat=True)
        )
        for agency in chosen:
            if agency.pk in existing:
                result.existing.append(existing[agency.pk])
            elif agency.pk in taken:
                result.conflicts.append(agency)
            else:
                target = targets.get(agency.prefix, city.target)
                result.created.append(_agency_indicator(city, agency, target))
        # One insert for all 50 districts, each with its history row; bulk inserts send no
        # signals, so the data version is raised here.
        result.created = bulk_create_with_history(
            result.created,
            Indicator,
            default_user=by,
            default_change_reason=f"ตัวชี้วัดระดับเมือง {city.slug}",
        )
        raise_after_commit()
    return result
