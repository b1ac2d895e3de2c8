"""A book keeps its laid-out sheets out of the garbage collector's full walks, and frees its
cycles as it goes (reports/collector.py)."""

import gc
import weakref

import pytest

from indicators.models import Agency, Indicator
from reports import book_pdf, collector


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_set_aside_frees_cycles_then_keeps_the_living_out_of_collections():
    with collector.sets_aside_what_lives() as set_aside:
        garbage, living = Node(), Node()
        gone = weakref.ref(garbage)
        del garbage
        set_aside()
        assert gone() is None  # collected before freezing, not kept to the end
        assert gc.get_freeze_count() > 0
        assert not any(obj is living for obj in gc.get_objects())  # frozen: walked by no one
    assert gc.get_freeze_count() == 0
    assert any(obj is living for obj in gc.get_objects())


def test_all_is_handed_back_when_the_book_fails():
    with pytest.raises(RuntimeError), collector.sets_aside_what_lives() as set_aside:
        set_aside()
        raise RuntimeError("layout failed")
    assert gc.get_freeze_count() == 0


@pytest.mark.django_db
def test_a_book_sets_aside_after_each_sheet_and_before_it_is_written(monkeypatch):
    calls: list[int] = []
    real = collector._collect_and_freeze
    monkeypatch.setattr(collector, "_collect_and_freeze", lambda: calls.append(1) or real())
    agency = Agency.objects.get(prefix="5030")
    data = book_pdf.agency_book_pdf(agency, 2564)
    assert data.startswith(b"%PDF-")
    sheets = Indicator.objects.filter(agency=agency, fiscal_year=2564).count()
    assert len(calls) == sheets + 1
    assert gc.get_freeze_count() == 0
