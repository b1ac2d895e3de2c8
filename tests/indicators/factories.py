"""Extra indicators for scale tests: a fiscal year of `count` indicators across agencies."""

import random

from indicators.demo_data import DISTRICT_TEMPLATES, build_indicator, build_reports
from indicators.models import Agency, Assessment, FiscalYear, QuarterReport, StrategyNode

SCALE_YEAR = 2590


def make_year_of(count: int, year: int = SCALE_YEAR) -> FiscalYear:
    """`count` indicators in a published year, reported and scored for 1–4 quarters."""
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=year, defaults={"is_published": True})
    agencies = list(Agency.objects.filter(prefix__startswith="50")[:5])
    nodes = {n.code: n for n in StrategyNode.objects.all()}
    rng = random.Random(count)
    for index in range(count):
        agency = agencies[index % len(agencies)]
        template = DISTRICT_TEMPLATES[index % len(DISTRICT_TEMPLATES)]
        indicator = build_indicator(fiscal_year, agency, 3000 + index, template, index + 1)
        indicator.save()
        indicator.strategy_nodes.add(nodes[template.node])
        reports, assessments = build_reports(
            indicator, template, 1 + index % 4, rng, assessed=index % 3 != 0
        )
        QuarterReport.objects.bulk_create(reports)
        Assessment.objects.bulk_create(assessments)
    return fiscal_year
