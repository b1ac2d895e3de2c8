from django.core.management.base import BaseCommand

from indicators.reference_data import load_reference


class Command(BaseCommand):
    help = "Load the district groups, agencies, the 20-year plan and fiscal years 2563–2566."

    def handle(self, *args, **options) -> None:
        load_reference()
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
