"""The city's reference data: groups, agencies, the 20-year plan, fiscal years; demo loading."""

import pytest
from django.contrib.auth.models import User

from indicators import access
from indicators.demo_data import load_demo
from indicators.models import (
    Agency,
    AgencyKind,
    DistrictGroup,
    FiscalYear,
    Indicator,
    NodeLevel,
    QuarterReport,
    StrategyNode,
    fiscal_year_of,
    quarter_of,
)

pytestmark = pytest.mark.django_db


def test_six_district_groups_with_their_fifty_districts_in_bma_order():
    groups = [(g.name_th, g.agencies.count()) for g in DistrictGroup.objects.all()]
    assert groups == [
        ("กลุ่มกรุงเทพกลาง", 9),
        ("กลุ่มกรุงเทพใต้", 10),
        ("กลุ่มกรุงเทพเหนือ", 7),
        ("กลุ่มกรุงเทพตะวันออก", 9),
        ("กลุ่มกรุงธนเหนือ", 8),
        ("กลุ่มกรุงธนใต้", 7),
    ]
    assert Agency.objects.filter(kind=AgencyKind.DISTRICT_OFFICE).count() == 50


def test_agencies_carry_the_city_codes():
    bang_kho_laem = Agency.objects.get(prefix="5030")
    assert bang_kho_laem.code == "50300000"
    assert bang_kho_laem.name_en == "Bang Kho Laem District Office"
    council = Agency.objects.get(prefix="0100")
    assert council.kind == AgencyKind.COUNCIL_SECRETARIAT
    assert Agency.objects.get(prefix="2100").name_th == "สำนักยุทธศาสตร์และประเมินผล"


def test_the_twenty_year_plan_has_seven_dimensions_and_their_sub_dimensions():
    dimensions = StrategyNode.objects.dimensions().filter(plan__code="bma-20-year")
    assert [d.code for d in dimensions] == ["1", "2", "3", "4", "5", "6", "7"]
    assert dimensions.get(code="1").name_th == "มหานครปลอดภัย"
    subs = StrategyNode.objects.filter(level=NodeLevel.SUB_DIMENSION, parent__code="5")
    assert [s.code for s in subs] == ["5.1", "5.2", "5.3", "5.4", "5.5"]
    assert not StrategyNode.objects.filter(code__contains="?").exists()
    assert not StrategyNode.objects.filter(name_th__contains="truncated").exists()


def test_fiscal_years_2563_to_2566_are_loaded():
    years = set(FiscalYear.objects.values_list("year", flat=True))
    assert {2563, 2564, 2565, 2566} <= years


def test_demo_holds_the_current_fiscal_year_with_its_quarter_open(reporter5030):
    from django.utils import timezone

    today = timezone.localdate()
    fiscal_year = FiscalYear.objects.get(year=fiscal_year_of(today))
    window = fiscal_year.windows.get(quarter=quarter_of(today))
    assert window.is_open_on(today)
    waiting = QuarterReport.objects.filter(
        indicator__fiscal_year=fiscal_year,
        indicator__agency__in=access.agencies_of(reporter5030),
        quarter=quarter_of(today),
        value__isnull=True,
    )
    assert waiting.count() >= 3, "a reporter who logs in has real work waiting"


def test_demo_users_and_their_roles():
    assert access.is_reporter(User.objects.get(username="reporter5030"))
    assert [a.prefix for a in access.agencies_of(User.objects.get(username="reporter0100"))] == [
        "0100"
    ]
    assert access.is_auditor(User.objects.get(username="auditor"))
    assert access.is_manager(User.objects.get(username="manager"))
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo")


def test_demo_has_content_across_agencies_and_dimensions():
    year = Indicator.objects.in_year(2564)
    assert year.count() >= 40
    assert year.values("agency").distinct().count() >= 10
    dimensions = {
        code.split(".")[0] for code in year.values_list("strategy_nodes__code", flat=True) if code
    }
    assert dimensions >= {"1", "2", "3", "5", "7"}


def test_load_demo_twice_changes_nothing():
    def counts():
        return (
            Indicator.objects.count(),
            QuarterReport.objects.count(),
            StrategyNode.objects.count(),
            Agency.objects.count(),
            User.objects.count(),
            list(QuarterReport.objects.order_by("pk").values_list("value", "status")),
        )

    before = counts()
    load_demo()
    assert counts() == before
