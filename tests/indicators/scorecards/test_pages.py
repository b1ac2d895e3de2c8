"""The scorecard pages and the self-assessment form, as each persona uses them."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Indicator, LevelCriterion, SelfAssessment
from indicators.scorecards import demo
from tests.helpers import client_for
from tests.indicators.factories import SCALE_YEAR, make_year_of
from tests.scorecard_year import YEAR

pytestmark = pytest.mark.django_db


def detail_url(year: int = YEAR, prefix: str = "5030", round_: int = 6) -> str:
    url = reverse("indicators:scorecard-detail", kwargs={"year": year, "prefix": prefix})
    return f"{url}?round={round_}"


def self_url(code: str = "5030-1", round_: int = 6) -> str:
    kwargs = {"year": YEAR, "prefix": "5030", "code": code, "round_": round_}
    return reverse("indicators:self-assessment", kwargs=kwargs)


def test_the_list_ranks_agencies_and_filters_by_group(agreement_year, client):
    url = reverse("indicators:scorecard-list", kwargs={"year": YEAR})
    page = client.get(f"{url}?round=6").content.decode()
    assert page.index("5001") < page.index("สำนักงานเขตบางคอแหลม")  # 4.00 above 3.75
    assert "<strong>4.00</strong>" in page and "<strong>3.75</strong>" in page
    assert "น้ำหนักรวม 2 ไม่เท่ากับ 100" in page
    group = Indicator.objects.get(fiscal_year_id=YEAR, code="5001-1").agency.group
    other = client.get(f"{url}?round=6&group={group.code}").content.decode()
    assert "5001" in other
    if group != Indicator.objects.get(fiscal_year_id=YEAR, code="5030-1").agency.group:
        assert "สำนักงานเขตบางคอแหลม" not in other


def test_the_detail_shows_the_working_and_the_difference(agreement_year, client):
    page = client.get(detail_url()).content.decode()
    assert "3 + (85 − 80) ÷ (90 − 80) = 3.5" in page
    assert "คะแนน สยป. 90 ÷ 20 = 4.5" in page
    assert "+0.50" in page  # A: claimed 4.00, official 3.50
    assert "1.2250" in page and "3.75" in page


def test_a_reporter_records_a_self_assessment_in_thai_digits(agreement_year, reporter5030):
    client = client_for(reporter5030)
    assert client.get(self_url()).status_code == 200
    response = client.post(self_url("5030-3"), {"rating": "๔.๒๕", "note": "ครบตามแผน"})
    assert response.status_code == 302
    claim = SelfAssessment.objects.get(indicator__code="5030-3", indicator__fiscal_year_id=YEAR)
    assert claim.rating == D("4.25") and claim.entered_by == reporter5030
    assert claim.history.first().history_user == reporter5030
    page = client.get(response["Location"]).content.decode()
    assert "−0.25" in page or "-0.25" in page  # 4.25 against the auditors' 4.50


def test_a_rating_above_5_is_refused_with_a_thai_message(agreement_year, reporter5030):
    response = client_for(reporter5030).post(self_url(), {"rating": "6", "note": ""})
    assert response.status_code == 200
    assert "ค่านี้ต้องไม่เกิน 5" in response.content.decode()
    assert (
        not SelfAssessment.objects.filter(indicator__code="5030-1", round=6)
        .exclude(rating=D(4))
        .exists()
    )


def test_other_agencies_and_staff_may_not_self_assess(agreement_year, reporter0100, auditor):
    assert client_for(reporter0100).post(self_url(), {"rating": "5"}).status_code == 404
    assert client_for(auditor).post(self_url(), {"rating": "5"}).status_code == 403
    assert client_for(None).get(self_url()).status_code == 302


def test_demo_agencies_have_weights_of_100_thresholds_and_claims():
    for agency_year in (
        Indicator.objects.filter(number__gte=2001)
        .values_list("agency_id", "fiscal_year_id")
        .distinct()
    ):
        assert sum(
            Indicator.objects.filter(
                agency_id=agency_year[0], fiscal_year_id=agency_year[1]
            ).values_list("weight", flat=True)
        ) == D(100)
    assert not LevelCriterion.objects.filter(indicator__measure="level", threshold=None).exists()
    assert SelfAssessment.objects.filter(indicator__agency__prefix="5030", round=12).exists()
    before = SelfAssessment.objects.count()
    demo.load_scorecard_demo(list(Indicator.objects.values_list("agency_id", flat=True)[:1]))
    assert SelfAssessment.objects.count() == before


def _queries_of(url: str, client, django_assert_max_num_queries, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [10, 60])
def test_pages_cost_the_same_queries_at_two_sizes(count, manager, django_assert_max_num_queries):
    make_year_of(count)
    client = client_for(manager)
    client.get("/")  # the session and the user's groups, once
    list_url = reverse("indicators:scorecard-list", kwargs={"year": SCALE_YEAR})
    # Session, user, groups, year, menu years, district groups, indicators, reports, criteria,
    # self-assessments: 10 whatever the number of indicators (9 for one agency).
    _queries_of(f"{list_url}?round=12", client, django_assert_max_num_queries, 10)
    prefix = Indicator.objects.filter(fiscal_year_id=SCALE_YEAR).first().agency.prefix
    _queries_of(detail_url(SCALE_YEAR, prefix, 12), client, django_assert_max_num_queries, 9)
