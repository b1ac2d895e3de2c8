"""indicators/dates.py is the one Buddhist Era rule: templates, PDFs and messages all use it."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from indicators import access, dates
from indicators.models import (
    Agency,
    FiscalYear,
    Indicator,
    QuarterReport,
    QuarterWindow,
    ReportStatus,
)
from indicators.reference_data import load_fiscal_year
from indicators.templatetags import kpi

DAY = datetime.date(2026, 10, 1)


def test_long_short_and_datetime_in_the_buddhist_era():
    with translation.override("th"):
        assert dates.thai_date(DAY) == "1 ตุลาคม 2569"
        assert dates.thai_date(DAY, "short") == "1 ต.ค. 2569"
        late = datetime.datetime(2026, 9, 30, 18, 15, tzinfo=datetime.UTC)  # 01:15 in Bangkok
        assert dates.thai_datetime(late) == "1 ต.ค. 2569 01:15"


def test_english_readers_get_the_common_era():
    with translation.override("en"):
        assert dates.thai_date(DAY, "short") == "1 Oct 2026"
        assert dates.be_year(2570) == "2027"
        assert dates.fiscal_year_label(2570) == "Fiscal year 2027"


def test_fiscal_year_label():
    with translation.override("th"):
        assert dates.fiscal_year_label(2570) == "ปีงบประมาณ 2570"
    assert dates.fiscal_year_label(None) == ""


def test_template_filters_are_the_dates_module():
    assert kpi.register.filters["thai_date"] is dates.thai_date
    assert kpi.register.filters["thai_datetime"] is dates.thai_datetime
    assert kpi.register.filters["be_year"] is dates.be_year
    assert kpi.register.filters["fiscal_year_label"] is dates.fiscal_year_label
    template = Template('{% load kpi %}{{ day|thai_date:"short" }} · {{ 2570|fiscal_year_label }}')
    with translation.override("th"):
        assert template.render(Context({"day": DAY})) == "1 ต.ค. 2569 · ปีงบประมาณ 2570"


def test_pdfs_use_the_dates_module():
    from reports import pdf

    assert pdf.thai_date is dates.thai_date


@pytest.fixture
def q1_draft_2570(db) -> QuarterReport:
    """An agency 5030 draft of quarter 1 of 2570 (1 Oct 2026 – 31 Dec 2026), usual window."""
    fiscal_year = load_fiscal_year(2570)
    QuarterWindow.objects.filter(fiscal_year=fiscal_year).delete()
    indicator = Indicator(fiscal_year=fiscal_year, agency=Agency.objects.get(prefix="5030"))
    return QuarterReport(indicator=indicator, quarter=1, status=ReportStatus.DRAFT)


def test_opening_and_lock_messages_say_the_buddhist_era_year(q1_draft_2570, reporter5030):
    with translation.override("th"):
        before = access.edit_block_reason(reporter5030, q1_draft_2570, DAY - datetime.timedelta(1))
        after = access.edit_block_reason(reporter5030, q1_draft_2570, datetime.date(2027, 2, 1))
    assert "1 ต.ค. 2569" in before and "2026" not in before
    assert "30 ม.ค. 2570" in after and "2027" not in after
    with translation.override("en"):
        after = access.edit_block_reason(reporter5030, q1_draft_2570, datetime.date(2027, 2, 1))
    assert "30 Jan 2027" in after


def test_no_date_is_formatted_for_readers_outside_the_dates_module():
    """Django's date_format and |date know no Buddhist Era; only machine formats may use |date."""
    code = [
        p
        for app in ("indicators", "reports", "kpi_portal")
        for p in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if "migrations" not in p.parts
    ]
    offenders = [str(p) for p in code if re.search(r"\bdate_format\(|strftime\(", p.read_text())]
    templates = (Path(settings.BASE_DIR) / "templates").rglob("*.html")
    for path in templates:
        for shown in re.findall(r"\|date:['\"]([^'\"]*)['\"]", path.read_text()):
            if shown not in {"c", "Y-m-d"}:
                offenders.append(f"{path}: |date:{shown}")
    assert offenders == []


@pytest.mark.django_db
def test_pdf_running_header_names_the_year_in_the_readers_era():
    context = {"fiscal_year": FiscalYear.objects.get(year=2564)}
    with translation.override("en"):
        assert "Fiscal year 2021" in render_to_string("reports/pdf/includes/running.html", context)
    with translation.override("th"):
        assert "ปีงบประมาณ 2564" in render_to_string("reports/pdf/includes/running.html", context)
