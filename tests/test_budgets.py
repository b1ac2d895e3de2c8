"""The benchmark budgets: each page judged against the goal that names it (benchmarks/budgets.py)."""

from benchmarks import budgets


def test_the_dashboard_page_is_judged_against_the_dashboard_figures_budget():
    """Rendered with the cache off, the page computes its figures uncached: the list budget
    would fail it by construction."""
    assert budgets.page_ms("dashboard, year in progress") == budgets.DASHBOARD_FIGURES_MS
    assert budgets.page_ms("dashboard") == budgets.DASHBOARD_FIGURES_MS
    assert budgets.page_ms("detail, own indicator") == budgets.DETAIL_MS
    assert budgets.page_ms("list, year") == budgets.PAGE_MS
    assert budgets.DASHBOARD_FIGURES_MS > budgets.PAGE_MS
