import pytest
from django.core.management import call_command

from indicators.management.commands.generate_city_data import FIRST_NUMBER
from indicators.models import Assessment, Indicator, QuarterReport

pytestmark = pytest.mark.django_db


def test_generates_indicators_with_four_scored_quarters_and_is_repeatable():
    generated = Indicator.objects.filter(number__gte=FIRST_NUMBER)
    call_command("generate_city_data", indicators=300, years=2, verbosity=0)
    assert generated.count() == 300
    assert generated.values("fiscal_year").distinct().count() == 2
    assert generated.order_by().values("agency").distinct().count() == 50
    reports = QuarterReport.objects.filter(indicator__in=generated)
    assert reports.count() == 1200
    assert Assessment.objects.filter(report__in=reports).count() == 1200
    assert not reports.filter(narrative="").exists()
    call_command("generate_city_data", indicators=300, years=2, verbosity=0)
    assert generated.count() == 300, "a second run adds nothing"
