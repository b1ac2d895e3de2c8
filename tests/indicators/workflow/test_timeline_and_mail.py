"""Issue 15: one timeline entry per event with its actor and reason; e-mails a person can read."""

from decimal import Decimal

import pytest
from django.core import mail
from django.template.loader import render_to_string

from indicators.access import PUBLIC_SCOPE, report_scope
from indicators.history import indicator_history, report_history
from indicators.models import Indicator, QuarterReport
from indicators.workflow import services
from tests.helpers import client_for, pdf, report_url

pytestmark = pytest.mark.django_db
D = Decimal


def submit(report, user, **kwargs):
    args = {"value": D(25), "narrative": "ดำเนินการครบ", "version": report.version} | kwargs
    return services.report_submit(report=report, by=user, **args)


def test_an_approval_is_one_entry_with_its_actor_scores_and_reason(reporter5030, auditor, report):
    done = submit(report, reporter5030)
    approved = services.report_approve(
        report=done, by=auditor, version=done.version, reason="ตรวจแล้ว", score=D(90)
    )
    entries = report_history(approved)
    approval, submission = entries[0], entries[1]
    assert (approval.who, approval.action) == (auditor, "อนุมัติ")
    assert approval.note == "ตรวจแล้ว"
    labels = {change.label: (change.before, change.after) for change in approval.changes}
    assert labels["สถานะ"] == ("ส่งแล้ว รอตรวจ", "อนุมัติแล้ว")
    assert labels["ผลประเมินตัวชี้วัด"] == ("–", "90.00")
    assert submission.who == reporter5030
    # The demo's loader created the draft: no person, so the timeline names the system.
    assert [entry.who for entry in entries] == [auditor, reporter5030, None]
    assert sum(1 for e in entries if e.action == "อนุมัติ") == 1


def test_a_return_is_one_entry_with_its_reason(reporter5030, auditor, report):
    done = submit(report, reporter5030)
    services.report_return(report=done, by=auditor, reason="ขาดภาพถ่าย", version=done.version)
    entry = report_history(done)[0]
    assert (entry.who, entry.action, entry.note) == (auditor, "ส่งกลับแก้ไข", "ขาดภาพถ่าย")
    assert [(c.before, c.after) for c in entry.changes] == [("ส่งแล้ว รอตรวจ", "ส่งกลับแก้ไข")]


def test_the_indicator_timeline_merges_the_same_event(reporter5030, auditor, report):
    done = submit(report, reporter5030)
    services.report_approve(report=done, by=auditor, version=done.version)
    indicator = Indicator.objects.prefetch_related("reports").get(pk=report.indicator_id)
    entries = indicator_history(indicator, scope=report_scope(auditor), with_review_notes=True)
    approvals = [e for e in entries if e.who == auditor and e.quarter == report.quarter]
    assert len(approvals) == 1 and approvals[0].action == "อนุมัติ"


def test_the_indicator_timeline_reads_its_authors_with_its_rows(
    reporter5030, auditor, report, django_assert_num_queries
):
    """One query for the three history tables and the review thread, however many entries and
    authors: each author's name comes with its row (history._read), not a query of its own."""
    reporter5030.first_name, reporter5030.last_name = "สมหญิง", "ใจดี"
    reporter5030.save()
    done = submit(report, reporter5030)
    services.report_approve(
        report=done, by=auditor, version=done.version, reason="ตรวจแล้ว", score=D(90)
    )
    indicator = Indicator.objects.prefetch_related("reports").get(pk=report.indicator_id)
    scope = report_scope(auditor)
    with django_assert_num_queries(1):
        entries = indicator_history(indicator, scope=scope, with_review_notes=True)
        names = {entry.who.get_full_name() for entry in entries if entry.who is not None}
    assert "สมหญิง ใจดี" in names
    submission = next(e for e in entries if e.who == reporter5030)
    assert (submission.quarter, submission.subject) == (report.quarter, "รายงานผล")


def _shown(entry) -> tuple:
    return (entry.when, getattr(entry.who, "pk", None), entry.subject, entry.action)


