"""Generate realistic city-scale data in bulk, for benchmarks."""

import random
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from indicators.cache import raise_after_commit
from indicators.demo_data import (
    DEPARTMENT_TEMPLATES,
    DISTRICT_TEMPLATES,
    Template,
    build_indicator,
    build_reports,
)
from indicators.models import Agency, Assessment, FiscalYear, Indicator, QuarterReport
from indicators.reference_data import load_fiscal_year, load_reference

# Generated indicators are numbered from here so they never collide with real or demo ones.
FIRST_NUMBER = 10_000
BATCH = 2_000


class Command(BaseCommand):
    help = (
        "Generate N indicators per fiscal year over Y years, with four reported, scored quarters."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicators", type=int, default=30_000, help="total indicators")
        parser.add_argument("--years", type=int, default=5, help="fiscal years, ending 2566")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        load_reference()
        years = [load_fiscal_year(y) for y in range(2567 - options["years"], 2567)]
        per_year = options["indicators"] // len(years)
        agencies = list(Agency.objects.order_by("prefix"))
        templates = DISTRICT_TEMPLATES + [t for ts in DEPARTMENT_TEMPLATES.values() for t in ts]
        rng = random.Random(options["seed"])
        created = 0
        for fiscal_year in years:
            created += self._generate_year(fiscal_year, agencies, templates, per_year, rng)
        raise_after_commit()  # bulk inserts send no signals; cached pages must see the new rows
        if connection.vendor == "postgresql":
            # Fresh bulk inserts leave the planner without statistics: it would guess row counts
            # and pick nested loops over 120,000 reports.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Generated {created} indicators in {elapsed:.1f} s"))

    def _generate_year(self, fiscal_year: FiscalYear, agencies, templates, count: int, rng) -> int:
        existing = set(
            Indicator.objects.filter(fiscal_year=fiscal_year, number__gte=FIRST_NUMBER).values_list(
                "code", flat=True
            )
        )
        per_agency = -(-count // len(agencies))
        pending: list[tuple[Indicator, Template]] = []
        for agency in agencies:
            for index in range(per_agency):
                if len(pending) + len(existing) >= count:
                    break
                number = FIRST_NUMBER + index
                if Indicator.build_code(agency.prefix, number) in existing:
                    continue
                template = templates[(index + int(agency.prefix)) % len(templates)]
                pending.append(
                    (build_indicator(fiscal_year, agency, number, template, index + 1), template)
                )
        for start in range(0, len(pending), BATCH):
            self._insert(pending[start : start + BATCH], rng)
        return len(pending)

    @transaction.atomic
    def _insert(self, batch, rng) -> None:
        indicators = Indicator.objects.bulk_create([indicator for indicator, _ in batch])
        reports, assessments = [], []
        for indicator, (_, template) in zip(indicators, batch, strict=True):
            quarter_reports, quarter_assessments = build_reports(
                indicator, template, 4, rng, assessed=True
            )
            reports += quarter_reports
            assessments += quarter_assessments
        QuarterReport.objects.bulk_create(reports)
        Assessment.objects.bulk_create(assessments)
