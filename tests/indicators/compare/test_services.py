"""city_indicator_assign: all 50 districts, a district group, chosen departments; idempotent."""

from decimal import Decimal

import pytest

from indicators.compare.services import city_indicator_assign
from indicators.models import Agency, CityIndicator, Indicator

pytestmark = pytest.mark.django_db
YEAR = 2566


@pytest.fixture
def city() -> CityIndicator:
    return CityIndicator.objects.create(
        fiscal_year_id=YEAR,
        slug="flood-points",
        number=4001,
        name_th="จำนวนจุดอ่อนน้ำท่วมที่ได้รับการแก้ไข",
        unit="จุด",
        measure="number",
        direction="higher",
        target=Decimal(3),
        city_rule="sum",
        definition="จุดอ่อนน้ำท่วมที่แก้ไขแล้วเสร็จในปีงบประมาณ",
    )


def test_all_50_districts_each_get_their_own_indicator_with_the_city_definition(city, admin_user):
    result = city_indicator_assign(
        city_indicator=city, agencies=Agency.objects.districts(), by=admin_user
    )
    assert len(result.created) == 50 and result.existing == [] and result.conflicts == []
    indicators = Indicator.objects.filter(city_indicator=city)
    assert indicators.count() == 50
    bang_kho_laem = indicators.get(agency__prefix="5030")
    assert bang_kho_laem.code == "5030-4001"
    assert bang_kho_laem.fiscal_year_id == YEAR
    assert (bang_kho_laem.name_th, bang_kho_laem.unit, bang_kho_laem.target) == (
        city.name_th,
        "จุด",
        Decimal(3),
    )
    assert bang_kho_laem.definition == city.definition
    assert bang_kho_laem.history.get().history_user == admin_user


def test_a_district_group_only(city):
    result = city_indicator_assign(city_indicator=city, agencies=Agency.objects.in_group("central"))
    assert len(result.created) == 9  # กลุ่มกรุงเทพกลาง, BMA order 2460/2552
    assert {i.agency.group.code for i in result.created} == {"central"}


def test_chosen_departments_with_their_own_targets(city):
    departments = Agency.objects.filter(prefix__in=["0800", "2200"])
    result = city_indicator_assign(
        city_indicator=city, agencies=departments, targets={"2200": Decimal(40)}
    )
    targets = {i.code: i.target for i in result.created}
    assert targets == {"0800-4001": Decimal(3), "2200-4001": Decimal(40)}


def test_a_second_assignment_changes_nothing(city):
    first = city_indicator_assign(city_indicator=city, agencies=Agency.objects.in_group("south"))
    first.created[0].target = Decimal(9)
    first.created[0].save()
    again = city_indicator_assign(city_indicator=city, agencies=Agency.objects.districts())
    assert len(again.existing) == 10 and len(again.created) == 40
    third = city_indicator_assign(city_indicator=city, agencies=Agency.objects.districts())
    assert third.created == [] and len(third.existing) == 50
    assert Indicator.objects.filter(city_indicator=city).count() == 50
    kept = Indicator.objects.get(pk=first.created[0].pk)
    assert kept.target == Decimal(9)  # an agency's own target stays its own


def test_an_agency_whose_number_is_taken_is_reported_not_overwritten(city):
    other = Indicator.objects.filter(fiscal_year_id=YEAR, agency__prefix="5030").first()
    assert other is not None
    taken = Indicator.objects.get(pk=other.pk)
    taken.pk = None
    taken.number, taken.code = 4001, "5030-4001"
    taken.save()
    result = city_indicator_assign(
        city_indicator=city, agencies=Agency.objects.filter(prefix__in=["5030", "5001"])
    )
    assert [a.prefix for a in result.conflicts] == ["5030"]
    assert [i.code for i in result.created] == ["5001-4001"]
    assert Indicator.objects.get(fiscal_year_id=YEAR, code="5030-4001").city_indicator is None
