"""Agency books: access, cache until the data changes, background build with progress."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import FiscalYear, Indicator, QuarterReport
from reports import books
from reports.models import AgencyBook, BookStatus
from tests.reports import pdftools

pytestmark = pytest.mark.django_db
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def book_url(year: int = 2564, code: str = "5030") -> str:
    return reverse("reports:agency-book", kwargs={"year": year, "code": code})


def status_url(year: int = 2564, code: str = "5030") -> str:
    return reverse("reports:agency-book-status", kwargs={"year": year, "code": code})


def pdf_of(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.fixture
def count_builds(monkeypatch) -> list[int]:
    """Count the books laid out, to see when the cache answers instead."""
    calls: list[int] = []
    real = books.agency_book_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(books, "agency_book_pdf", counting)
    return calls


def test_public_book_has_cover_summary_and_every_sheet(client):
    data = pdf_of(client.get(book_url()))
    text = pdftools.squash(pdftools.text(data))
    codes = list(
        Indicator.objects.filter(agency__prefix="5030", fiscal_year=2564).values_list(
            "code", flat=True
        )
    )
    assert codes
    for code in codes:
        assert text.count(code) >= 2, code  # in the summary and on its sheet
    assert pdftools.squash("สรุปผลตัวชี้วัด") in text
    assert pdftools.page_sizes(data) == {pdftools.A4_POINTS}
    assert all(embedded for _, embedded in pdftools.fonts(data))
    assert pdftools.info(data)["Tagged"] == "yes"


def test_book_is_cached_until_a_report_changes(client, count_builds):
    pdf_of(client.get(book_url()))
    pdf_of(client.get(book_url()))
    assert len(count_builds) == 1
    report = QuarterReport.objects.filter(
        indicator__agency__prefix="5030", indicator__fiscal_year=2564
    ).first()
    report.narrative = "แก้ไขรายงาน"
    report.save()
    pdf_of(client.get(book_url()))
    assert len(count_builds) == 2


def test_large_book_is_built_in_the_background_with_progress(client, monkeypatch, settings):
    settings.TASKS = DUMMY_TASKS  # queued, never run: the page shows it waiting
    monkeypatch.setattr(books, "INLINE_BOOK_MAX", 1)
    response = client.get(book_url())
    assert response.status_code == 302
    assert response["Location"] == status_url()
    page = client.get(status_url())
    book = AgencyBook.objects.get(agency__prefix="5030", fiscal_year=2564)
    assert book.status == BookStatus.PENDING
    assert b'http-equiv="refresh"' in page.content
    assert f"0 จาก {book.total}".encode() in page.content

    books.book_build(book.pk)  # what the worker does
    page = client.get(status_url())
    assert b'http-equiv="refresh"' not in page.content
    assert book_url().encode() in page.content
    assert pdf_of(client.get(book_url())).startswith(b"%PDF-")


def test_background_task_runs_the_build(client, monkeypatch):
    monkeypatch.setattr(books, "INLINE_BOOK_MAX", 1)  # tests run tasks immediately
    assert pdf_of(client.get(book_url())).startswith(b"%PDF-")
    book = AgencyBook.objects.get(agency__prefix="5030", fiscal_year=2564)
    assert book.status == BookStatus.READY
    assert book.done == book.total > 1


def test_unpublished_year_needs_a_signed_in_user(client, reporter0100):
    FiscalYear.objects.filter(pk=2564).update(is_published=False)
    assert client.get(book_url()).status_code == 404
    assert client.get(status_url()).status_code == 404
    client.force_login(reporter0100)
    pdf_of(client.get(book_url()))


def test_unknown_agency_or_year_is_404(client):
    assert client.get(book_url(code="9999")).status_code == 404
    assert client.get(book_url(year=2500)).status_code == 404


def test_build_books_writes_every_agency_book_of_the_year(tmp_path):
    call_command("build_books", year=2564, output=tmp_path, agency=["5030", "0100"])
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["0100-2564.pdf", "5030-2564.pdf"]
    assert (tmp_path / "5030-2564.pdf").read_bytes().startswith(b"%PDF-")
