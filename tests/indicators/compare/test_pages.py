"""The comparison pages: hand-computed rows, ranks, groups and city figure; who sees what; the
SVG map; a constant number of queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import access
from indicators.compare.comparison import compare
from indicators.compare.services import city_indicator_assign
from indicators.models import (
    Agency,
    Assessment,
    CityIndicator,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
YEAR = 2566  # a published demo year
D = Decimal


def _city(year: int = YEAR, slug: str = "cleanliness", rule: str = "sum") -> CityIndicator:
    return CityIndicator.objects.create(
        fiscal_year_id=year,
        slug=slug,
        number=4100,
        name_th="ร้อยละของถนนที่สะอาดตามมาตรฐาน",
        unit="ร้อยละ",
        measure="percent",
        direction="higher",
        target=D(100),
        city_rule=rule,
    )


def _report(city: CityIndicator, prefix: str, value: str, status: str, score: str | None = None):
    indicator = Indicator.objects.get(city_indicator=city, agency__prefix=prefix)
    report = QuarterReport.of(indicator, 1, value=D(value), status=status)
    report.save()
    if score is not None:
        Assessment.of(report, score=D(score)).save()
        indicator.audit_quarter = 1
        indicator.save()


@pytest.fixture
def city() -> CityIndicator:
    """Four agencies, target 100 each: 5001 and 5002 (central) reach 120, 5004 (south) 80,
    0800 (a department) has sent 50 that nobody has approved yet."""
    city = _city()
    agencies = Agency.objects.filter(prefix__in=["5001", "5002", "5004", "0800"])
    city_indicator_assign(city_indicator=city, agencies=agencies)
    _report(city, "5001", "120", ReportStatus.APPROVED, score="100")
    _report(city, "5002", "120", ReportStatus.APPROVED)
    _report(city, "5004", "80", ReportStatus.APPROVED)
    _report(city, "0800", "50", ReportStatus.SUBMITTED)
    return city


def _rows(comparison) -> list[tuple]:
    return [
        (r.agency.prefix, r.rank, r.summary.overall_result, r.summary.achievement, r.band)
        for r in comparison.rows
    ]


def test_the_public_sees_approved_results_ranked_with_ties_and_the_city_sum(city):
    comparison = compare(city, access.PUBLIC_SCOPE)
    assert _rows(comparison) == [
        ("5001", 1, D(120), D(120), 5),
        ("5002", 1, D(120), D(120), 5),
        ("5004", 3, D(80), D(80), 3),  # 80 % is band 3 (≥ 80, < 90)
        ("0800", None, None, None, None),  # submitted: not the public's to see
    ]
    assert comparison.city_figure == D(320)  # 120 + 120 + 80
    assert comparison.reported_count == 3


def test_a_manager_also_sees_the_submitted_result(city, manager):
    comparison = compare(city, access.report_scope(manager))
    assert _rows(comparison)[-1] == ("0800", 4, D(50), D(50), 1)
    assert comparison.city_figure == D(370)


def test_the_city_mean_of_the_same_results(city):
    city.city_rule = "mean"
    assert compare(city, access.PUBLIC_SCOPE).city_figure == D("106.67")  # 320 / 3


def test_rows_are_grouped_by_district_group_in_the_city_order_departments_last(city):
    groups = compare(city, access.PUBLIC_SCOPE).groups
    assert [g.group.code if g.group else None for g in groups] == ["central", "south", None]
    assert [r.agency.prefix for r in groups[0].rows] == ["5001", "5002"]
    assert str(groups[-1].label) == "สำนักและสำนักงาน"


def _area_classes(html: str) -> dict[str, str]:
    return {
        code: css
        for css, code in re.findall(r'class="map-area ([\w-]+)" data-agency="(\d{8})"', html)
    }


def test_the_page_shows_the_table_the_figure_and_the_map_to_the_public(city, client):
    url = reverse("indicators:compare-detail", args=[YEAR, city.slug])
    html = client.get(url).content.decode()
    classes = _area_classes(html)
    assert len(classes) == 50
    assert classes["50010000"] == "map-band-5"  # Phra Nakhon 120 %
    assert classes["50040000"] == "map-band-3"  # Bang Rak 80 %
    assert classes["50300000"] == "map-no-data"  # Bang Kho Laem does not measure it
    assert 'href="/indicators/2566/5001-4100/"' in html
    assert "320" in html and "ผลรวมของทุกหน่วยงาน" in html
    assert ">50<" not in html  # 0800's submitted value


def test_every_district_of_a_demo_indicator_is_a_link_with_a_label(client):
    url = reverse("indicators:compare-detail", args=[2569, "trees-planted"])
    html = client.get(url).content.decode()
    svg = html[html.index("<svg viewBox") : html.index("</svg>", html.index("<svg viewBox"))]
    assert svg.count("<path d=") == 50
    links = re.findall(r'<a href="(/indicators/2569/(\d{4})-3002/)" aria-label="([^"]+)"', svg)
    assert len(links) == 50 and len({prefix for _href, prefix, _label in links}) == 50
    assert svg.count("<title>") == 50
    assert any(label.startswith("บางคอแหลม: ผลงาน") for _h, _p, label in links)
    assert 'style="' not in html  # strict CSP: colours are classes


def test_an_unpublished_year_is_404_for_the_public_and_open_to_staff(manager, reporter5030):
    FiscalYear.objects.create(year=2580, is_published=False)
    city = _city(year=2580, slug="future")
    for url in (
        reverse("indicators:compare-list", args=[2580]),
        reverse("indicators:compare-detail", args=[2580, city.slug]),
    ):
        assert client_for(None).get(url).status_code == 404
        assert client_for(manager).get(url).status_code == 200
        assert client_for(reporter5030).get(url).status_code == 200


def test_an_unknown_city_indicator_is_404(client):
    assert client.get(reverse("indicators:compare-detail", args=[YEAR, "nope"])).status_code == 404


def test_the_list_names_the_year_s_city_indicators_with_their_agencies(client):
    html = client.get(reverse("indicators:compare-list", args=[2569])).content.decode()
    assert len(re.findall(r'href="/compare/2569/[a-z-]+/"', html)) == 3
    assert "50 หน่วยงาน" in html


def test_the_indicator_page_links_to_its_comparison_and_home_to_the_year_s(client, today):
    detail = client.get(reverse("indicators:indicator-detail", args=[2569, "5030-3002"]))
    assert 'href="/compare/2569/trees-planted/"' in detail.content.decode()
    home = client.get(reverse("indicators:home")).content.decode()
    assert 'href="/compare/2570/"' in home


def _queries(client, city: CityIndicator) -> int:
    url = reverse("indicators:compare-detail", args=[city.fiscal_year_id, city.slug])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("persona", "budget"), [(None, 4), ("manager", 7), ("reporter5030", 8)])
def test_queries_do_not_grow_with_the_number_of_agencies(
    persona, budget, request, django_assert_max_num_queries
):
    """Year, city indicator, its indicators, their reports (+ session, user and roles)."""
    client = client_for(request.getfixturevalue(persona) if persona else None)
    few = _city(slug="few")
    city_indicator_assign(city_indicator=few, agencies=Agency.objects.in_group("north"))
    many = CityIndicator.objects.create(
        fiscal_year_id=YEAR,
        slug="many",
        number=4101,
        name_th="ทุกเขต",
        unit="ร้อยละ",
        measure="percent",
        target=D(100),
    )
    city_indicator_assign(city_indicator=many, agencies=Agency.objects.all())
    assert Indicator.objects.filter(city_indicator=many).count() > 60
    assert _queries(client, few) == _queries(client, many)
    with django_assert_max_num_queries(budget):
        _queries(client, many)


def test_a_reporter_sees_their_own_agency_s_unapproved_result_and_no_other(
    city, reporter5030, reporter0100
):
    city_indicator_assign(city_indicator=city, agencies=Agency.objects.filter(prefix="5030"))
    _report(city, "5030", "95", ReportStatus.SUBMITTED)

    def seen(user) -> dict[str, Decimal | None]:
        rows = compare(city, access.report_scope(user)).rows
        return {r.agency.prefix: r.summary.overall_result for r in rows}

    assert seen(reporter5030)["5030"] == D(95)
    assert seen(reporter5030)["0800"] is None  # another agency's submitted value
    assert seen(reporter0100)["5030"] is None
