"""Export one fiscal year's indicators or results in the columns the import reads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.models import FiscalYear
from indicators.spreadsheets.exports import export_bytes, export_dataset


class Command(BaseCommand):
    help = "Export indicators or quarter results of a fiscal year as XLSX, CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Buddhist Era year, e.g. 2564")
        parser.add_argument("--what", choices=["indicators", "results"], required=True)
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, year: int, what: str, output: Path, **options) -> None:
        if not FiscalYear.objects.filter(year=year).exists():
            raise CommandError(f"fiscal year {year} does not exist")
        dataset = export_dataset(what, year)
        output.write_bytes(export_bytes(dataset, options["format"]))
        self.stdout.write(f"{output}: {len(dataset)} rows")
