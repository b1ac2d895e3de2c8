from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indicators import access
from indicators.models import Indicator, fiscal_year_of


def home(request: HttpRequest) -> HttpResponse:
    """The current fiscal year at a glance and the ways in."""
    current_year = fiscal_year_of(timezone.localdate())
    years = access.visible_years(request.user)
    return render(
        request,
        "indicators/home.html",
        {
            "current_year": current_year,
            "years": years,
            "indicator_count": Indicator.objects.filter(fiscal_year__in=years).count(),
        },
    )
