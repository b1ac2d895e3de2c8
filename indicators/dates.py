"""Dates as readers count them: the Buddhist Era in Thai, the Common Era in English.

The one place that formats a date for people. Template filters (`indicators.templatetags.kpi`),
PDFs (`reports.pdf`) and messages (`access.edit_block_reason`, …) all call these functions, so
a Thai reader never meets "1 ต.ค. 2026" in one place and "1 ต.ค. 2569" in another. Django's own
`date_format` knows no Buddhist Era: don't use it for text people read.
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# A Buddhist Era year is the Common Era year plus 543 (2569 = 2026).
BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

Day = datetime.date | datetime.datetime


def is_english() -> bool:
    """Whether the reader chose English (Thai is the default)."""
    return (get_language() or "th").startswith("en")


def _local_date(value: Day) -> datetime.date:
    """The calendar day in Bangkok of a date or (aware) datetime."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def thai_date(value: Day | None, style: str = "long") -> str:
    """20 พฤษภาคม 2564 in Thai (style "short": 20 พ.ค. 2564), 20 May 2021 in English."""
    if value is None or value == "":
        return ""
    day = _local_date(value)
    if is_english():
        month = ENGLISH_MONTHS[day.month - 1]
        return f"{day.day} {month[:3] if style == 'short' else month} {day.year}"
    months = THAI_MONTHS_SHORT if style == "short" else THAI_MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year + BE_OFFSET}"


def thai_datetime(value: datetime.datetime | None) -> str:
    """The short date and the local time: 20 พ.ค. 2564 14:05 (20 May 2021 14:05)."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai_date(local, 'short')} {local:%H:%M}"


def machine_datetime(value: Day | None) -> str:
    """A `<time datetime>` value valid in HTML: local time to the second, with its offset."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return value.isoformat()
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.replace(microsecond=0).isoformat()


def be_year(value: int | str | None) -> str:
    """A Buddhist Era year as the reader counts: 2564 in Thai, 2021 in English."""
    if value is None or value == "":
        return ""
    return str(int(value) - BE_OFFSET) if is_english() else str(value)


def fiscal_year_label(value: int | str | None) -> str:
    """ปีงบประมาณ 2570 in Thai, Fiscal year 2027 in English; '' when there is no year."""
    if value is None or value == "":
        return ""
    return _("ปีงบประมาณ %(year)s") % {"year": be_year(value)}
