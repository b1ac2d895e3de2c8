"""E-mails of the workflow, sent after the transaction that caused them commits."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access
from indicators.models import Appeal, QuarterReport

SUBJECTS = {
    "return": gettext_lazy("ส่งกลับแก้ไข: ตัวชี้วัด %(code)s ไตรมาส %(quarter)s"),
    "approve": gettext_lazy("อนุมัติแล้ว: ตัวชี้วัด %(code)s ไตรมาส %(quarter)s"),
    "score": gettext_lazy("บันทึกผลประเมิน: ตัวชี้วัด %(code)s ไตรมาส %(quarter)s"),
}


def reporters_of(agency_id: int) -> list[str]:
    """E-mail addresses of the agency's reporters."""
    users = User.objects.filter(
        agency_memberships__agency_id=agency_id, is_active=True, groups__name=access.REPORTER
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def report_url(report: QuarterReport) -> str:
    path = reverse(
        "indicators:report-edit",
        kwargs={
            "year": report.indicator.fiscal_year_id,
            "code": report.indicator.code,
            "quarter": report.quarter,
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_report_mail(report: QuarterReport, event: str, text: str) -> None:
    recipients = reporters_of(report.indicator.agency_id)
    if not recipients:
        return
    params = {"code": report.indicator.code, "quarter": report.quarter}
    body = "\n\n".join(
        part for part in (report.indicator.name_th, text, report_url(report)) if part
    )
    send_mail(str(SUBJECTS[event]) % params, body, None, recipients)


def on_commit_report(report: QuarterReport, event: str, text: str) -> None:
    transaction.on_commit(lambda: send_report_mail(report, event, text))


def send_appeal_mail(appeal: Appeal) -> None:
    recipients = reporters_of(appeal.indicator.agency_id)
    if not recipients:
        return
    subject = _("ผลการพิจารณาอุทธรณ์: ตัวชี้วัด %(code)s — %(status)s") % {
        "code": appeal.indicator.code,
        "status": appeal.get_status_display(),
    }
    send_mail(subject, appeal.decision_note, None, recipients)


def on_commit_appeal(appeal: Appeal) -> None:
    transaction.on_commit(lambda: send_appeal_mail(appeal))
