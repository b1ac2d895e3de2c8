"""The comparison pages: a year's city indicators, and one of them across its agencies."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators import access
from indicators.cache import public_page
from indicators.compare.comparison import compare
from indicators.compare.district_map import has_districts, map_areas
from indicators.compare.geometry import district_map
from indicators.models import CityIndicator


@public_page
def compare_list(request: HttpRequest, year: int) -> HttpResponse:
    """The year's city indicators, each with how many agencies measure it."""
    fiscal_year = access.visible_year(request.user, year)
    cities = CityIndicator.objects.in_year(fiscal_year.year).annotate(
        agency_count=Count("assignments")
    )
    return render(
        request,
        "indicators/compare/list.html",
        {"fiscal_year": fiscal_year, "cities": cities, "years": access.menu_years(request.user)},
    )


@public_page
def compare_detail(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """Every agency's result side by side, ranked, by district group, with the district map."""
    fiscal_year = access.visible_year(request.user, year)
    city = get_object_or_404(CityIndicator.objects.in_year(fiscal_year.year), slug=slug)
    city.fiscal_year = fiscal_year
    comparison = compare(city, access.report_scope(request.user))
    with_map = has_districts(comparison)
    return render(
        request,
        "indicators/compare/detail.html",
        {
            "fiscal_year": fiscal_year,
            "city": city,
            "comparison": comparison,
            "map": district_map() if with_map else None,
            "areas": map_areas(comparison) if with_map else [],
        },
    )
