"""The status the database computes for the list filter is the status scoring.status() gives."""

from decimal import Decimal

import pytest

from indicators.models import Indicator
from indicators.presentation import sql_status_available, summarize, with_status

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if not sql_status_available():
        pytest.skip("the SQL status runs on PostgreSQL; elsewhere summarize() decides")


def python_and_sql_statuses() -> list[tuple[str, str, str]]:
    sql = dict(with_status(Indicator.objects.all()).values_list("pk", "status_code"))
    return [
        (indicator.code, summarize(indicator).status.value, sql[indicator.pk])
        for indicator in Indicator.objects.with_reports()
    ]


def test_sql_status_agrees_with_scoring_on_every_demo_indicator():
    rows = python_and_sql_statuses()
    assert len(rows) > 50
    assert {python for _, python, _ in rows} >= {"achieved", "off_track", "not_reported"}
    assert [r for r in rows if r[1] != r[2]] == []


EDGE_CASES = [
    # direction, aggregation, target, baseline, quarter targets, values
    ("higher", "latest", D(0), None, [None] * 4, [D(0), None, None, None]),
    ("higher", "latest", D(0), None, [None] * 4, [D(-1), None, None, None]),
    ("higher", "sum", D(10), None, [D(2), D(5), D(8), D(10)], [D(2), D(3), None, None]),
    ("higher", "average", D(3), None, [None] * 4, [D("2.99"), D(3), D(3), None]),
    ("higher", "max", D(5), None, [D(1), D(2), D(3), D(5)], [D(1), D(2), D("2.5"), None]),
    ("higher", "latest", D(3), None, [None] * 4, [D("2.9999"), None, None, None]),
    ("level", "latest", D(5), None, [D(2), D(3), D(4), D(5)], [D(2), D(3), None, None]),
    ("lower", "latest", D(10), D(20), [D(18), D(15), D(12), D(10)], [D(19), D(14), None, None]),
    ("lower", "latest", D(10), D(8), [None] * 4, [D(9), None, None, None]),
    ("lower", "latest", D(10), D(8), [None] * 4, [D(11), None, None, None]),
    ("lower", "latest", D(10), None, [None] * 4, [D(0), None, None, None]),
    ("lower", "latest", D(10), None, [None] * 4, [D(12), D(10), None, None]),
    ("lower", "sum", D(10), None, [None] * 4, [D(4), D(7), None, None]),
    ("higher", "latest", D(100), None, [None] * 4, [None] * 4),
]


@pytest.mark.parametrize("case", EDGE_CASES)
def test_sql_status_agrees_on_edge_cases(case):
    direction, aggregation, target, baseline, quarter_targets, values = case
    indicator = Indicator.objects.get(fiscal_year=2564, code="5030-1052")
    indicator.direction = direction
    indicator.aggregation = aggregation
    indicator.target = target
    indicator.baseline = baseline
    for quarter, planned in enumerate(quarter_targets, start=1):
        setattr(indicator, f"target_q{quarter}", planned)
    indicator.save()
    for report in indicator.reports.all():
        report.value = values[report.quarter - 1]
        report.save()
    python = summarize(Indicator.objects.with_reports().get(pk=indicator.pk)).status
    sql = with_status(Indicator.objects.filter(pk=indicator.pk)).get().status_code
    assert sql == python.value


def test_sql_achievement_agrees_and_is_empty_when_not_reported():
    sql = dict(with_status(Indicator.objects.all()).values_list("pk", "achievement_sql"))
    for indicator in Indicator.objects.with_reports():
        assert sql[indicator.pk] == summarize(indicator).achievement, indicator.code
