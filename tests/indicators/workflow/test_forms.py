"""Bad input on the reporter's and the auditor's forms, through the pages people use."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import QuarterReport, ReportStatus
from indicators.workflow.forms import ThaiDecimalField, normalise_number
from tests.helpers import PDF_BYTES, client_for, pdf, put, report_url

D = Decimal
ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def post(client, report, **data):
    payload = {"value": "", "narrative": "", "version": report.version, "action": "save"} | data
    return client.post(report_url(report, "report-edit"), payload)


# --- the number field alone ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12.5", D("12.5")),
        ("๑๒.๕", D("12.5")),
        ("๑,๒๕๐.๗๕", D("1250.75")),
        ("1,250", D(1250)),
        (" 1 250 ", D(1250)),
        ("0", D(0)),
    ],
)
def test_numbers_are_normalised(typed, expected):
    assert ThaiDecimalField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("abc", "invalid"),
        ("12a", "invalid"),
        ("1e309", "invalid"),
        ("NaN", "invalid"),
        ("nan", "invalid"),
        ("Infinity", "invalid"),
        ("-inf", "invalid"),
        ("1,25", "invalid"),
        ("1.2.3", "invalid"),
        ("-5", "negative"),
        ("1.234", "decimal_places"),
        ("1" * 14, "max_digits"),
    ],
)
def test_bad_numbers_are_refused_with_a_code(typed, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        ThaiDecimalField().clean(typed)
    assert error.value.code == code


@given(st.decimals(min_value=0, max_value=D("9999999999999.99"), places=2, allow_nan=False))
def test_any_decimal_round_trips_in_thai_digits_with_separators(number):
    grouped = f"{number:,.2f}"
    thai = grouped.translate(ARABIC_TO_THAI)
    assert ThaiDecimalField().clean(thai) == number
    assert D(normalise_number(grouped)) == number


@given(
    st.text(alphabet=st.characters(blacklist_categories=["Nd"]), min_size=1).filter(
        lambda s: s.strip(",. +-\u00a0")
    )
)
def test_text_without_digits_is_never_a_number(text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ThaiDecimalField().clean(text)


# --- the reporter's form ---------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["abc", "1e309", "NaN", "-5"])
def test_edit_page_refuses_bad_values_and_keeps_the_text(report, reporter5030, typed):
    response = post(client_for(reporter5030), report, value=typed, narrative="ข้อความของฉัน")
    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    assert "ข้อความของฉัน" in response.content.decode()
    report.refresh_from_db()
    assert report.value is None and report.version == 1


def test_thai_digits_are_saved(report, reporter5030):
    response = post(client_for(reporter5030), report, value="๒๓.๕", narrative="ok")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.value == D("23.5")


def test_percent_over_100_needs_an_explanation(report, reporter5030):
    client = client_for(reporter5030)
    response = post(client, report, value="120", narrative="")
    assert response.context["form"].has_error("narrative", "explain")
    explained = "เกินร้อยเพราะนับรวมผู้รับบริการจากเขตข้างเคียงด้วย ตามหนังสือสั่งการ"
    assert post(client, report, value="120", narrative=explained).status_code == 302


def test_a_value_below_the_previous_cumulative_quarter_needs_an_explanation(
    indicator, reporter5030, report
):
    """Q1 approved at a cumulative 40; a Q2 of 30 goes backwards and must say why."""
    put(report, ReportStatus.APPROVED, "40")
    second = QuarterReport.of(indicator, report.quarter + 1)
    second.save()
    response = post(client_for(reporter5030), second, value="30", narrative="สั้น")
    assert response.context["form"].has_error("narrative", "explain")


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("7", False), ("2.5", False), ("-1", False), ("5", True), ("๓", True), ("0", True)],
)
def test_level_indicator_takes_a_whole_level_0_to_5(
    level_indicator, reporter5030, typed, ok, today
):
    from indicators.models import quarter_of

    report = QuarterReport.objects.get(indicator=level_indicator, quarter=quarter_of(today))
    response = post(client_for(reporter5030), report, value=typed, narrative="ระดับที่ได้")
    assert (response.status_code == 302) is ok


def test_submit_needs_a_narrative(report, reporter5030):
    response = post(client_for(reporter5030), report, value="30", narrative="", action="submit")
    assert response.context["form"].has_error("narrative", "required")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_script_in_the_narrative_is_stored_as_text_and_rendered_escaped(report, reporter5030):
    client = client_for(reporter5030)
    script = "<script>alert('x')</script>"
    post(client, report, value="30", narrative=script)
    report.refresh_from_db()
    assert report.narrative == script
    html = client.get(report_url(report, "report-edit")).content.decode()
    assert script not in html
    assert "&lt;script&gt;" in html


# --- evidence --------------------------------------------------------------------------------


def upload(client, report, file):
    return client.post(
        report_url(report, "report-edit"),
        {
            "value": "30",
            "narrative": "ok",
            "version": report.version,
            "action": "save",
            "evidence": [file],
        },
    )


def test_a_20_mb_file_is_refused(report, reporter5030):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024), "application/pdf")
    response = upload(client_for(reporter5030), report, big)
    assert response.context["form"].has_error("evidence", "file_size")
    assert not report.evidence.exists()


def test_an_exe_renamed_pdf_is_refused_by_its_content(report, reporter5030):
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    response = upload(client_for(reporter5030), report, exe)
    assert response.context["form"].has_error("evidence", "file_content")
    assert not report.evidence.exists()


def test_an_exe_is_refused_by_its_name(report, reporter5030):
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream")
    response = upload(client_for(reporter5030), report, exe)
    assert response.context["form"].has_error("evidence", "file_type")


def test_evidence_is_served_only_through_the_checked_view(
    report, reporter5030, reporter0100, auditor
):
    upload(client_for(reporter5030), report, pdf("หลักฐาน.pdf"))
    evidence = report.evidence.get()
    url = reverse("indicators:evidence-download", kwargs={"pk": evidence.pk})
    response = client_for(reporter5030).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert client_for(auditor).get(url).status_code == 200
    assert client_for(reporter0100).get(url).status_code == 404


# --- the auditor's form ----------------------------------------------------------------------


def test_review_prefills_the_suggested_scores(submitted, auditor):
    form = client_for(auditor).get(report_url(submitted, "report-review")).context["form"]
    assert form.initial["score"] == D(100) and form.initial["score_2_1"] == D(100)


def test_return_without_a_reason_is_refused_on_the_page(submitted, auditor):
    response = client_for(auditor).post(
        report_url(submitted, "report-review"),
        {"version": submitted.version, "action": "return", "reason": ""},
    )
    assert response.context["form"].has_error("reason", "reason_required")
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    ("score", "reason", "ok"),
    [
        ("100", "", True),
        ("80", "", False),
        ("80", "หลักฐานบางส่วน", True),
        ("150", "x", False),
        ("abc", "x", False),
    ],
)
def test_recorded_score_rules(submitted, auditor, score, reason, ok):
    data = {
        "version": submitted.version,
        "action": "score",
        "score": score,
        "score_2_1": "100",
        "score_2_2": "100",
        "reason": reason,
    }
    response = client_for(auditor).post(report_url(submitted, "report-review"), data)
    assert (response.status_code == 302) is ok
