"""A fully described indicator of the current year (2570) to carry into 2571."""

from decimal import Decimal

import pytest

from indicators.models import (
    Dataset,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    LevelCriterion,
    Project,
    QuarterReport,
    ReportStatus,
    StrategyNode,
)

SOURCE_YEAR, TARGET_YEAR = 2570, 2571


@pytest.fixture
def source(indicator) -> Indicator:
    """5030-3901 of 2570: every copied field set, five criteria, two strategy links, a project,
    a dataset, and an approved report (which must stay behind)."""
    copy = Indicator(
        fiscal_year_id=SOURCE_YEAR,
        agency=indicator.agency,
        number=3901,
        code="5030-3901",
        display_number="อ.9",
        name_th="ระดับความสำเร็จของการจัดการขยะ",
        name_en="Waste management success level",
        unit="ระดับ",
        measure="level",
        direction="level",
        target=Decimal(5),
        baseline=Decimal(2),
        target_q1=Decimal(2),
        target_q2=Decimal(3),
        target_q3=Decimal(4),
        target_q4=Decimal(5),
        aggregation="max",
        kind="routine",
        result_level="outcome",
        weight=Decimal("7.50"),
        definition="นิยาม",
        calculation_method="วิธีคำนวณ",
        data_collection="แหล่งข้อมูล",
        summary="สรุปผลของปี 2570",
        audit_quarter=2,
    )
    copy.save()
    LevelCriterion.objects.bulk_create(
        LevelCriterion(indicator=copy, level=level, description=f"ขั้นที่ {level}")
        for level in range(1, 6)
    )
    copy.strategy_nodes.set(StrategyNode.objects.order_by("code")[:2])
    project = Project.objects.create(code="P-ROLL", name_th="โครงการทดสอบ")
    dataset = Dataset.objects.create(code="D-ROLL", title_th="ข้อมูลทดสอบ")
    IndicatorProject.objects.create(indicator=copy, project=project, order=3)
    IndicatorDataset.objects.create(indicator=copy, dataset=dataset, order=2)
    QuarterReport.of(copy, 1, value=Decimal(3), status=ReportStatus.APPROVED).save()
    return copy
