"""Laid-out documents made in a forked child come back whole; a child's failure is raised here."""

import time

import pytest

from indicators.models import Indicator
from indicators.summaries import summarize
from reports import parallel, pdf
from tests.reports import pdftools

pytestmark = pytest.mark.django_db


def _sheet():
    indicator = Indicator.objects.filter(agency__prefix="5030", fiscal_year=2564).first()
    return pdf.document("reports/pdf/sheet.html", pdf.sheet_context(summarize(indicator)))


def test_a_document_laid_out_in_a_child_writes_the_same_pdf():
    here = _sheet()
    with parallel.forked(lambda send: send(parallel.dumps(here))) as receive:
        there = parallel.loads(receive())
    assert there is not here
    assert there.pages[0]._page_box.style.font_config is pdf.shared_fonts()
    assert there.url_fetcher is pdf.url_fetcher
    written = pdf.write(there)
    assert pdftools.extractions(written) == pdftools.extractions(pdf.write(here))
    assert pdftools.info(written)["Tagged"] == "yes"


def test_a_failure_in_the_child_is_raised_with_its_traceback():
    failing = parallel.forked(lambda send: send(bytes(1 // 0)))
    with pytest.raises(parallel.ChildFailed, match="ZeroDivisionError"), failing as receive:
        receive()


def test_the_child_may_not_use_the_parents_database_connection():
    querying = parallel.forked(lambda send: send(bytes(Indicator.objects.count())))
    with pytest.raises(parallel.ChildFailed, match="no database queries"), querying as receive:
        receive()
    assert Indicator.objects.exists()  # this process's session is intact


def test_messages_arrive_in_order_and_an_error_here_stops_the_child():
    def work(send: parallel.Send) -> None:
        send(b"first")
        send(b"second" * 100_000)  # more than a pipe holds
        time.sleep(60)

    started = time.monotonic()
    with pytest.raises(KeyError), parallel.forked(work) as receive:
        assert receive() == b"first"
        assert receive() == b"second" * 100_000
        raise KeyError
    assert time.monotonic() - started < 10
