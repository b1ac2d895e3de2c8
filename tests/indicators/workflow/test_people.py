"""Issue 15: where a login lands, the auditor's queue and approval of many, removing evidence."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import (
    Assessment,
    Evidence,
    QuarterReport,
    ReportStatus,
    fiscal_year_of,
)
from indicators.workflow import queue, services
from tests.helpers import client_for, pdf, put, report_url

pytestmark = pytest.mark.django_db


def key_of(report: QuarterReport) -> str:
    return f"{report.indicator.fiscal_year_id}/{report.indicator.code}/q{report.quarter}"


def submitted_with_suggestion(count: int) -> list[QuarterReport]:
    """Submitted reports of the demo that the rules can score, newest submission first."""
    reports = (
        QuarterReport.objects.filter(status=ReportStatus.SUBMITTED, submitted_at__isnull=False)
        .select_related("indicator")
        .order_by("-submitted_at")
    )
    found = [r for r in reports if services.suggested_score_of(r) is not None]
    assert len(found) >= count
    return found[:count]


# --- login lands each role on its work -------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("reporter5030", "/my/"),
        ("auditor", "/review/"),
        ("admin", "/review/"),
        ("manager", "/dashboard/{year}/"),
    ],
)
def test_login_lands_each_role_on_its_work(client, username, landing, today):
    response = client.post(
        reverse("login"), {"username": username, "password": "demo"}, follow=True
    )
    expected = landing.format(year=fiscal_year_of(today))
    assert response.redirect_chain[-1][0] == expected
    assert response.status_code == 200


def test_next_still_wins_over_the_landing(client):
    response = client.post(
        reverse("login") + "?next=/indicators/",
        {"username": "auditor", "password": "demo", "next": "/indicators/"},
    )
    assert response["Location"] == "/indicators/"


def test_login_page_is_the_portals_with_a_clear_error_and_a_reset_link(client):
    page = client.get(reverse("login")).content.decode()
    assert "กรุงเทพมหานคร" in page and 'class="wf-button login-submit"' in page
    assert reverse("password_reset") in page
    assert 'autocomplete="current-password"' in page
    wrong = client.post(reverse("login"), {"username": "auditor", "password": "x"})
    assert wrong.status_code == 200
    errors = wrong.content.decode()
    assert 'class="wf-alert wf-alert-error" role="alert"' in errors
    assert "ชื่อผู้ใช้" in errors  # Django's own Thai message names what to check


# --- the auditor's queue ---------------------------------------------------------------------


def queue_rows(client, params: dict | None = None) -> list[QuarterReport]:
    """Every row of the queue, page after page."""
    url = reverse("indicators:review-queue")
    first = client.get(url, params or {})
    rows = list(first.context["reports"])
    for number in range(2, first.context["page"].paginator.num_pages + 1):
        rows += client.get(url, {**(params or {}), "page": number}).context["reports"]
    return rows


def test_queue_lists_the_newest_submission_first_and_never_submitted_last(auditor, report):
    newest = submitted_with_suggestion(1)[0]
    imported = put(report, ReportStatus.SUBMITTED)  # no submission time, as an import leaves it
    rows = queue_rows(client_for(auditor))
    assert rows[0].pk == newest.pk
    assert rows[-1].pk == imported.pk
    times = [r.submitted_at for r in rows if r.submitted_at]
    assert times == sorted(times, reverse=True)


def test_queue_sorts_by_agency_and_by_due_date(auditor):
    client = client_for(auditor)
    by_agency = client.get(reverse("indicators:review-queue"), {"sort": "agency"})
    prefixes = [r.indicator.agency.prefix for r in by_agency.context["reports"]]
    assert prefixes == sorted(prefixes) and len(set(prefixes)) > 1
    # One finished year's four quarters, page after page (every year's would be 60 pages).
    by_due = queue_rows(client, {"sort": "due", "status": "all", "year": "2569"})
    dues = [r.due_on for r in by_due if r.due_on]
    assert dues == sorted(dues) and len(set(dues)) > 1


def test_queue_counts_each_status_and_filters_keep_to_the_url(auditor):
    approved = QuarterReport.objects.filter(status=ReportStatus.APPROVED)
    year = approved.values_list("indicator__fiscal_year_id", flat=True).first()
    response = client_for(auditor).get(
        reverse("indicators:review-queue"), {"year": year, "status": "approved"}
    )
    counts = {status.value: n for status, n, _query in response.context["counts"]}
    expected = {
        status: QuarterReport.objects.filter(indicator__fiscal_year_id=year, status=status).count()
        for status in ("submitted", "returned", "approved")
    }
    assert counts == expected and counts["approved"] > 0
    rows = response.context["reports"]
    assert len(rows) == min(counts["approved"], queue.PER_PAGE)
    assert {r.status for r in rows} == {"approved"}
    assert {r.indicator.fiscal_year_id for r in rows} == {year}
    page = response.content.decode()
    # The status links keep the year filter.
    assert f'href="?year={year}&amp;status=submitted&amp;sort=-submitted"' in page


def test_queue_filters_by_quarter_agency_and_group(auditor):
    one = next(r for r in submitted_with_suggestion(20) if r.indicator.agency.group_id)
    agency = one.indicator.agency
    response = client_for(auditor).get(
        reverse("indicators:review-queue"),
        {"quarter": one.quarter, "agency": agency.prefix, "group": agency.group.code},
    )
    rows = response.context["reports"]
    assert one.pk in {r.pk for r in rows}
    assert {(r.quarter, r.indicator.agency_id) for r in rows} == {(one.quarter, agency.pk)}


def test_queue_answers_in_a_fixed_number_of_queries(auditor, django_assert_max_num_queries):
    client = client_for(auditor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("indicators:review-queue"), {"status": "all"})
    assert len(response.context["reports"]) > 20


def test_queue_rows_offer_the_selection_contract(auditor):
    page = client_for(auditor).get(reverse("indicators:review-queue")).content.decode()
    first = submitted_with_suggestion(1)[0]
    assert f'name="report" value="{key_of(first)}"' in page
    assert 'name="action" value="approve_selected"' in page


def test_queue_is_for_auditors_only(reporter5030, manager):
    for user in (reporter5030, manager):
        assert client_for(user).get(reverse("indicators:review-queue")).status_code == 403
        response = client_for(user).post(
            reverse("indicators:review-queue"), {"action": "approve_selected", "report": "x"}
        )
        assert response.status_code == 403


# --- approving several in one step -----------------------------------------------------------


def test_approve_selected_asks_for_confirmation_first_and_writes_nothing(auditor):
    chosen = submitted_with_suggestion(3)
    response = client_for(auditor).post(
        reverse("indicators:review-queue"),
        {"action": "approve_selected", "report": [key_of(r) for r in chosen]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    for report in chosen:
        assert report.indicator.code in page
        assert f'name="version:{key_of(report)}" value="{report.version}"' in page
    assert (
        QuarterReport.objects.filter(
            pk__in=[r.pk for r in chosen], status=ReportStatus.SUBMITTED
        ).count()
        == 3
    )


def test_approve_selected_records_each_as_its_own_approval(auditor):
    chosen = submitted_with_suggestion(3)
    data = {"action": "approve_selected", "confirm": "yes", "report": [key_of(r) for r in chosen]}
    data |= {f"version:{key_of(r)}": r.version for r in chosen}
    response = client_for(auditor).post(reverse("indicators:review-queue") + "?sort=agency", data)
    assert response.status_code == 302 and response["Location"].endswith("?sort=agency")
    for report in chosen:
        report.refresh_from_db()
        assert report.status == ReportStatus.APPROVED
        assessment = Assessment.objects.get(report=report)
        assert assessment.score == services.suggested_score_of(report)
        assert assessment.assessed_by == auditor
        last = report.history.first()
        assert last.history_user == auditor and "อนุมัติ" in last.history_change_reason


def test_a_report_that_moved_on_is_refused_and_the_others_approved(auditor, client):
    first, moved, third = submitted_with_suggestion(3)
    data = {"action": "approve_selected", "confirm": "yes"}
    data["report"] = [key_of(r) for r in (first, moved, third)]
    data |= {f"version:{key_of(r)}": r.version for r in (first, third)}
    data[f"version:{key_of(moved)}"] = moved.version - 1 if moved.version > 1 else 99
    client.force_login(auditor)
    response = client.post(reverse("indicators:review-queue"), data, follow=True)
    statuses = {
        r.pk: r.status for r in QuarterReport.objects.filter(pk__in=[first.pk, moved.pk, third.pk])
    }
    assert statuses == {first.pk: "approved", moved.pk: "submitted", third.pk: "approved"}
    texts = [str(m) for m in response.context["messages"]]
    assert any("อนุมัติแล้ว 2 รายการ" in t for t in texts)
    assert any(moved.indicator.code in t and "ไม่ได้อนุมัติ" in t for t in texts)


def test_approve_selected_ignores_malformed_keys_and_needs_a_selection(auditor):
    client = client_for(auditor)
    response = client.post(
        reverse("indicators:review-queue"),
        {"action": "approve_selected", "confirm": "yes", "report": ["../../x", "2570/'--/q9"]},
        follow=True,
    )
    assert "กรุณาเลือกรายงาน" in " ".join(str(m) for m in response.context["messages"])


# --- the reporter removes a file attached by mistake ----------------------------------------


def attach(report, user, *names):
    return services.report_save(
        report=report,
        by=user,
        value=Decimal(20),
        narrative="ดำเนินการ",
        version=report.version,
        files=[pdf(name) for name in names],
    )


def test_reporter_removes_evidence_and_the_history_keeps_it(
    reporter5030, report, django_capture_on_commit_callbacks
):
    saved = attach(report, reporter5030, "ถูก.pdf", "ผิด.pdf")
    wrong = Evidence.objects.get(report=report, original_name="ผิด.pdf")
    storage, stored = wrong.file.storage, wrong.file.name
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(reporter5030).post(
            reverse("indicators:evidence-remove", kwargs={"pk": wrong.pk}),
            {"version": saved.version},
        )
    assert response["Location"] == report_url(report, "report-edit")
    assert list(report.evidence.values_list("original_name", flat=True)) == ["ถูก.pdf"]
    report.refresh_from_db()
    assert report.version == saved.version + 1
    last = report.history.first()
    assert (last.history_user, last.history_change_reason) == (reporter5030, "ลบหลักฐาน: ผิด.pdf")
    assert not storage.exists(stored)  # the stored file goes once the removal has committed


def test_evidence_cannot_be_removed_once_submitted_or_by_others(
    reporter5030, reporter0100, auditor, report
):
    saved = attach(report, reporter5030, "a.pdf")
    evidence = saved.evidence.get()
    url = reverse("indicators:evidence-remove", kwargs={"pk": evidence.pk})
    assert client_for(reporter0100).post(url, {"version": saved.version}).status_code == 404
    assert client_for(auditor).post(url, {"version": saved.version}).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    submitted = services.report_submit(
        report=saved,
        by=reporter5030,
        value=Decimal(20),
        narrative="x",
        version=saved.version,
    )
    client = client_for(reporter5030)
    response = client.post(url, {"version": submitted.version}, follow=True)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert "ส่งรายงานแล้ว" in " ".join(str(m) for m in response.context["messages"])
    assert client.get(url).status_code == 405


def test_removal_with_an_old_version_is_refused(reporter5030, report):
    saved = attach(report, reporter5030, "a.pdf")
    evidence = saved.evidence.get()
    with pytest.raises(services.ConflictError):
        services.evidence_remove(evidence=evidence, by=reporter5030, version=saved.version - 1)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_entry_form_offers_removal_a_thai_file_button_and_a_confirmation(reporter5030, report):
    attach(report, reporter5030, "a.pdf")
    page = client_for(reporter5030).get(report_url(report, "report-edit")).content.decode()
    evidence = report.evidence.get()
    assert f'form="remove-evidence-{evidence.pk}"' in page
    assert reverse("indicators:evidence-remove", kwargs={"pk": evidence.pk}) in page
    assert "เลือกไฟล์" in page and "ยังไม่ได้เลือกไฟล์" in page
    assert '<dialog id="submit-dialog"' in page and "ถึงผู้ตรวจประเมิน" in page
    assert 'data-confirm="submit-dialog"' in page


# --- small things every page has ------------------------------------------------------------


def test_every_page_starts_with_a_skip_link_and_names_its_icons(client):
    page = client.get("/").content.decode()
    body = page[page.index("<body>") :]
    assert re.search(r'<body>\s*<a class="skip-link" href="#content">', body)
    assert 'rel="icon"' in page and 'rel="apple-touch-icon"' in page and 'rel="manifest"' in page
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301 and favicon["Location"].endswith("icons/favicon.ico")


def test_time_values_are_valid_html(reporter5030, report):
    from indicators.templatetags.kpi import machine_datetime

    moment = datetime.datetime(2026, 12, 1, 9, 5, 7, 123456, tzinfo=datetime.UTC)
    assert machine_datetime(moment) == "2026-12-01T16:05:07+07:00"
    attach(report, reporter5030, "a.pdf")
    page = client_for(reporter5030).get(
        reverse(
            "indicators:indicator-detail",
            kwargs={"year": report.indicator.fiscal_year_id, "code": report.indicator.code},
        )
    )
    values = re.findall(r'<time datetime="([^"]+)"', page.content.decode())
    assert values
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", v) for v in values)


def test_the_queue_offers_the_agencies_with_a_report_in_it_and_no_other():
    from indicators.models import Agency, QuarterReport

    in_queue = set(
        QuarterReport.objects.filter(status__in=queue.QUEUE_STATUSES).values_list(
            "indicator__agency__prefix", flat=True
        )
    )
    offered = list(queue.agencies_in_queue().values_list("prefix", flat=True))
    assert offered == sorted(in_queue)
    assert set(Agency.objects.values_list("prefix", flat=True)) - in_queue  # some are left out
