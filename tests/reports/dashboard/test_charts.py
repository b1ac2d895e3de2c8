"""The dashboard's charts draw the same numbers as its tables, named by the one label table."""

import pytest
from django.urls import reverse
from django.utils import translation

from indicators import access, scoring
from indicators.models import FiscalYear
from indicators.summaries import STATUS_LABELS
from reports.dashboard import figures
from reports.dashboard.views import chart_data

pytestmark = pytest.mark.django_db


def _number(value) -> float | None:
    return None if value is None else float(value)


def test_charts_match_the_figures():
    board = figures.build(FiscalYear.objects.get(year=2564), 4, scope=access.PUBLIC_SCOPE)
    with translation.override("en"):
        charts = chart_data(board)
        labels = [str(STATUS_LABELS[s]) for s in scoring.Status]
    statuses = charts["statuses"]
    assert statuses["labels"] == labels
    assert statuses["data"] == [board.total.statuses[s] for s in figures.STATUSES]
    assert (
        statuses["links"][0] == reverse("indicators:indicator-list") + "?year=2564&status=achieved"
    )
    dimensions = charts["dimensions"]
    assert [d["label"] for d in dimensions["datasets"]] == labels
    assert dimensions["datasets"][2]["data"] == [
        r.figures.statuses["off_track"] for r in board.dimensions
    ]
    assert charts["ratings"]["data"] == [board.total.ratings[level] for level in figures.RATINGS]
    trend = charts["trend"]
    assert len(trend["labels"]) == len(board.trend) == 4
    for dataset, name in zip(
        trend["datasets"], ("achievement", "score", "reported_share"), strict=True
    ):
        assert dataset["data"] == [_number(getattr(f, name)) for _q, f in board.trend]
