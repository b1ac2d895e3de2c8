"""The suite's fixed clock, and a demo data set that depends on the date alone."""

import datetime
import time

import pytest
from django.utils import timezone

from indicators.demo_data import DEMO_REPORTER_AGENCIES, load_demo
from indicators.models import Assessment, Indicator, QuarterReport, fiscal_year_of, quarter_of
from tests.helpers import SUITE_NOW, bangkok

pytestmark = pytest.mark.django_db

DEMO = {"number__gt": 2000}  # the demo's own indicators; the seeds keep their real numbers


def test_the_suite_runs_on_one_fixed_day_in_quarter_1_of_2570():
    assert timezone.localdate() == datetime.date(2026, 11, 16)
    assert (fiscal_year_of(SUITE_NOW.date()), quarter_of(SUITE_NOW.date())) == (2570, 1)


def test_the_fixed_clock_still_ticks():
    first = timezone.now()
    time.sleep(0.01)
    later = timezone.now()
    assert first < later < SUITE_NOW + datetime.timedelta(hours=2)


def test_a_test_travels_to_another_day_explicitly(time_machine):
    time_machine.move_to(bangkok(datetime.date(2027, 5, 2)))
    assert timezone.localdate() == datetime.date(2027, 5, 2)


def demo_snapshot() -> list[tuple]:
    """Every demo indicator's targets, reports and scores, in a stable order."""
    indicators = Indicator.objects.filter(**DEMO).order_by("fiscal_year_id", "code")
    rows: list[tuple] = [
        (i.fiscal_year_id, i.code, i.name_th, i.target, i.target_q1, i.target_q4)
        for i in indicators
    ]
    reports = QuarterReport.objects.filter(indicator__in=indicators).order_by(
        "indicator__fiscal_year_id", "indicator__code", "quarter"
    )
    rows += reports.values_list(
        "indicator__fiscal_year_id", "indicator__code", "quarter", "value", "narrative", "status"
    )
    assessments = Assessment.objects.filter(report__indicator__in=indicators).order_by(
        "report__indicator__fiscal_year_id", "report__indicator__code", "report__quarter"
    )
    rows += assessments.values_list("report__indicator__code", "score", "score_2_1", "score_2_2")
    return rows


def test_the_demo_is_the_same_for_the_same_date():
    """The current year is the part that follows the date; earlier years have fixed seeds."""
    loaded = demo_snapshot()
    Indicator.objects.filter(**DEMO, fiscal_year_id=2570).delete()
    load_demo(today=SUITE_NOW.date())
    assert demo_snapshot() == loaded
    assert (
        QuarterReport.objects.filter(
            indicator__fiscal_year_id=2570, **{"indicator__number__gt": 2000}
        ).count()
        > 10
    )


def test_the_demo_follows_the_date_it_is_given():
    """A later day of the year: the quarters before it reported, the one before that scored,
    the demo reporters' current quarter waiting as a draft."""
    Indicator.objects.filter(**DEMO, fiscal_year_id=2570).delete()
    load_demo(today=datetime.date(2027, 5, 2))  # quarter 3 of 2570
    demo = QuarterReport.objects.filter(indicator__fiscal_year_id=2570, indicator__number__gt=2000)
    assert set(demo.values_list("quarter", flat=True)) == {1, 2, 3}
    mine = demo.filter(quarter=3, indicator__agency__prefix__in=DEMO_REPORTER_AGENCIES)
    assert mine.exists() and not mine.exclude(value=None).exists()  # the demo reporters' drafts
    assert demo.filter(quarter=1, assessment__isnull=False).exists()
    assert not demo.filter(quarter=2, assessment__isnull=False).exists()
