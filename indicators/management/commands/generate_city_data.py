"""Generate realistic city-scale data in bulk, for benchmarks.

Years end with the current fiscal year: past years hold four closed quarters (approved, some
late, some returned once), the current year its quarters so far, the open one in progress.
As in a city that rolls its plan over, most indicators continue last year's of the same code
(their line across years); a share are new each year.
Every strategic indicator serves a strategy; success-level ones carry their criteria; most name
projects and datasets; every report and indicator has its history and review comments
(indicators.city_data, indicators.city_story). Written with bulk inserts and COPY.
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from indicators.cache import raise_after_commit
from indicators.city_data import (
    CityStaff,
    LinkSources,
    ensure_datasets,
    ensure_staff,
    set_kind,
    strategy_nodes,
    write_links,
)
from indicators.city_story import Story, Teller, settle, write_indicator_history, write_stories
from indicators.demo_data import (
    DEPARTMENT_TEMPLATES,
    DISTRICT_TEMPLATES,
    Template,
    build_indicator,
    build_reports,
)
from indicators.models import (
    Agency,
    FiscalYear,
    Indicator,
    QuarterReport,
    fiscal_year_of,
    quarter_of,
)
from indicators.reference_data import load_fiscal_year, load_reference
from indicators.standing import refresh_all

# Generated indicators are numbered from here so they never collide with real or demo ones.
FIRST_NUMBER = 10_000
# The share of a year's indicators that are new rather than rolled over from the year before.
NEW_SHARE = 0.1
BATCH = 2_000


class Command(BaseCommand):
    help = (
        "Generate N indicators over Y fiscal years ending with the current one: strategy links, "
        "criteria, projects, datasets, reports with history and review comments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicators", type=int, default=30_000, help="total indicators")
        parser.add_argument("--years", type=int, default=5, help="fiscal years, ending this one")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        today = timezone.localdate()
        load_reference()
        last = fiscal_year_of(today)
        for year in range(last - options["years"] + 1, last + 1):
            load_fiscal_year(year)
        years = FiscalYear.objects.filter(year__gt=last - options["years"], year__lte=last)
        per_year = options["indicators"] // options["years"]
        agencies = list(Agency.objects.order_by("prefix"))
        nodes, leaves = strategy_nodes()
        generator = Generator(
            agencies=agencies,
            staff=ensure_staff(agencies),
            sources=LinkSources(nodes, leaves, ensure_datasets()),
            rng=random.Random(options["seed"]),
            current=(last, quarter_of(today)),
        )
        created = 0
        for fiscal_year in years.prefetch_related("windows").order_by("year"):
            created += generator.year(fiscal_year, per_year)
        raise_after_commit()  # bulk inserts send no signals; cached pages must see the new rows
        if connection.vendor == "postgresql":
            # Fresh bulk inserts leave the planner without statistics: it would guess row counts
            # and pick nested loops over 120,000 reports.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Generated {created} indicators in {elapsed:.1f} s"))
        # The stored standings of the new years now, not on their first page's request.
        started = time.perf_counter()
        refreshed = refresh_all()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Standings of {len(refreshed)} years computed in {elapsed:.1f} s")


class Generator:
    def __init__(
        self,
        *,
        agencies: list[Agency],
        staff: CityStaff,
        sources: LinkSources,
        rng: random.Random,
        current: tuple[int, int],
    ) -> None:
        self.agencies = agencies
        self.sources = sources
        self.rng = rng
        self.current = current
        self.teller = Teller(staff, rng, timezone.localtime())
        self.templates = DISTRICT_TEMPLATES + [
            t for ts in DEPARTMENT_TEMPLATES.values() for t in ts
        ]

    def year(self, fiscal_year: FiscalYear, count: int) -> int:
        existing = set(
            Indicator.objects.filter(fiscal_year=fiscal_year, number__gte=FIRST_NUMBER).values_list(
                "code", flat=True
            )
        )
        per_agency = -(-count // len(self.agencies))
        last_year = dict(
            Indicator.objects.filter(
                fiscal_year_id=fiscal_year.year - 1, number__gte=FIRST_NUMBER
            ).values_list("code", "pk")
        )
        pending: list[tuple[Indicator, Template]] = []
        for agency in self.agencies:
            for index in range(per_agency):
                if len(pending) + len(existing) >= count:
                    break
                number = FIRST_NUMBER + index
                if Indicator.build_code(agency.prefix, number) in existing:
                    continue
                template = self.templates[(index + int(agency.prefix)) % len(self.templates)]
                indicator = build_indicator(fiscal_year, agency, number, template, index + 1)
                set_kind(indicator, self.rng)
                if self.rng.random() >= NEW_SHARE:
                    indicator.continues_id = last_year.get(indicator.code)
                pending.append((indicator, template))
        for start in range(0, len(pending), BATCH):
            self.insert(fiscal_year, pending[start : start + BATCH])
        return len(pending)

    @transaction.atomic
    def insert(self, fiscal_year: FiscalYear, batch: list[tuple[Indicator, Template]]) -> None:
        indicators = Indicator.objects.bulk_create([indicator for indicator, _ in batch])
        entered = datetime.datetime.combine(
            fiscal_year.start_date - datetime.timedelta(days=20),
            datetime.time(9),
            tzinfo=self.teller.now.tzinfo,
        )
        write_indicator_history(indicators, entered)
        write_links(batch, self.sources, self.rng)
        last_year, open_quarter = self.current
        quarters = open_quarter if fiscal_year.year == last_year else 4
        reports: list[QuarterReport] = []
        stories: list[Story] = []
        for indicator, template in batch:
            built, assessments = build_reports(
                indicator, template, quarters, self.rng, assessed=True
            )
            for report, assessment in zip(built, assessments, strict=True):
                is_open = fiscal_year.year == last_year and report.quarter == open_quarter
                tell = self.teller.current if is_open else self.teller.closed
                story = tell(report, assessment)
                settle(report, story)
                reports.append(report)
                stories.append(story)
        QuarterReport.objects.bulk_create(reports)
        write_stories(reports, stories)
