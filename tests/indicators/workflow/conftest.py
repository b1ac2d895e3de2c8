"""Fixtures of the reporting and review workflow: reports in each state."""

from decimal import Decimal

import pytest

from indicators.models import (
    Assessment,
    Indicator,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
    fiscal_year_of,
    quarter_of,
)
from tests.helpers import put


@pytest.fixture
def level_indicator(db, today) -> Indicator:
    return Indicator.objects.get(fiscal_year_id=fiscal_year_of(today), code="5030-2004")


@pytest.fixture
def window(indicator, today) -> QuarterWindow:
    return QuarterWindow.objects.get(fiscal_year=indicator.fiscal_year, quarter=quarter_of(today))


@pytest.fixture
def submitted(report) -> QuarterReport:
    return put(report, ReportStatus.SUBMITTED)


@pytest.fixture
def approved(report) -> QuarterReport:
    report = put(report, ReportStatus.APPROVED)
    Assessment.of(report, score=Decimal(100), suggested_score=Decimal(100)).save()
    return report
