"""The rollover service: what it copies, what it leaves, the new year and idempotency."""

import datetime
import re
from decimal import Decimal

import pytest

from indicators.models import (
    DataVersion,
    FiscalYear,
    Indicator,
    IndicatorDataset,
    IndicatorProject,
    LevelCriterion,
    QuarterReport,
    QuarterWindow,
)
from indicators.rollover.plan import RowStatus, Selection, build_plan
from indicators.rollover.services import COPIED_FIELDS, RolloverError, rollover_year
from tests.indicators.rollover.conftest import SOURCE_YEAR, TARGET_YEAR

pytestmark = pytest.mark.django_db

AGENCY_5030 = Selection(SOURCE_YEAR, TARGET_YEAR, agencies=("5030",))


def carry(source, by, **kwargs):
    selection = Selection(SOURCE_YEAR, TARGET_YEAR, indicator_ids=(source.pk,))
    result = rollover_year(selection, by=by, **kwargs)
    assert len(result.copied) == 1
    return Indicator.objects.get(pk=result.copied[0].pk)


def test_copies_every_definition_field_and_keeps_lineage(source, auditor):
    copy = carry(source, auditor)
    assert copy.fiscal_year_id == TARGET_YEAR
    assert copy.code == "5030-3901"
    assert copy.continues == source
    assert list(source.continuations.all()) == [copy]
    for name in COPIED_FIELDS:
        assert getattr(copy, name) == getattr(source, name), name
    assert copy.target == Decimal(5)  # last year's, proposed
    # The year's own facts stay behind: the audit quarter and the summary of results.
    assert (copy.audit_quarter, copy.summary) == (None, "")


def test_copies_criteria_strategy_projects_and_datasets(source, auditor):
    copy = carry(source, auditor)
    criteria = LevelCriterion.objects.filter(indicator=copy).order_by("level")
    assert [(c.level, c.description) for c in criteria] == [(n, f"ขั้นที่ {n}") for n in range(1, 6)]
    assert set(copy.strategy_nodes.all()) == set(source.strategy_nodes.all())
    assert copy.strategy_nodes.count() == 2
    assert list(
        IndicatorProject.objects.filter(indicator=copy).values_list("project__code", "order")
    ) == [("P-ROLL", 3)]
    assert list(
        IndicatorDataset.objects.filter(indicator=copy).values_list("dataset__code", "order")
    ) == [("D-ROLL", 2)]


def test_never_copies_reports_scores_or_evidence(source, auditor):
    copy = carry(source, auditor)
    assert not QuarterReport.objects.filter(indicator=copy).exists()
    assert QuarterReport.objects.filter(indicator=source).count() == 1  # the source keeps its own


def test_history_says_who_and_why(source, auditor):
    copy = carry(source, auditor, reason="เตรียมปี 2571")
    row = copy.history.get()
    assert row.history_user == auditor
    assert row.history_change_reason == "ยกยอดจากปีงบประมาณ 2570 (5030-3901): เตรียมปี 2571"


def test_a_target_typed_in_the_preview_replaces_the_proposed_one(source, auditor):
    plan = build_plan(Selection(SOURCE_YEAR, TARGET_YEAR, indicator_ids=(source.pk,)))
    assert [(row.code, row.target, row.status) for row in plan.rows] == [
        ("5030-3901", Decimal(5), RowStatus.NEW)
    ]
    copy = carry(source, auditor, targets={source.pk: Decimal(4)})
    assert copy.target == Decimal(4)
    assert copy.target_q4 == Decimal(5)  # quarter targets as last year's


def test_creates_the_new_year_unpublished_with_its_four_windows(source, auditor):
    assert not FiscalYear.objects.filter(year=TARGET_YEAR).exists()
    result = rollover_year(AGENCY_5030, by=auditor)
    year = FiscalYear.objects.get(year=TARGET_YEAR)
    assert (result.year_created, result.windows_created, year.is_published) == (True, 4, False)
    assert year.rating_bands == FiscalYear.objects.get(year=SOURCE_YEAR).rating_bands
    q1 = QuarterWindow.objects.get(fiscal_year=year, quarter=1)
    # 2571 runs 1 Oct 2027 – 30 Sep 2028; Q1 ends 31 Dec 2027: due 15 and locked 30 days later.
    assert (q1.opens_on, q1.due_on, q1.locks_on) == (
        datetime.date(2027, 10, 1),
        datetime.date(2028, 1, 15),
        datetime.date(2028, 1, 30),
    )


