"""Template filters for KPI Portal: Buddhist Era dates, numbers and statuses, Thai first.

Thai pages write dates as the city does (20 พฤษภาคม 2564); English pages use the Common Era
(20 May 2021). Numbers keep "not reported" apart from 0.
"""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from indicators.models import to_thai_digits

register = template.Library()

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


def _is_english() -> bool:
    return (get_language() or "th").startswith("en")


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


@register.filter
def thai_date(value: datetime.date | datetime.datetime | None, style: str = "long") -> str:
    """20 พฤษภาคม 2564 in Thai (style "short": 20 พ.ค. 2564), 20 May 2021 in English."""
    if value is None or value == "":
        return ""
    day = _as_date(value)
    if _is_english():
        month = ENGLISH_MONTHS[day.month - 1]
        return f"{day.day} {month[:3] if style == 'short' else month} {day.year}"
    months = THAI_MONTHS_SHORT if style == "short" else THAI_MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year + 543}"


@register.filter
def thai_datetime(value: datetime.datetime | None) -> str:
    """The short date and the local time: 20 พ.ค. 2564 14:05 (20 May 2021 14:05)."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai_date(local, 'short')} {local:%H:%M}"


@register.filter
def be_year(value: int | None) -> str:
    """A Buddhist Era year as the reader counts: 2564 in Thai, 2021 in English."""
    if value is None or value == "":
        return ""
    return str(int(value) - 543) if _is_english() else str(value)


@register.filter
def result(value: Decimal | None) -> str:
    """A reported value with two decimals as the city's table shows it (15.00); '' if none."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def plain(value: Decimal | None) -> str:
    """A number without trailing zeros: 100, 62.5; '' when there is none."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


@register.filter
def thai_digits(value: object) -> str:
    return to_thai_digits(str(value))
