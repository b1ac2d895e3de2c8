"""The performance agreement and a round's result: tagged A4 PDFs, Sarabun only, Thai text
that every extractor reads back."""

import re

import pytest
from django.urls import reverse

from indicators.models import Agency
from tests.reports import pdftools
from tests.reports.test_extraction import assert_extracts
from tests.scorecard_year import YEAR, make_agreement_year

pytestmark = pytest.mark.django_db


def get_pdf(client, name: str, query: str = "") -> bytes:
    url = reverse(f"reports:{name}", kwargs={"year": YEAR, "prefix": "5030"})
    response = client.get(url + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.fixture
def agreement_year(db, reporter5030):
    return make_agreement_year(reporter5030)


@pytest.fixture
def agreement(agreement_year, client) -> bytes:
    return get_pdf(client, "scorecard-agreement")


@pytest.fixture
def result(agreement_year, client) -> bytes:
    return get_pdf(client, "scorecard-result", "?round=6")


def _is_tagged_a4_sarabun(data: bytes) -> None:
    assert pdftools.page_sizes(data) == {pdftools.A4_POINTS}
    fonts = pdftools.fonts(data)
    assert fonts and all("Sarabun" in name and embedded for name, embedded in fonts), fonts
    info = pdftools.info(data)
    assert info["Tagged"] == "yes" and info["PDF version"] == "1.7"
    assert re.search(rb"/Lang\s*\(th\)", pdftools.inflated(data))


def test_both_documents_are_tagged_a4_with_sarabun_only(agreement, result):
    _is_tagged_a4_sarabun(agreement)
    _is_tagged_a4_sarabun(result)


def test_the_agreement_holds_indicators_weights_criteria_and_signatures(agreement):
    agency = Agency.objects.get(prefix="5030").name_th
    assert_extracts(
        agreement,
        ["ลงชื่อ", "คำรับรองการปฏิบัติราชการ", "น้ำหนัก", "5030-1", "40", "35", "25"],
        squashed=[agency, "ตัวชี้วัดคำรับรอง 1", "ตัวชี้วัดคำรับรอง 3", "หัวหน้าหน่วยงาน"],
    )
    text = pdftools.text(agreement)
    assert text.count("ลงชื่อ") == 2
    assert "1 ตุลาคม 2590" in text and "30 กันยายน 2591" in text  # the year, in Buddhist Era
    assert pdftools.squash("ไม่มีเกณฑ์ 5 ระดับ") in pdftools.squash(text)  # C has no criteria
    assert pdftools.squash("60 ร้อยละ: ระดับ 1") in pdftools.squash(text)


def test_the_result_holds_the_round_scores_and_the_self_assessment(result):
    text = pdftools.text(result)
    assert "รอบ 6 เดือน" in text
    assert "3.75" in text and "+0.50" in text
    assert_extracts(result, ["ลงชื่อ", "3.75"], squashed=["ตัวชี้วัดคำรับรอง 2", "ผู้ประเมิน"])


def test_the_public_gets_no_pdf_of_an_unpublished_year(agreement_year, client, manager):
    from indicators.models import FiscalYear
    from tests.helpers import client_for

    FiscalYear.objects.filter(year=YEAR).update(is_published=False)
    url = reverse("reports:scorecard-agreement", kwargs={"year": YEAR, "prefix": "5030"})
    assert client.get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 200
