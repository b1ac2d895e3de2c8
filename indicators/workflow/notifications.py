"""E-mails of the workflow, sent after the transaction that caused them commits.

Every e-mail has a plain text part and an HTML part, both with a link to the page; text parts go
as 8-bit UTF-8 (quoted-printable when a line is too long for 8-bit), never base64, so that the
demo's console and any mail reader show them as written.
"""

import email.policy
from email.message import Message
from email.policy import Policy

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
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


# RFC 5322: a line of an 8-bit body holds at most 998 octets.
MAX_8BIT_LINE = 998


class ReadableEmail(EmailMultiAlternatives):
    """An e-mail whose text parts are 8-bit UTF-8 (or quoted-printable), not base64.

    Python's e-mail package picks base64 for UTF-8 text with lines over 78 bytes, which any
    Thai sentence is; 8-bit keeps the text readable where the message is read raw.
    """

    def message(self, *, policy: "Policy[Message[str, str]] | None" = email.policy.default):
        msg = super().message(policy=policy)
        for part in msg.walk():
            if part.get_content_maintype() != "text" or part.is_attachment():
                continue
            text = part.get_content()
            fits = all(len(line.encode()) <= MAX_8BIT_LINE for line in text.splitlines())
            subtype = part.get_content_subtype()
            cte = "8bit" if fits else "quoted-printable"
            part.set_content(text, subtype=subtype, charset="utf-8", cte=cte)
        return msg


def readable_mail(
    subject: str, context: dict, recipients: list[str], *, template: str = "emails/event"
) -> ReadableEmail:
    """An e-mail of `template`'s .txt and .html renderings: heading, text, link."""
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    mail = ReadableEmail(subject, text, None, recipients)
    mail.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return mail


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
    subject = str(SUBJECTS[event]) % params
    context = {
        "heading": subject,
        "name": report.indicator.name_th,
        "text": text,
        "url": report_url(report),
        "link_label": _("เปิดรายงานไตรมาสนี้"),
    }
    readable_mail(subject, context, recipients).send()


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
    path = reverse(
        "indicators:indicator-detail",
        kwargs={"year": appeal.indicator.fiscal_year_id, "code": appeal.indicator.code},
    )
    context = {
        "heading": subject,
        "name": appeal.indicator.name_th,
        "text": appeal.decision_note,
        "url": settings.SITE_URL.rstrip("/") + path,
        "link_label": _("เปิดหน้าตัวชี้วัด"),
    }
    readable_mail(subject, context, recipients).send()


def on_commit_appeal(appeal: Appeal) -> None:
    transaction.on_commit(lambda: send_appeal_mail(appeal))
