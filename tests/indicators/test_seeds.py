"""The two seed indicators carry exactly the values of the city's pages (../shared/seeds/)."""

from decimal import Decimal

import pytest

from indicators.access import FULL_SCOPE
from indicators.models import Indicator, IndicatorKind, Measure, ResultLevel
from indicators.quality import indicator_issues

pytestmark = pytest.mark.django_db


def load(code: str) -> Indicator:
    return Indicator.objects.with_reports(visible=FULL_SCOPE.reports_q()).get(
        fiscal_year=2564, code=code
    )


def quarters(indicator: Indicator) -> list[tuple]:
    return [
        (r.quarter, r.value, r.assessment.score, r.assessment.score_2_1, r.assessment.score_2_2)
        for r in indicator.reports.all()
    ]


D = Decimal


def test_5030_1052_bang_kho_laem_civic_networks():
    indicator = load("5030-1052")
    assert indicator.agency.code == "50300000"
    assert indicator.agency.name_th == "สำนักงานเขตบางคอแหลม"
    assert indicator.name_th.startswith("จำนวนเครือข่ายประชาคมที่เป็นทางการ")
    assert indicator.name_th.endswith("ติดตามตรวจสอบการทำงานของกรุงเทพมหานคร")
    assert indicator.display_number == ""
    assert indicator.unit == "เครือข่าย/สำนักงานเขต"
    assert indicator.target == D(1)
    assert indicator.overall_result() == D(1)
    assert indicator.kind == IndicatorKind.STRATEGIC
    assert indicator.result_level == ResultLevel.OUTPUT
    assert indicator.audit_quarter == 3
    assert quarters(indicator) == [
        (1, D(1), D(100), D(100), D(100)),
        (2, D(1), D(0), D(0), D(0)),
        (3, D(1), D(0), D(0), D(0)),
        (4, D(1), D(0), D(100), D(100)),
    ]
    narratives = [r.narrative for r in indicator.reports.all()]
    assert narratives[0] == "จัดการประชุมคณะบริหารสภาเด็กและเยาวชนเขตบางคอแหลม จำนวน 1 ครั้ง"
    assert "คาดว่าจัดกิจกรรมในเดือนเมษายน 2564" in narratives[1]
    assert "คาดว่าจัดกิจกรรมในเดือนกรกฎาคม 2564" in narratives[2]
    assert narratives[3] == "งดจัดกิจกรรม เนื่องจากการแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 (โควิด-19)"
    assert indicator.definition.startswith("การมีส่วนร่วมของประชาชน หมายถึง")
    assert indicator.calculation_method.endswith("กรุงเทพมหานครคูณ 100 หาร 1")
    assert indicator.data_collection == (
        "1. เอกสารประกอบการดำเนินการ 2. ระบบการบริหารจัดการแผนพัฒนากรุงเทพมหานคร (BMA digitalplans)"
    )
    node = indicator.strategy_nodes.get()
    assert node.code == "5.2.1.1"
    assert node.name_th == "รับฟังความคิดเห็นของประชาชนผ่าน “สภาประชาชนกรุงเทพมหานคร”"
    path = [
        (n.code, n.name_th) for n in (node.parent.parent.parent, node.parent.parent, node.parent)
    ]
    assert path[0] == ("5", "มหานครประชาธิปไตย")
    assert path[1] == ("5.2", "เมืองธรรมาภิบาล")
    assert path[2][0] == "5.2.1"
    assert node.parent.parent.parent.name_en == "Bangkok as a Democratic City"
    assert node.parent.parent.parent.label_th() == (
        "ด้านที่ ๕ - มหานครประชาธิปไตย : Bangkok as a Democratic City"
    )
    assert node.parent.parent.label_th() == "๕.๒ - เมืองธรรมาภิบาล"
    assert list(indicator.datasets.all()) == []


def test_0100_814_council_secretariat_success_level():
    indicator = load("0100-814")
    assert indicator.agency.code == "01000000"
    assert indicator.display_number == "อ.2/2"
    assert indicator.name_th == (
        "ระดับความสำเร็จในการนำข้อมูลความต้องการจากเครือข่ายประชาคมเขตเสนอสภากรุงเทพมหานครเพื่อนำไปสู่การแก้ไข"
    )
    assert indicator.unit == "ระดับ"
    assert indicator.measure == Measure.LEVEL
    assert indicator.target == D(5)
    assert indicator.overall_result() == D(3)
    assert indicator.audit_quarter == 1
    assert quarters(indicator) == [
        (1, D(15), D(100), D(100), D(100)),
        (2, D(20), D(100), D(100), D(100)),
        (3, D(20), D(0), D(0), D(0)),
        (4, D(3), D(100), D(100), D(100)),
    ]
    assert indicator.reports.all()[2].narrative == (
        "ชลอการดำเนินการ เนื่องจากยังคงมีสถานการณ์การแพร่ระบาดของโควิด 19"
    )
    assert "กท 0100/1512 ลงวันที่ 14 กันยายน 2564" in indicator.reports.all()[3].narrative
    assert indicator.definition.startswith("เครือข่ายประชาคม หมายถึง ตัวแทนภาคประชาชน")
    assert indicator.calculation_method.startswith("ผลการดำเนินงานที่ทำได้ตามเกณฑ์ที่กำหนด")
    assert indicator.data_collection.startswith("1. แนวทางการสร้างกระบวนการมีส่วนร่วม")
    assert list(indicator.strategy_nodes.all()) == []  # routine mission of the agency
    datasets = [
        (d.code, d.title_th) for d in indicator.datasets.order_by("indicatordataset__order")
    ]
    assert datasets == [
        ("stat_bma0026", "ข้อมูลค่า DO ของคู คลองในพื้นที่ จำแนกตามจุดตรวจวัด"),
        ("stat_bma0028", "ข้อมูลจุดตรวจวัดคุณภาพน้ำจำแนกตามแม่น้ำคูคลอง"),
    ]


def test_quality_check_flags_0100_814_out_of_scale_quarters():
    issues = indicator_issues(load("0100-814"))
    out_of_scale = [i.quarter for i in issues if i.code == "level_out_of_scale"]
    assert out_of_scale == [1, 2, 3]
    assert "15" in issues[0].message
    assert any(i.code == "not_cumulative" and i.quarter == 4 for i in issues)


def test_quality_check_finds_nothing_wrong_with_5030_1052():
    assert indicator_issues(load("5030-1052")) == []


def test_historical_values_are_kept_as_published():
    """The out-of-scale values stay as the city published them; nothing rewrote them."""
    values = [r.value for r in load("0100-814").reports.all()]
    assert values == [D(15), D(20), D(20), D(3)]