def test_only_missing_windows_are_made(auditor, source):
    year = FiscalYear.objects.create(year=TARGET_YEAR)
    QuarterWindow.objects.create(
        fiscal_year=year,
        quarter=2,
        opens_on=datetime.date(2028, 1, 1),
        due_on=datetime.date(2028, 4, 1),
        locks_on=datetime.date(2028, 4, 2),
    )
    result = rollover_year(AGENCY_5030, by=auditor)
    assert (result.year_created, result.windows_created) == (False, 3)
    assert QuarterWindow.objects.get(fiscal_year=year, quarter=2).due_on == datetime.date(
        2028, 4, 1
    )


def counts() -> tuple[int, ...]:
    return (
        Indicator.objects.count(),
        Indicator.history.count(),
        LevelCriterion.objects.count(),
        Indicator.strategy_nodes.through.objects.count(),
        IndicatorProject.objects.count(),
        IndicatorDataset.objects.count(),
        QuarterWindow.objects.count(),
        FiscalYear.objects.count(),
        QuarterReport.objects.count(),
    )


def version() -> int:
    return DataVersion.objects.get(key="all").number


def test_rolling_over_twice_changes_nothing_the_second_time(
    source, auditor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        DataVersion.objects.get_or_create(key="all")
    before = version()
    with django_capture_on_commit_callbacks(execute=True):
        first = rollover_year(AGENCY_5030, by=auditor)
    # 5030's five demo indicators and 5030-3901; the version raised once for all of it.
    assert (len(first.copied), version()) == (6, before + 1)
    assert [(row.code, row.status) for row in first.skipped] == [
        (f"5030-300{n}", RowStatus.CITY) for n in (1, 2, 3)
    ]
    after_first = counts()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = rollover_year(AGENCY_5030, by=auditor)
    # 5030's three city indicators are the city's to assign each year: reported, never copied.
    assert (len(second.copied), len(second.existing), len(second.skipped)) == (0, 6, 3)
    assert callbacks == []
    assert counts() == after_first
    assert version() == before + 1


def test_a_code_taken_in_the_new_year_is_skipped_not_duplicated(source, auditor):
    rollover_year(Selection(SOURCE_YEAR, TARGET_YEAR, indicator_ids=(source.pk,)), by=auditor)
    taken = Indicator.objects.get(fiscal_year_id=TARGET_YEAR, code="5030-3901")
    taken.continues = None
    taken.save()
    result = rollover_year(AGENCY_5030, by=auditor)
    taken = [row.source.code for row in result.skipped if row.status == RowStatus.SKIPPED]
    assert taken == ["5030-3901"]
    assert Indicator.objects.filter(fiscal_year_id=TARGET_YEAR, code="5030-3901").count() == 1
    assert len(result.copied) == 5


@pytest.mark.parametrize(
    ("source_year", "target_year", "message"),
    [
        (2570, 2570, "ปีปลายทาง (2570) ต้องอยู่หลังปีต้นทาง (2570)"),
        (2571, 2570, "ปีปลายทาง (2570) ต้องอยู่หลังปีต้นทาง (2571)"),
        (2480, 2481, "ปีงบประมาณ 2481 อยู่นอกช่วง 2500–2700"),
        (2560, 2561, "ไม่มีปีงบประมาณ 2560 ในระบบ"),
    ],
)
def test_impossible_years_are_refused_with_a_reason(auditor, source_year, target_year, message):
    before = counts()
    with pytest.raises(RolloverError, match=re.escape(message)):
        rollover_year(Selection(source_year, target_year), by=auditor)
    assert counts() == before
