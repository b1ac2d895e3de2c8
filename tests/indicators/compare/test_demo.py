"""The demo's city indicators: three of them, each measured by all 50 districts every year."""

import pytest

from indicators.models import CityIndicator, Indicator, QuarterReport, ReportStatus, fiscal_year_of

pytestmark = pytest.mark.django_db


def test_every_demo_year_has_three_city_indicators_for_all_50_districts(today):
    for year in range(2564, fiscal_year_of(today) + 1):
        cities = CityIndicator.objects.in_year(year)
        assert cities.count() >= 3, year
        for city in cities:
            agencies = city.assignments.values_list("agency__kind", flat=True)
            assert len(agencies) == 50 and set(agencies) == {"district_office"}, city


def test_the_districts_results_vary_and_past_years_are_approved_with_an_audit_quarter():
    past = Indicator.objects.filter(fiscal_year_id=2569, city_indicator__slug="traffy-resolved")
    values = set(
        QuarterReport.objects.filter(indicator__in=past, quarter=4).values_list("value", flat=True)
    )
    assert len(values) > 20
    assert set(past.values_list("audit_quarter", flat=True)) == {4}
    statuses = QuarterReport.objects.filter(indicator__in=past).values_list("status", flat=True)
    assert set(statuses) == {ReportStatus.APPROVED}


def test_the_current_quarter_is_a_draft_for_5030_and_sent_by_most_districts(today):
    current = QuarterReport.objects.filter(
        indicator__fiscal_year_id=fiscal_year_of(today), indicator__city_indicator__isnull=False
    )
    own = current.filter(indicator__agency__prefix="5030")
    assert own.count() == 3 and set(own.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    assert current.filter(status=ReportStatus.SUBMITTED).count() >= 100  # of 150
