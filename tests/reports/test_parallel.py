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
    with parallel.forked(lambda: parallel.dumps(here)) as result:
        there = parallel.loads(result())
    assert there is not here
    assert there.pages[0]._page_box.style.font_config is pdf.shared_fonts()
    assert there.url_fetcher is pdf.url_fetcher
    written = pdf.write(there)
    assert pdftools.extractions(written) == pdftools.extractions(pdf.write(here))
    assert pdftools.info(written)["Tagged"] == "yes"


def test_a_failure_in_the_child_is_raised_with_its_traceback():
    failing = parallel.forked(lambda: bytes(1 // 0))
    with pytest.raises(parallel.ChildFailed, match="ZeroDivisionError"), failing as result:
        result()


def test_the_child_may_not_use_the_parents_database_connection():
    querying = parallel.forked(lambda: bytes(Indicator.objects.count()))
    with pytest.raises(parallel.ChildFailed, match="no database queries"), querying as result:
        result()
    assert Indicator.objects.exists()  # this process's session is intact


def test_leaving_without_the_result_stops_the_child():
    started = time.monotonic()
    with parallel.forked(lambda: time.sleep(60) or b""):
        pass
    assert time.monotonic() - started < 10
