"""Numbers as Thai users type them (๑๒.๕, thousands separators, stray spaces) and Thai digits."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
# The one digit table, both ways: readers type Thai digits, the city's pages print them.
THAI_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
ARABIC_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)


def normalize_digits(text: str) -> str:
    """Arabic digits for Thai ones; the rest of the text is kept."""
    return text.translate(THAI_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """Thai digits for Arabic ones (5.2.1 → ๕.๒.๑), as the city's pages write codes."""
    return text.translate(ARABIC_TO_THAI)


def parse_decimal(text: object) -> Decimal:
    """Read a number typed by a person or written by Excel; ValueError with a Thai message."""
    if isinstance(text, bool):
        raise ValueError(_("ต้องเป็นตัวเลข"))
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    cleaned = normalize_digits(str(text)).strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.replace("\u00a0", "")
    if not cleaned:
        raise ValueError(_("ไม่มีค่า"))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("“%(text)s” ไม่ใช่ตัวเลข") % {"text": str(text)[:40]}) from None
    if not value.is_finite():
        raise ValueError(_("“%(text)s” ไม่ใช่ตัวเลข") % {"text": str(text)[:40]})
    return value


def parse_int(text: object) -> int:
    """A whole number (year, quarter, running number), Thai digits allowed."""
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(_("“%(text)s” ต้องเป็นจำนวนเต็ม") % {"text": str(text)[:40]})
    return int(value)