def test_the_indicator_timeline_reads_what_the_report_timeline_reads(reporter5030, auditor, report):
    """The one UNION ALL query (history._read) gives the rows, values, authors and review
    thread that the ORM's queries of report_history give."""
    done = submit(report, reporter5030)
    services.report_approve(
        report=done, by=auditor, version=done.version, reason="ตรวจแล้ว", score=D(90)
    )
    indicator = Indicator.objects.prefetch_related("reports").get(pk=report.indicator_id)
    entries = indicator_history(indicator, scope=report_scope(reporter5030), with_review_notes=True)
    quarter = [e for e in entries if e.quarter == report.quarter]
    expected = report_history(report)
    assert [(_shown(e), e.changes, e.note) for e in quarter] == [
        (_shown(e), e.changes, e.note) for e in expected
    ]
    assert any(e.note == "ตรวจแล้ว" for e in quarter)  # the review thread came with it


def test_a_reader_who_sees_no_report_reads_no_score_and_still_one_query(
    reporter5030, report, django_assert_num_queries
):
    """With no report the reader sees, the scores' part of the union asks for none (no
    `IN ()`), and the timeline is still one query."""
    services.report_save(
        report=report, by=reporter5030, value=D(10), narrative="ร่าง", version=report.version
    )
    QuarterReport.objects.filter(indicator_id=report.indicator_id).update(status="draft")
    visible = Indicator.objects.with_quarter_reports(visible=PUBLIC_SCOPE.reports_q()).get(
        pk=report.indicator_id
    )
    assert not visible.reports.all()
    with django_assert_num_queries(1):
        entries = indicator_history(visible, scope=PUBLIC_SCOPE, with_review_notes=False)
    assert entries and "ผลประเมิน" not in {e.subject for e in entries}


def test_an_evidence_removal_stays_in_the_timeline(reporter5030, report):
    saved = services.report_save(
        report=report,
        by=reporter5030,
        value=D(10),
        narrative="x",
        version=report.version,
        files=[pdf("ผิดไฟล์.pdf")],
    )
    services.evidence_remove(evidence=saved.evidence.get(), by=reporter5030, version=saved.version)
    notes = " ".join(entry.note for entry in report_history(report))
    assert "ลบหลักฐาน: ผิดไฟล์.pdf" in notes


def test_the_system_is_named_on_the_review_page(auditor, report):
    QuarterReport.objects.filter(pk=report.pk).update(status="submitted", value=D(5))
    report.refresh_from_db()
    report.narrative = "นำเข้าจากแฟ้ม"
    report.save()  # a script's change: no user in the history
    page = client_for(auditor).get(report_url(report, "report-review")).content.decode()
    timeline = page[page.index('<ol class="timeline">') :]
    assert '<span class="who">ระบบ</span>' in timeline
    assert "—</span>" not in timeline


# --- e-mails ---------------------------------------------------------------------------------


def test_a_return_mail_is_readable_text_and_html_with_a_link(
    reporter5030, auditor, report, django_capture_on_commit_callbacks
):
    done = submit(report, reporter5030)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            report=done, by=auditor, reason="กรุณาแนบภาพถ่ายก่อนและหลังดำเนินการ", version=done.version
        )
    message = mail.outbox[-1]
    raw = message.message().as_bytes().decode("utf-8")
    assert "Content-Transfer-Encoding: base64" not in raw
    assert "Content-Transfer-Encoding: 8bit" in raw
    assert "กรุณาแนบภาพถ่ายก่อนและหลังดำเนินการ" in raw  # as written, not encoded
    link = f"{report_url(report, 'report-edit')}"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="http://127.0.0.1:8000{link}"' in html


def test_a_line_too_long_for_8bit_goes_quoted_printable():
    from indicators.workflow.notifications import readable_mail

    context = {"heading": "h", "name": "n", "text": "ก" * 400, "url": "u", "link_label": "l"}
    raw = readable_mail("s", context, ["a@example.org"]).message().as_bytes().decode()
    assert "Content-Transfer-Encoding: quoted-printable" in raw
    assert "base64" not in raw


def test_the_html_mail_escapes_what_people_wrote():
    html = render_to_string(
        "emails/event.html",
        {"heading": "h", "name": "n", "text": "<script>x</script>", "url": "u", "link_label": "l"},
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
