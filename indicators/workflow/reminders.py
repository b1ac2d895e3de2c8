"""Reminders of quarter reports that are due soon or overdue, one e-mail per reporter."""

import datetime
from collections import defaultdict

from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from indicators.models import QuarterReport, QuarterWindow, ReportStatus
from indicators.workflow.notifications import report_url


def _due_reports(today: datetime.date, days_before: int) -> list[tuple[QuarterReport, int]]:
    """Unsubmitted reports due in exactly `days_before` days, or overdue but not yet locked."""
    soon = today + datetime.timedelta(days=days_before)
    windows = QuarterWindow.objects.filter(due_on__in=[soon]) | QuarterWindow.objects.filter(
        due_on__lt=today, locks_on__gt=today
    )
    found = []
    for window in windows:
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
        reporters = User.objects.filter(
            agency_memberships__agency_id=report.indicator.agency_id,
            groups__name="reporter",
            is_active=True,
        ).exclude(email="")
        for email in reporters.values_list("email", flat=True):
            lines[email].append(line)
    subject = _("เตือนกำหนดส่งรายงานผลตัวชี้วัด")
    messages = [
        (subject, "\n".join(sorted(set(items))), None, [email]) for email, items in lines.items()
    ]
    return send_mass_mail(messages) if messages else 0
