"""Dates of the workflow pages: Buddhist Era years in Thai, Common Era in English."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def be_date(value: datetime.date | datetime.datetime | None, with_time: bool = False) -> str:
    """`15 ม.ค. 2570` (and `14:05` when asked); English pages keep `15 Jan 2027`."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    text = date_format(value, "j M")
    year = value.year + 543 if (get_language() or "th").startswith("th") else value.year
    text = f"{text} {year}"
    if with_time and isinstance(value, datetime.datetime):
        text += " " + date_format(value, "H:i")
    return text
