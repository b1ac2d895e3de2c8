"""The one rule for text a spreadsheet program could run as a formula (CSV/formula injection).

Every file the portal writes (exports, admin exports, templates, open data) passes its cells
through `neutral_cell`; the importer undoes it with `restored_cell`, so files round-trip.
"""

import re
from typing import Any

# What Excel, LibreOffice and Google Sheets start a formula or a DDE call with.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutral_cell(value: Any) -> Any:
    """Text a spreadsheet would run gets a leading apostrophe; numbers such as -5 stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if PLAIN_NUMBER.fullmatch(value):
            return value
        return QUOTE + value
    return value


def restored_cell(value: Any) -> Any:
    """The text before `neutral_cell` quoted it: a file the portal wrote imports back unchanged."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
