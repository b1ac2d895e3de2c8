"""The status the database computes (rollups' SQL) for lists and counts is the one summarize() gives.

Runs on PostgreSQL and on SQLite, the demo's database."""

import random
from decimal import Decimal

import pytest

from indicators.access import FULL_SCOPE, PUBLIC_SCOPE, STAFF_SCOPE
from indicators.data_versions import raise_after_commit
from indicators.models import Indicator, QuarterReport, ReportStatus
from indicators.rollups import status_map, status_totals, with_status_code
from indicators.summaries import summarize

pytestmark = pytest.mark.django_db
D = Decimal


def python_and_sql_statuses() -> list[tuple[str, str, str]]:
    sql = {
        pk: status
        for pk, (status, _achieved) in status_map(Indicator.objects.all(), FULL_SCOPE).items()
    }
    return [
        (indicator.code, summarize(indicator).status.value, sql[indicator.pk])
        for indicator in Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q())
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
    python = summarize(
        Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q()).get(pk=indicator.pk)
    ).status
    [(sql, _achieved)] = status_map(Indicator.objects.filter(pk=indicator.pk), FULL_SCOPE).values()
    assert sql == python.value


def test_sql_achievement_agrees_and_is_empty_when_not_reported():
    sql = {
        pk: achieved
        for pk, (_status, achieved) in status_map(Indicator.objects.all(), FULL_SCOPE).items()
    }
    for indicator in Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q()):
        assert sql[indicator.pk] == summarize(indicator).achievement, indicator.code


def test_status_filter_and_counts_agree_with_scoring():
    python = {
        i.pk: summarize(i).status.value
        for i in Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q())
    }
    for status in {"achieved", "on_track", "off_track", "not_reported"}:
        matching = set(
            with_status_code(Indicator.objects.all(), status, FULL_SCOPE).values_list(
                "pk", flat=True
            )
        )
        assert matching == {pk for pk, code in python.items() if code == status}, status
    totals = status_totals(Indicator.objects.all(), FULL_SCOPE)
    assert totals == {code: list(python.values()).count(code) for code in set(python.values())}


@pytest.mark.parametrize(
    "scope", [PUBLIC_SCOPE, STAFF_SCOPE, FULL_SCOPE], ids=["public", "staff", "full"]
)
def test_status_filter_shows_each_reader_the_status_they_see(scope):
    """The list's status filter per reader: drafts and reports in review count for some
    readers and not for others, as summarize() of what each may see says."""
    reports = list(QuarterReport.objects.filter(indicator__fiscal_year_id=2564))
    rng = random.Random(2564)
    for report in reports:
        report.status = rng.choice(list(ReportStatus))
    QuarterReport.objects.bulk_update(reports, ["status"])
    raise_after_commit(years={2564})  # a bulk write says so (the stored standings listen)
    year = Indicator.objects.in_year(2564)
    python = {i.pk: summarize(i).status.value for i in year.with_reports(visible=scope.reports_q())}
    full = {
        i.pk: summarize(i).status.value for i in year.with_reports(visible=FULL_SCOPE.reports_q())
    }
    assert scope == FULL_SCOPE or python != full  # the reader's scope matters here
    for status in {"achieved", "on_track", "off_track", "not_reported"}:
        matching = set(with_status_code(year, status, scope).values_list("pk", flat=True))
        assert matching == {pk for pk, code in python.items() if code == status}, status
