"""The reporter's inbox (/my/) and the reminder e-mails."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import QuarterReport, QuarterWindow, ReportStatus
from indicators.workflow import services
from indicators.workflow.reminders import send_reminders
from indicators.workflow.views.inbox import work_items
from tests.helpers import client_for, put

pytestmark = pytest.mark.django_db


def test_inbox_lists_the_open_quarter_of_my_agency_only(reporter5030, report, today):
    items = work_items(reporter5030, today)
    assert report in [item.report for item in items]
    assert {item.report.indicator.agency.prefix for item in items} == {"5030"}
    item = next(i for i in items if i.report == report)
    assert item.days_left == (item.window.due_on - today).days


def test_inbox_leaves_out_submitted_and_locked_quarters(reporter5030, report, window):
    put(report, ReportStatus.SUBMITTED)
    assert report not in [i.report for i in work_items(reporter5030, window.opens_on)]
    put(report, ReportStatus.DRAFT)
    assert report not in [i.report for i in work_items(reporter5030, window.locks_on)]


def test_returned_first_with_the_auditors_reason(reporter5030, auditor, submitted, today):
    services.report_return(
        report=submitted, by=auditor, reason="แนบภาพกิจกรรม", version=submitted.version
    )
    response = client_for(reporter5030).get(reverse("indicators:my-work"))
    items = response.context["items"]
    assert items[0].report == submitted and items[0].reason == "แนบภาพกิจกรรม"
    assert "แนบภาพกิจกรรม" in response.content.decode()


def test_overdue_items_come_before_later_ones(reporter5030, report, window):
    late_day = window.due_on + datetime.timedelta(days=3)
    items = work_items(reporter5030, late_day)
    assert items[0].is_overdue and items[0].days_overdue == 3


def test_reminders_before_the_due_date_and_after(
    reporter5030, reporter0100, report, window, mailoutbox
):
    sent = send_reminders(today=window.due_on - datetime.timedelta(days=7), days_before=7)
    assert sent >= 2  # one e-mail per reporter, both agencies have open drafts
    mine = next(m for m in mailoutbox if m.to == [reporter5030.email])
    assert report.indicator.code in mine.body and "อีก 7 วัน" in mine.body
    mailoutbox.clear()
    send_reminders(today=window.due_on + datetime.timedelta(days=2), days_before=7)
    assert any("เลยกำหนดส่ง 2 วัน" in m.body for m in mailoutbox)
    mailoutbox.clear()
    send_reminders(today=window.due_on - datetime.timedelta(days=3), days_before=7)
    assert mailoutbox == []


def test_no_reminder_for_submitted_reports(report, window, mailoutbox):
    QuarterReport.objects.filter(
        indicator__fiscal_year=report.indicator.fiscal_year, quarter=report.quarter
    ).update(status=ReportStatus.SUBMITTED, value=Decimal(1))
    send_reminders(today=window.due_on, days_before=0)
    assert mailoutbox == []


def test_command(window, mailoutbox, capsys):
    call_command(
        "send_reminders", "--days", "7", "--date", str(window.due_on - datetime.timedelta(days=7))
    )
    assert "reminder" in capsys.readouterr().out
    assert mailoutbox
    assert QuarterWindow.objects.exists()


def test_inbox_costs_a_fixed_number_of_queries(reporter5030, django_assert_max_num_queries):
    client = client_for(reporter5030)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:my-work")).status_code == 200


def test_review_queue_costs_a_fixed_number_of_queries(auditor, django_assert_max_num_queries):
    client = client_for(auditor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("indicators:review-queue"))
    assert len(response.context["reports"]) > 10


def test_dates_show_the_buddhist_era_in_thai():
    from django.utils import translation

    from indicators.templatetags.kpi import thai_date

    with translation.override("th"):
        assert thai_date(datetime.date(2027, 1, 15), "short") == "15 ม.ค. 2570"
    with translation.override("en"):
        assert thai_date(datetime.date(2027, 1, 15), "short") == "15 Jan 2027"
    assert thai_date(None) == ""


def test_review_queue_filters(submitted, auditor):
    client = client_for(auditor)
    url = reverse("indicators:review-queue")
    shown = client.get(url, {"agency": "5030", "quarter": submitted.quarter}).context["reports"]
    assert submitted in list(shown)
    assert submitted not in list(client.get(url, {"agency": "0100"}).context["reports"])
    group = submitted.indicator.agency.group
    assert submitted in list(client.get(url, {"group": group.code}).context["reports"])


def test_inbox_costs_the_same_queries_with_more_work(reporter5030):
    """Rows read only what they show (WORK_ITEM_FIELDS): none reads a deferred field."""
    client = client_for(reporter5030)
    url = reverse("indicators:my-work")

    def measure() -> tuple[int, int]:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), len(response.context["items"])

    queries, before = measure()
    more = QuarterReport.objects.filter(
        indicator__agency__prefix="5030", status=ReportStatus.APPROVED
    ).values_list("pk", flat=True)[:15]
    QuarterReport.objects.filter(pk__in=list(more)).update(status=ReportStatus.RETURNED)
    assert measure() == (queries, before + 15)
