"""Every reader's pages cost the same number of queries for 10 indicators as for 200.

Rendered as a writer's first reader after a change sees them: the cache is emptied before each
request. The numbers are the ones reached (issue 14); a new query on any page fails here.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator
from tests.indicators.factories import make_year_of

pytestmark = pytest.mark.django_db
SMALL, LARGE = 2588, 2589

PAGES = {
    "detail": "/indicators/{y}/{code}/",
    "list": "/indicators/?year={y}",
    "status filter": "/indicators/?year={y}&status=off_track&sort=name",
    "agency": "/agencies/{prefix}/{y}/",
    "strategy": "/strategy/{y}/",
    "dashboard": "/dashboard/{y}/",
}
# What each reader's page costs, whatever the data size (a detail page of an indicator without
# criteria, projects or datasets: no query for those).
P = ("detail", "list", "status filter", "agency", "strategy", "dashboard")
MOST = {
    # The anonymous strategy page reads the data versions (are the stored standings of the
    # year current?, indicators/standing.py); with the page cache on, as in production, it read
    # them already for the cache key.
    "anonymous": dict(zip(P, (4, 7, 10, 9, 7, 6), strict=True)),
    # Signed in: the session keeps the reader (indicators/sessions.py), so no query reads the
    # session, user, groups or agencies again.
    "reporter5030": dict(zip(P, (6, 9, 11, 11, 8, 9), strict=True)),
    "auditor": dict(zip(P, (6, 9, 11, 11, 8, 7), strict=True)),
    "manager": dict(zip(P, (6, 9, 11, 11, 8, 7), strict=True)),
}
# The list's chosen year is found among the years its filter lists: one query for both
# (indicators/pages/filters.py, ListedModelChoiceField).


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def _counts(client, year: int) -> dict[str, int]:
    first = Indicator.objects.filter(fiscal_year_id=year).select_related("agency").first()
    return {
        name: _queries(client, url.format(y=year, code=first.code, prefix=first.agency.prefix))
        for name, url in PAGES.items()
    }


@pytest.mark.parametrize("persona", list(MOST))
def test_queries_stay_the_same_as_data_grows(client, persona, request):
    make_year_of(10, SMALL)
    make_year_of(200, LARGE)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    small, large = _counts(client, SMALL), _counts(client, LARGE)
    assert small == large
    assert large == MOST[persona]


def test_a_relation_the_indicator_lacks_costs_no_query(client):
    make_year_of(10, SMALL)
    indicator = Indicator.objects.filter(fiscal_year_id=SMALL).first()
    url = f"/indicators/{SMALL}/{indicator.code}/"
    without = _queries(client, url)
    indicator.criteria.create(level=1, description="เกณฑ์ระดับหนึ่ง")
    text = client.get(url).content.decode()
    assert "เกณฑ์ระดับหนึ่ง" in text
    assert _queries(client, url) == without + 1  # the criteria, now that there are some
