"""Hostile input: script in every shown text field, odd file names, missing CSRF, forged versions.

The file-size and renamed-executable refusals are in tests/workflow/test_forms.py
(`test_a_20_mb_file_is_refused`, `test_an_exe_renamed_pdf_is_refused_by_its_content`).
"""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from indicators.models import (
    Appeal,
    AppealKind,
    AppealRound,
    Dataset,
    Evidence,
    ImportBatch,
    Indicator,
    Project,
    QuarterReport,
    ReportStatus,
)
from tests.helpers import PDF_BYTES, client_for, pdf, put, report_url, target_appeal

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
HOSTILE = f"ร้าย {SCRIPT} {ATTRIBUTE}"
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
RAW = ("<script>alert(1)", "<img src=x")
HOSTILE_EN = "Evil <script>alert(2)</script>"  # its own payload: proves the English name is shown
YEAR, SEED = 2564, "5030-1052"


def assert_escaped(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, where
    for escaped in ESCAPED:
        assert escaped in html, where


@pytest.fixture
def hostile_seed(db) -> Indicator:
    """The seed indicator with script in its own text and in everything shown beside it."""
    indicator = Indicator.objects.get(fiscal_year_id=YEAR, code=SEED)
    text_fields = ["name_th", "definition", "calculation_method", "data_collection", "summary"]
    Indicator.objects.filter(pk=indicator.pk).update(
        **dict.fromkeys(text_fields, HOSTILE), unit=HOSTILE[:100]
    )
    indicator.agency.__class__.objects.filter(pk=indicator.agency_id).update(
        name_th=HOSTILE, short_name_th=HOSTILE
    )
    assert indicator.strategy_nodes.exists()
    indicator.strategy_nodes.update(name_th=HOSTILE)
    indicator.projects.add(Project.objects.create(code="XSS-P", name_th=HOSTILE))
    indicator.datasets.add(Dataset.objects.create(code="XSS-D", title_th=HOSTILE))
    QuarterReport.objects.filter(indicator=indicator).update(narrative=HOSTILE)
    indicator.refresh_from_db()
    return indicator


@pytest.fixture
def hostile_english(hostile_seed) -> Indicator:
    """The same, in the English names a reader who chose English is shown."""
    indicator = hostile_seed
    Indicator.objects.filter(pk=indicator.pk).update(name_en=HOSTILE_EN)
    agency = indicator.agency
    agency.__class__.objects.filter(pk=agency.pk).update(
        name_en=HOSTILE_EN, short_name_en=HOSTILE_EN
    )
    agency.group.__class__.objects.filter(pk=agency.group_id).update(name_en=HOSTILE_EN)
    indicator.strategy_nodes.update(name_en=HOSTILE_EN)
    Project.objects.filter(code="XSS-P").update(name_en=HOSTILE_EN)
    Dataset.objects.filter(code="XSS-D").update(title_en=HOSTILE_EN)
    return indicator


READING_PAGES = {
    "detail": ("indicators:indicator-detail", {"year": YEAR, "code": SEED}),
    "list": ("indicators:indicator-list", {}),
    "agency": ("indicators:agency-detail", {"prefix": "5030", "year": YEAR}),
    "strategy": ("indicators:strategy-tree", {"year": YEAR}),
    "dashboard": ("reports:dashboard", {"year": YEAR}),
}


@pytest.mark.parametrize("page", READING_PAGES)
def test_script_in_shown_text_is_escaped_on_reading_pages(hostile_seed, manager, page):
    name, kwargs = READING_PAGES[page]
    query = {"year": YEAR, "agency": "5030"} if page == "list" else {}
    response = client_for(manager).get(reverse(name, kwargs=kwargs), query)
    assert response.status_code == 200
    assert_escaped(response.content.decode(), page)


@pytest.mark.parametrize("page", READING_PAGES)
def test_script_in_english_names_is_escaped_on_reading_pages(hostile_english, manager, page):
    name, kwargs = READING_PAGES[page]
    query = {"year": YEAR, "agency": "5030"} if page == "list" else {}
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    response = client.get(reverse(name, kwargs=kwargs), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<script>alert(2)" not in html, page
    assert "Evil &lt;script&gt;alert(2)&lt;/script&gt;" in html, page


def test_sheet_pdf_carries_the_script_as_text_only(hostile_seed, tmp_path: Path):
    url = reverse("reports:indicator-sheet", kwargs={"year": YEAR, "code": SEED})
    data = Client().get(url).content
    assert data.startswith(b"%PDF")
    assert b"/JavaScript" not in data
    assert b"/JS" not in data
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "alert(1)" in text


@pytest.fixture
def hostile_report(report) -> QuarterReport:
    """The current quarter's report returned with script in its narrative and return reason."""
    report = put(report, ReportStatus.SUBMITTED)
    QuarterReport.objects.filter(pk=report.pk).update(narrative=HOSTILE)
    report.refresh_from_db()
    return report


def test_return_reason_and_narrative_are_escaped_for_reporter_and_auditor(
    hostile_report, auditor, reporter5030
):
    url = report_url(hostile_report, "report-review")
    data = {"action": "return", "reason": HOSTILE, "version": hostile_report.version}
    assert client_for(auditor).post(url, data).status_code == 302
    assert_escaped(client_for(auditor).get(url).content.decode(), "review page")
    assert_escaped(
        client_for(reporter5030).get(reverse("indicators:my-work")).content.decode(), "my"
    )
    edit = client_for(reporter5030).get(report_url(hostile_report, "report-edit"))
    assert_escaped(edit.content.decode(), "edit page")


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\evil.pdf"])
def test_uploaded_file_names_cannot_leave_media_root(report, reporter5030, name):
    data = {"value": "", "narrative": "", "version": report.version, "action": "save"}
    data["evidence"] = pdf(name)
    response = client_for(reporter5030).post(report_url(report, "report-edit"), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(report=report)
    assert ".." not in evidence.file.name
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.read_bytes() == PDF_BYTES


def test_a_pdf_with_the_wrong_magic_is_refused(report, reporter5030):
    data = {"value": "", "narrative": "", "version": report.version, "action": "save"}
    data["evidence"] = pdf("report.pdf", b"PK\x03\x04 not a pdf")
    response = client_for(reporter5030).post(report_url(report, "report-edit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not Evidence.objects.filter(report=report).exists()


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_edit_without_csrf_token_is_refused(report, reporter5030):
    data = {"value": "40", "narrative": "x", "version": report.version, "action": "save"}
    response = csrf_client(reporter5030).post(report_url(report, "report-edit"), data)
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.value is None


def test_review_without_csrf_token_is_refused(report, auditor):
    report = put(report, ReportStatus.SUBMITTED)
    data = {"action": "approve", "version": report.version}
    response = csrf_client(auditor).post(report_url(report, "report-review"), data)
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_import_upload_without_csrf_token_is_refused(admin_user):
    before = ImportBatch.objects.count()
    upload = pdf("results.csv", "รหัสตัวชี้วัด\n".encode())
    response = csrf_client(admin_user).post(reverse("indicators:import-upload"), {"file": upload})
    assert response.status_code == 403
    assert ImportBatch.objects.count() == before


def test_logout_without_csrf_token_is_refused(reporter5030):
    client = csrf_client(reporter5030)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("indicators:my-work")).status_code == 200  # still signed in


def test_an_old_version_on_the_edit_form_changes_nothing(report, reporter5030):
    client = client_for(reporter5030)
    url = report_url(report, "report-edit")
    first = {"value": "30", "narrative": "ฉบับแรก", "version": report.version, "action": "save"}
    assert client.post(url, first).status_code == 302
    stale = first | {"value": "99", "narrative": "ฉบับปลอม"}
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "ถูกแก้ไขโดย" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative == "ฉบับแรก"


def test_an_old_version_on_the_review_form_changes_nothing(report, auditor):
    report = put(report, ReportStatus.SUBMITTED)
    data = {"action": "approve", "version": report.version - 1 or 1, "score": "80", "reason": "x"}
    QuarterReport.objects.filter(pk=report.pk).update(version=report.version + 1)
    response = client_for(auditor).post(report_url(report, "report-review"), data)
    assert response.status_code == 200
    assert "ถูกแก้ไขโดย" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_another_agency_posting_to_5030s_report_gets_404(report, reporter0100):
    data = {"value": "50", "narrative": "x", "version": report.version, "action": "save"}
    response = client_for(reporter0100).post(report_url(report, "report-edit"), data)
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.value is None


def test_another_agency_cannot_fetch_5030s_evidence_or_appeal(report, reporter5030, reporter0100):
    data = {"value": "", "narrative": "", "version": report.version, "action": "save"}
    client_for(reporter5030).post(report_url(report, "report-edit"), data | {"evidence": pdf()})
    evidence = Evidence.objects.get(report=report)
    appeal = target_appeal(report.indicator, reporter5030)
    other = client_for(reporter0100)
    assert other.get(reverse("indicators:evidence-download", args=[evidence.pk])).status_code == 404
    url = reverse("indicators:appeal-evidence-download", args=[appeal.pk])
    assert other.get(url).status_code == 404
    key = {"year": report.indicator.fiscal_year_id, "code": report.indicator.code}
    posted = other.post(reverse("indicators:appeal-create", kwargs=key), {"reason": "ปลอม"})
    assert posted.status_code == 404
    assert list(Appeal.objects.filter(indicator=report.indicator)) == [appeal]


def test_review_of_quarter_5_is_404(report, auditor):
    assert client_for(auditor).get(report_url(report, "report-review", 5)).status_code == 404


def test_appeal_reason_is_escaped_on_the_decision_page(report, reporter5030, auditor):
    appeal = Appeal.objects.create(
        indicator=report.indicator,
        kind=AppealKind.TARGET,
        round=AppealRound.MID_YEAR,
        requested_value=1,
        reason=HOSTILE,
        created_by=reporter5030,
        evidence=pdf("appeal.pdf"),
    )
    response = client_for(auditor).get(reverse("indicators:appeal-decide", args=[appeal.pk]))
    assert response.status_code == 200
    assert_escaped(response.content.decode(), "appeal decision")
