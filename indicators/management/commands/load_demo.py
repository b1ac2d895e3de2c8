from django.core.management.base import BaseCommand

from indicators.demo_data import load_demo
from indicators.models import Indicator, QuarterReport


class Command(BaseCommand):
    help = "Load reference data, the two seed indicators, the demo set and the demo users (idempotent)."

    def handle(self, *args, **options) -> None:
        load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Indicator.objects.count()} indicators, "
                f"{QuarterReport.objects.count()} quarter reports."
            )
        )
