"""A data version per fiscal year: a write in one year leaves other years' versions alone;
reference data (agencies, plans, years) raises every year's; one raise per transaction."""

from decimal import Decimal

import pytest
from django.db import transaction

from indicators.access import PUBLIC_SCOPE
from indicators.cache import fingerprint, raise_after_commit, remember
from indicators.models import (
    Agency,
    Assessment,
    DataVersion,
    Indicator,
    QuarterReport,
    ReviewComment,
    StrategyNode,
)
from tests.helpers import raised_versions

pytestmark = pytest.mark.django_db


def _report(year: int) -> QuarterReport:
    return QuarterReport.objects.filter(indicator__fiscal_year_id=year).first()


def _years_raised(commits, edit) -> dict[str, int]:
    return raised_versions(commits, edit)


def _agency_of(report: QuarterReport) -> str:
    """The version of the report's agency (the demo's lines stay within one agency)."""
    return f"agency:{report.indicator.agency_id}"


def test_a_report_save_raises_its_year_and_all_data(commits):
    report = _report(2570)
    assert _years_raised(commits, report.save) == {"all": 1, "2570": 1, _agency_of(report): 1}


@pytest.mark.parametrize(
    ("edit", "finer"),
    [
        (lambda r: ReviewComment.objects.create(report=r, kind="comment", body="ok"), "agency"),
        (
            lambda r: Assessment.objects.update_or_create(
                report=r, defaults={"score": Decimal(80), "fiscal_year_id": r.fiscal_year_id}
            ),
            "agency",
        ),
        (lambda r: r.indicator.save(), "shared"),
        (lambda r: r.indicator.strategy_nodes.add(StrategyNode.objects.first()), "shared"),
    ],
    ids=["comment", "assessment", "indicator", "strategy-link"],
)
def test_rows_of_one_year_raise_that_year(commits, edit, finer):
    report = QuarterReport.objects.select_related(None).filter(indicator__fiscal_year_id=2569)[0]
    report = QuarterReport.objects.get(pk=report.pk)  # its indicator not loaded: looked up
    finer_key = _agency_of(report) if finer == "agency" else "shared"
    raised = _years_raised(commits, lambda: edit(report))
    assert raised == {"all": 1, "2569": 1, finer_key: 1}


def test_reference_data_raises_every_year(commits):
    raised = _years_raised(commits, Agency.objects.get(prefix="5030").save)
    assert raised == {"all": 1, "reference": 1}
    assert fingerprint(2569) != "0.0"


def test_a_transaction_over_two_years_raises_each_once(commits, django_assert_max_num_queries):
    def edit() -> None:
        with transaction.atomic():
            for report in QuarterReport.objects.filter(indicator__fiscal_year_id__in=[2569, 2570])[
                :40
            ]:
                report.save()

    raised = _years_raised(commits, edit)
    assert raised["all"] == 1
    assert all(number == 1 for number in raised.values())


def test_bulk_writers_raise_every_year(commits):
    assert _years_raised(commits, raise_after_commit) == {"all": 1, "reference": 1}


def test_a_figure_of_one_year_survives_a_write_in_another(commits):
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert remember("test", "x", compute, year=2569) == 1
    commits(_report(2570).save)
    assert remember("test", "x", compute, year=2569) == 1  # kept
    commits(_report(2569).save)
    assert remember("test", "x", compute, year=2569) == 2  # renewed


def test_fingerprint_of_all_data_is_the_all_row(commits):
    commits(_report(2570).save)
    all_data = str(DataVersion.objects.get(key="all").number)
    assert fingerprint(scope=PUBLIC_SCOPE) == all_data
    # For any reader (no scope given), the edits of every agency's drafts count too.
    private = DataVersion.objects.filter(key="private").values_list("number", flat=True)
    assert fingerprint() == f"{all_data}+{private.first() or 0}"


def test_a_deleted_indicator_raises_its_year(commits):
    indicator = Indicator.objects.filter(fiscal_year_id=2570, reports__isnull=True).first() or (
        Indicator.objects.filter(fiscal_year_id=2570).first()
    )

    def delete() -> None:
        indicator.reports.all().delete()
        indicator.appeals.all().delete()
        indicator.delete()

    raised = _years_raised(commits, delete)
    assert raised.get("2570") == 1
    assert "reference" not in raised


def test_a_rolled_back_transaction_leaves_nothing_for_the_next(commits):
    def rolled_back() -> None:
        with transaction.atomic():
            _report(2564).save()
            transaction.set_rollback(True)

    assert _years_raised(commits, rolled_back) == {}
    report = _report(2570)
    assert _years_raised(commits, report.save) == {"all": 1, "2570": 1, _agency_of(report): 1}
