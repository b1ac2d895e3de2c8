"""City-scale data: generate it once (timed), reuse it afterwards."""

from django.core.management import call_command

from benchmarks.harness import record, timed
from indicators.models import Indicator, QuarterReport

INDICATORS = 30_000
YEARS = 5


def run() -> None:
    if Indicator.objects.count() >= INDICATORS:
        record("city-scale data", f"reused: {Indicator.objects.count()} indicators")
        return
    seconds = timed(
        lambda: call_command("generate_city_data", indicators=INDICATORS, years=YEARS, verbosity=0)
    )
    record(
        f"generate_city_data --indicators {INDICATORS} --years {YEARS}",
        f"{seconds:.1f} s ({QuarterReport.objects.count()} quarter reports)",
        "< 120 s",
        seconds < 120,
    )
