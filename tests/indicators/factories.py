"""Extra indicators for scale tests: a fiscal year of `count` indicators across agencies."""

import random

from indicators import standing
from indicators.demo_data import DISTRICT_TEMPLATES, build_indicator, build_reports
from indicators.models import (
    Agency,
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
    StrategyNode,
)

SCALE_YEAR = 2590


def make_year_of(count: int, year: int = SCALE_YEAR) -> FiscalYear:
    """`count` indicators in a published year, reported and scored for 1–4 quarters.

    Written in bulk (five queries whatever `count`): the scale tests measure the pages, and
    saving 200 indicators one by one with their history cost them seconds each. The year's
    stored standings are computed at the end, as the services keep them: the pages are
    measured as their readers find them after a save.
    """
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=year, defaults={"is_published": True})
    agencies = list(Agency.objects.filter(prefix__startswith="50")[:5])
    nodes = {n.code: n for n in StrategyNode.objects.all()}
    templates = [DISTRICT_TEMPLATES[index % len(DISTRICT_TEMPLATES)] for index in range(count)]
    indicators = Indicator.objects.bulk_create(
        build_indicator(
            fiscal_year, agencies[index % len(agencies)], 3000 + index, template, index + 1
        )
        for index, template in enumerate(templates)
    )
    Indicator.strategy_nodes.through.objects.bulk_create(
        Indicator.strategy_nodes.through(indicator=indicator, strategynode=nodes[template.node])
        for indicator, template in zip(indicators, templates, strict=True)
    )
    rng = random.Random(count)
    reports: list[QuarterReport] = []
    assessments: list[Assessment] = []
    for index, (indicator, template) in enumerate(zip(indicators, templates, strict=True)):
        built = build_reports(indicator, template, 1 + index % 4, rng, assessed=index % 3 != 0)
        reports += built[0]
        assessments += built[1]
    QuarterReport.objects.bulk_create(reports)
    Assessment.objects.bulk_create(assessments)
    standing.refresh_year(year)
    return fiscal_year
