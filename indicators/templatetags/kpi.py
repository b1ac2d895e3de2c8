"""Template filters for KPI Portal: Buddhist Era dates, numbers and statuses, Thai first.

Dates come from indicators.dates (Buddhist Era in Thai, Common Era in English). Numbers keep
"not reported" apart from 0.
"""

import re
import unicodedata
from decimal import Decimal

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from indicators.dates import (
    be_year,
    fiscal_year_label,
    is_english,
    machine_datetime,
    thai_date,
    thai_datetime,
)
from indicators.numbers import to_thai_digits

register = template.Library()

# The date filters are indicators.dates itself, the one rule for Buddhist Era dates.
register.filter("thai_date", thai_date)
register.filter("thai_datetime", thai_datetime)
register.filter("be_year", be_year)
register.filter("fiscal_year_label", fiscal_year_label)
register.filter("machine_datetime", machine_datetime)


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


@register.filter(is_safe=True)
@stringfilter
def truncated(value: str, length: int) -> str:
    """Django's truncatechars, without its work on text already short enough.

    truncatechars looks up the translated ellipsis and walks the text character by character
    even when nothing is cut; a timeline of many changes called it twice a change. Text no
    longer than `length` (NFC, as truncatechars returns it) can never be cut.
    """
    text = unicodedata.normalize("NFC", value)
    return text if len(text) <= int(length) else Truncator(value).chars(int(length))


@register.filter
def thai_digits(value: object) -> str:
    return to_thai_digits(str(value))


_THAI_LETTERS = re.compile("[\u0e00-\u0e7f]")


@register.simple_tag
def lang_th(*values: object) -> str:
    """` lang="th"` on an English page for an element holding Thai text, else nothing.

    Content is often Thai only (no English name given); screen readers then switch voice.
    """
    thai = any(_THAI_LETTERS.search(str(value or "")) for value in values)
    return mark_safe(' lang="th"') if is_english() and thai else ""
