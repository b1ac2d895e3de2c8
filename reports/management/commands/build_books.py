"""Build every agency's book of one fiscal year, for the archive."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from indicators.models import Agency, FiscalYear
from reports.book_pdf import agency_book_pdf


class Command(BaseCommand):
    help = "Build the PDF books of all agencies with indicators in a fiscal year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Buddhist Era year, e.g. 2564")
        parser.add_argument(
            "-o", "--output", type=Path, help="folder for the PDFs (default var/books/<year>)"
        )
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)
        parser.add_argument("--agency", action="append", help="only these 4-digit prefixes")

    def handle(self, *args, year: int, output: Path | None, language: str, **options) -> None:
        if not FiscalYear.objects.filter(pk=year).exists():
            raise CommandError(f"no fiscal year {year}")
        folder = output or Path(settings.VAR_DIR) / "books" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        agencies = Agency.objects.filter(indicators__fiscal_year_id=year).distinct()
        if options["agency"]:
            agencies = agencies.filter(prefix__in=options["agency"])
        with translation.override(language):
            for agency in agencies.order_by("prefix"):
                self._build(agency, year, folder)

    def _build(self, agency: Agency, year: int, folder: Path) -> None:
        started = time.perf_counter()
        path = folder / f"{agency.prefix}-{year}.pdf"
        path.write_bytes(agency_book_pdf(agency, year))
        seconds = time.perf_counter() - started
        self.stdout.write(f"{path} ({path.stat().st_size // 1024} KB, {seconds:.1f} s)")
