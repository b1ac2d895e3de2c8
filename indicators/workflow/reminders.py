"""Reminders of quarter reports that are due soon or overdue, one e-mail per reporter."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import mailers
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.models import QUARTERS, FiscalYear, QuarterReport, QuarterWindow, ReportStatus
from indicators.workflow.notifications import readable_mail, report_url, reporters_of


def _due_windows(today: datetime.date, days_before: int) -> list[QuarterWindow]:
    """Windows due in exactly `days_before` days, or past due but not yet locked.

    Every year's four windows through FiscalYear.window(), so a year without stored windows
    is reminded on the usual dates, as its reporters' inbox and entry form show them.
    """
    soon = today + datetime.timedelta(days=days_before)
    windows = [
        fiscal_year.window(quarter)
        for fiscal_year in FiscalYear.objects.prefetch_related("windows")
        for quarter in QUARTERS
    ]
    return [w for w in windows if w.due_on == soon or w.due_on < today < w.locks_on]


def _due_reports(today: datetime.date, days_before: int) -> list[tuple[QuarterReport, int]]:
    """Unsubmitted reports due in exactly `days_before` days, or overdue but not yet locked."""
    found = []
    for window in _due_windows(today, days_before):
        reports = QuarterReport.objects.filter(
            indicator__fiscal_year_id=window.fiscal_year_id,
            quarter=window.quarter,
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        ).select_related("indicator")
        found += [(report, (window.due_on - today).days) for report in reports]
    return found


def send_reminders(*, today: datetime.date, days_before: int) -> int:
    """Send one e-mail per reporter listing their agency's due and overdue reports."""
    lines: dict[str, list[str]] = defaultdict(list)
    for report, days_left in _due_reports(today, days_before):
        when = (
            _("อีก %(days)s วันถึงกำหนดส่ง") % {"days": days_left}
            if days_left >= 0
            else _("เลยกำหนดส่ง %(days)s วัน") % {"days": -days_left}
        )
        line = f"- {report.indicator.code} {_('ไตรมาส')} {report.quarter}: {when}\n  {report_url(report)}"
        for email in reporters_of(report.indicator.agency_id):
            lines[email].append(line)
    subject = _("เตือนกำหนดส่งรายงานผลตัวชี้วัด")
    context = {
        "heading": subject,
        "url": settings.SITE_URL.rstrip("/") + reverse("indicators:my-work"),
        "link_label": _("เปิดงานของฉัน"),
    }
    messages = [
        readable_mail(subject, context | {"text": "\n".join(sorted(set(items)))}, [email])
        for email, items in lines.items()
    ]
    return mailers.default.send_messages(messages) if messages else 0
