"""A fresh web worker warms itself before its first request (kpi_portal/warmup.py)."""

import logging

import pytest

from kpi_portal import warmup
from reports import pdf


@pytest.mark.django_db
def test_warming_reads_no_database_and_parses_the_fonts(django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(pdf._Styles, "_fonts", None)
    monkeypatch.setattr(pdf._Styles, "_sheets", {})
    with django_assert_num_queries(0):
        warmup.warm()
    assert pdf._Styles._fonts is not None
    assert len(pdf._Styles._sheets) == 2  # the fonts' and the sheet's stylesheets


def test_a_failed_warm_up_only_logs(monkeypatch, caplog):
    def broken(name):
        raise OSError("templates unreadable")

    monkeypatch.setattr(warmup, "get_template", broken)
    with caplog.at_level(logging.ERROR, logger="kpi_portal.warmup"):
        warmup.warm()  # the worker still starts
    assert "warm-up failed" in caplog.text
