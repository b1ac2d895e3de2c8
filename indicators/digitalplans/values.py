"""Numbers as the old pages print them: separators, many decimals, words around the number."""

import re
from dataclasses import dataclass
from decimal import Decimal

from indicators.numbers import normalize_digits

LEADING_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?")
PLAIN_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PageNumber:
    """A number read from a page with the page's own text; `value` is None where none was found."""

    value: Decimal | None
    raw: str = ""
    plain: bool = True

    @property
    def text(self) -> str:
        """The original text where the number alone does not say all of it, else ""."""
        return "" if self.plain else self.raw

    @property
    def stored(self) -> Decimal | None:
        """The value as the portal stores it (two decimals); the text keeps any more."""
        return None if self.value is None else self.value.quantize(CENT)

    @property
    def score(self) -> Decimal | None:
        """The value as an assessment score: 0–100, else not stored (the page's text is kept)."""
        stored = self.stored
        return stored if stored is not None and 0 <= stored <= 100 else None


NO_NUMBER = PageNumber(None)


def read_number(raw: str) -> PageNumber:
    """`1,407.52` → 1407.52; `20 ของประชาชน…` → 20 with its text kept; `` → None."""
    text = raw.strip()
    cleaned = normalize_digits(text)
    if not cleaned:
        return PageNumber(None)
    if PLAIN_NUMBER.match(cleaned):
        value = Decimal(cleaned.replace(",", ""))
        # The portal keeps two decimals; a number with more keeps its text beside it.
        return PageNumber(value, text, plain=value == value.quantize(CENT))
    found = LEADING_NUMBER.match(cleaned)
    leading = Decimal(found.group(0).replace(",", "")) if found else None
    return PageNumber(leading, text, plain=False)
